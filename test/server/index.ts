// startTestServer: a LiteLLM-compatible proxy (admin API only) on node:http, for keyward's tests and demos.
import {appendFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {ServerState} from './context.js'
import {DailyAggregator} from './daily.js'
import {FaultQueue, faultReply} from './faults.js'
import {queryRecord, readBody} from './http.js'
import {seedKey} from './key-routes.js'
import {hashKey, KeyStore} from './keys.js'
import {Router} from './router.js'
import {LITELLM_VERSION} from './misc-routes.js'
import {newOrgRow, OrgStore} from './org-routes.js'
import {appendToDataset, generatedDataset, seededDataset, type SpendDataset} from './spend-data.js'
import {SpendIndex} from './spend-query.js'
import type {Fault, Features, Flavor, LogsOption, RecordedRequest, Reply, SpendLogRow, TestServer, TestServerOptions} from './types.js'

export type * from './types.js'
export {hashKey} from './keys.js'
export {HOSTILE_STRINGS} from './spend-data.js'

export const DEFAULT_MASTER_KEY = 'sk-keyward-test-master'

/** `KEYWARD_CAPTURE_BODIES=/path/file.jsonl`: append `{method, path, body}` for each POST with a JSON body. */
const CAPTURE_FILE = process.env.KEYWARD_CAPTURE_BODIES || undefined

const DEFAULT_FEATURES: Record<Flavor, Features> = {
  new: {spendLogsV2: true, spendLogsUi: true, dailyActivity: true, legacySpendLogs: true, regenerate: false, modelInfo: true, disableCustomApiKeys: false},
  old: {spendLogsV2: false, spendLogsUi: true, dailyActivity: false, legacySpendLogs: true, regenerate: false, modelInfo: false, disableCustomApiKeys: false},
}

function dataset(logs: LogsOption | undefined, masterApiKey: string): SpendDataset {
  if (logs && 'generate' in logs) return generatedDataset(logs.generate, masterApiKey)
  return seededDataset(logs?.rows ?? [], masterApiKey)
}

function parseBody(text: string): {body: unknown; bodyError?: string} {
  if (text.trim() === '') return {body: undefined}
  try {
    return {body: JSON.parse(text) as unknown}
  } catch (e) {
    return {body: text, bodyError: e instanceof Error ? e.message : String(e)}
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return
  const text = reply.text ?? JSON.stringify(reply.json)
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  })
  res.end(text)
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  if (opts.timezone !== undefined && opts.timezone !== 'UTC') throw new Error(`test server: only timezone 'UTC' is supported, got ${opts.timezone}`)
  const flavor: Flavor = opts.flavor ?? 'new'
  const masterKey = opts.masterKey ?? DEFAULT_MASTER_KEY
  let clock: () => Date = opts.now ?? (() => new Date())
  const now = (): Date => clock()
  const keys = new KeyStore(flavor, now)
  // §8: master-key traffic is logged as a literal since v1.84.0, as the key's hash before.
  const masterApiKey = flavor === 'new' ? 'litellm_proxy_master_key' : hashKey(masterKey)
  const spend = new SpendIndex(dataset(opts.logs, masterApiKey))
  const state: ServerState = {
    flavor,
    features: {...DEFAULT_FEATURES[flavor], ...opts.features},
    version: opts.version ?? LITELLM_VERSION[flavor],
    masterKey,
    masterApiKey,
    now,
    setNow: (d) => {
      clock = typeof d === 'function' ? d : () => d
    },
    keys,
    orgs: new OrgStore(),
    spend,
    daily: new DailyAggregator(spend),
    faults: new FaultQueue(),
  }
  const router = new Router()
  const requests: RecordedRequest[] = []
  const timers = new Map<NodeJS.Timeout, () => void>()

  /** A delay that close() cancels, so a pending 'slow' fault never keeps the process alive. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.set(t, resolve)
    })

  /** Writes a fault; returns false for 'slow', which only delays the real answer. */
  async function applyFault(f: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (f.kind === 'slow') {
      await sleep(f.delayMs ?? 5000)
      return false
    }
    if (f.kind === 'reset') req.socket.destroy()
    else send(res, faultReply(f))
    return true
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now()
    const log = (outcome: string): void => opts.log?.(`${req.method} ${req.url} -> ${outcome} (${Date.now() - started} ms)`)
    const url = new URL(req.url ?? '/', 'http://test.invalid')
    const method = (req.method ?? 'GET').toUpperCase()
    const path = url.pathname
    const {body, bodyError} = parseBody(await readBody(req))
    requests.push({method, path, query: queryRecord(url.searchParams), body, headers: {...req.headers}})
    // Opt-in for layer 1 of the real-LiteLLM checks: every JSON body a client POSTs, one line each.
    if (CAPTURE_FILE && method === 'POST' && body !== null && typeof body === 'object') appendFileSync(CAPTURE_FILE, `${JSON.stringify({method, path, body})}\n`, {mode: 0o600})
    keys.runResetJob()
    const controllable = !path.startsWith('/__test/')
    const before = controllable ? state.faults.take(method, path, false) : undefined
    if (before && (await applyFault(before, req, res))) return log(`fault ${before.kind}`)
    const reply = await router.dispatch({state, method, path, query: url.searchParams, body, bodyError, headers: req.headers})
    const after = controllable ? state.faults.take(method, path, true) : undefined
    if (after && (await applyFault(after, req, res))) return log(`fault ${after.kind} after handler (${reply.status})`)
    send(res, reply)
    log(String(reply.status))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      process.stderr.write(`[test-server] ${e instanceof Error ? e.stack : String(e)}\n`)
      send(res, {status: 500, json: {error: {message: 'Internal Server Error', type: 'internal_server_error', param: 'None', code: '500'}}})
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address() as AddressInfo
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address

  return {
    url: `http://${host}:${addr.port}`,
    masterKey,
    flavor,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const [t, wake] of timers) {
          clearTimeout(t)
          wake()
        }
        timers.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    setNow: state.setNow,
    addKey: (k) => seedKey(state, k),
    setSpend: (who, amount) => {
      const row = keys.find(who)
      if (!row) throw new Error(`setSpend: no key matches ${who}`)
      row.spend = amount
    },
    keys: () => keys.all().map((r) => structuredClone(r)),
    addTeam: (t) => {
      const {team_id, team_alias, ...rest} = t
      const row = newOrgRow(state, team_id, rest)
      row.alias = team_alias ?? null
      state.orgs.teams.set(team_id, row)
    },
    addUser: (u) => {
      const {user_id, user_alias, user_email, ...rest} = u
      const row = newOrgRow(state, user_id, rest)
      row.alias = user_alias ?? null
      row.email = user_email ?? null
      state.orgs.users.set(user_id, row)
    },
    setTeamSpend: (id, amount) => {
      const row = state.orgs.teams.get(id)
      if (!row) throw new Error(`setTeamSpend: no team ${id}`)
      row.spend = amount
    },
    setWindowSpend: (who, duration, amount) => {
      const row = keys.find(who)
      if (!row) throw new Error(`setWindowSpend: no key matches ${who}`)
      row.window_spend = {...row.window_spend, [duration]: amount}
    },
    setUserSpend: (id, amount) => {
      const row = state.orgs.users.get(id)
      if (!row) throw new Error(`setUserSpend: no user ${id}`)
      row.spend = amount
    },
    forgetKeys: () => keys.clear(),
    fault: (f) => state.faults.add(f),
    clearFaults: () => state.faults.clear(),
    spendRows: function* (): Generator<SpendLogRow> {
      const ds = spend.ds
      for (let i = 0; i < ds.length; i++) yield ds.rowAt(i)
    },
    appendSpendLogs: (rows) => {
      appendToDataset(spend.ds, rows)
      spend.invalidate()
      state.daily = new DailyAggregator(spend)
    },
  }
}
