import {afterAll, afterEach, beforeAll, describe, expect, it} from '@jest/globals'
import {createHash} from 'node:crypto'
import {startTestServer, type TestServer, type TestServerOptions} from './index.js'

const sha = (k: string): string => createHash('sha256').update(k).digest('hex')
const micros = (usd: number): number => Math.round(usd * 1e6)
const WED = new Date('2026-11-18T10:20:00Z') // a Wednesday

type Json = any

async function call(
  s: TestServer,
  path: string,
  init: {method?: string; body?: unknown; key?: string | null; headers?: Record<string, string>} = {},
): Promise<{status: number; body: Json; headers: Headers}> {
  const headers: Record<string, string> = {...init.headers}
  const key = init.key === undefined ? s.masterKey : init.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(s.url + path, {method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body)})
  const text = await res.text()
  let body: Json = text
  try {
    body = JSON.parse(text)
  } catch {
    // non-JSON bodies stay text
  }
  return {status: res.status, body, headers: res.headers}
}

// The test server's own tests: each describe starts a server with the options it tests (flavour, features,
// logs, port), so they call startTestServer directly instead of the shared fixture.
const servers: TestServer[] = []
async function server(opts: TestServerOptions = {}): Promise<TestServer> {
  const s = await startTestServer({now: () => WED, ...opts})
  servers.push(s)
  return s
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

describe('auth (§1)', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await server()
    s.addKey({key: 'sk-virtual-aaaaaaaaaaaaaaaa', key_alias: 'v'})
    s.addKey({key: 'sk-blocked-bbbbbbbbbbbbbbbb', key_alias: 'b', blocked: true})
    s.addKey({key: 'sk-expired-cccccccccccccccc', key_alias: 'e', expires: '2026-11-01T00:00:00+00:00'})
  })

  it.each([
    ['no key', 'auth_error', {key: null}],
    ['Authorization without Bearer', 'auth_error', {key: null, headers: {authorization: 'sk-virtual-aaaaaaaaaaaaaaaa'}}],
    ['a key not starting with sk-', 'auth_error', {key: 'nope'}],
    ['an unknown sk- key', 'token_not_found_in_db', {key: 'sk-unknown'}],
    ['a blocked key', 'auth_error', {key: 'sk-blocked-bbbbbbbbbbbbbbbb'}],
    ['an expired key', 'expired_key', {key: 'sk-expired-cccccccccccccccc'}],
  ] as const)('%s → 401 %s', async (_name, type, init) => {
    const r = await call(s, '/key/info', init)
    expect(r.status).toBe(401)
    expect(r.body.error).toMatchObject({type, code: '401'})
  })

  it('rejects a virtual key on a master-only route, accepts it on its own info', async () => {
    const denied = await call(s, '/key/generate', {key: 'sk-virtual-aaaaaaaaaaaaaaaa', body: {}})
    expect(denied.status).toBe(401)
    expect(denied.body.error.type).toBe('auth_error')
    const own = await call(s, '/key/info', {key: 'sk-virtual-aaaaaaaaaaaaaaaa'})
    expect(own.status).toBe(200)
    expect(own.body.key).toBe(sha('sk-virtual-aaaaaaaaaaaaaaaa'))
    expect(own.body.info.key_alias).toBe('v')
  })

  it('prefers x-litellm-api-key, serves public routes without a key, 404s unknown routes', async () => {
    const r = await call(s, '/key/info?key=v', {key: 'sk-wrong', headers: {'x-litellm-api-key': s.masterKey}})
    expect(r.status).toBe(404) // authenticated as master; "v" is not a key
    expect(r.body).toEqual({error: {message: 'Key not found in database', type: 'not_found_error', param: 'key', code: '404'}})
    expect((await call(s, '/health/liveliness', {key: null})).body).toBe("I'm alive!")
    expect((await call(s, '/health/readiness', {key: null})).body).toEqual({status: 'healthy', db: 'connected'})
    expect(await call(s, '/nope', {key: null})).toMatchObject({status: 404, body: {detail: 'Not Found'}})
  })
})

describe('keys (§3, §5, §6, §7)', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await server()
  })

  it('generates a key, hides budget_reset_at, then shows it in /key/info', async () => {
    const g = await call(s, '/key/generate', {body: {key_alias: 'ci-bot', max_budget: 50, budget_duration: '30d', soft_budget: 40, spend: 1.5}})
    expect(g.status).toBe(200)
    expect(g.body.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/)
    expect(g.body.token).toBe(sha(g.body.key))
    expect(g.body.token_id).toBe(g.body.token)
    expect(g.body.key_name).toBe(`sk-...${g.body.key.slice(-4)}`)
    expect(g.body).not.toHaveProperty('budget_reset_at')
    expect(g.body.litellm_budget_table.soft_budget).toBe(40)
    const info = await call(s, `/key/info?key=${g.body.token}`)
    expect(info.body.key).toBe(g.body.token)
    expect(info.body.info).not.toHaveProperty('token')
    expect(info.body.info).toMatchObject({key_alias: 'ci-bot', spend: 1.5, max_budget: 50, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00+00:00'})
    expect(info.body.info.litellm_budget_table.soft_budget).toBe(40)
  })

  it('answers LiteLLM errors: duplicate alias, negative budget, bad custom key, enterprise tags, bad duration', async () => {
    expect((await call(s, '/key/generate', {body: {key_alias: 'ci-bot'}})).body).toEqual({
      error: {message: "Key with alias 'ci-bot' already exists. Unique key aliases across all keys are required.", type: 'bad_request_error', param: 'key_alias', code: '400'},
    })
    const neg = await call(s, '/key/generate', {body: {max_budget: -1}})
    expect(neg.status).toBe(400)
    expect(neg.body.error.message).toBe("{'error': 'max_budget must be a non-negative finite number. Received: -1.0'}")
    const bad = await call(s, '/key/generate', {body: {key: 'abc'}})
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toBe(`{'error': "Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: abc"}`)
    expect((await call(s, '/key/generate', {body: {tags: ['x']}})).status).toBe(403)
    expect((await call(s, '/key/generate', {body: {duration: '30'}})).status).toBe(500)
    expect((await call(s, '/key/generate', {body: {models: 'gpt-4o'}})).status).toBe(422)
  })

  it('sets expires = now + duration', async () => {
    const g = await call(s, '/key/generate', {body: {duration: '30min'}})
    expect(g.body.expires).toBe('2026-11-18T10:50:00+00:00')
  })

  it('lists hashes or full rows, validates size and sort_by', async () => {
    s.addKey({key_alias: 'zeta', spend: 9})
    const hashes = await call(s, '/key/list?size=100')
    expect(hashes.body.keys.every((k: unknown) => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k))).toBe(true)
    expect(hashes.body.total_count).toBe(s.keys().length)
    const full = await call(s, '/key/list?return_full_object=true&key_alias=zeta')
    expect(full.body).toMatchObject({total_count: 1, current_page: 1, total_pages: 1})
    expect(full.body.keys[0]).toMatchObject({key_alias: 'zeta', spend: 9, budget_reset_at: null, litellm_budget_table: null})
    const bySpend = await call(s, '/key/list?return_full_object=true&sort_by=spend&sort_order=desc&size=1')
    expect(bySpend.body.keys[0].key_alias).toBe('zeta')
    expect(bySpend.body.total_pages).toBe(s.keys().length)
    const tooBig = await call(s, '/key/list?size=500')
    expect(tooBig.status).toBe(422)
    expect(tooBig.body.detail[0]).toMatchObject({type: 'less_than_equal', loc: ['query', 'size']})
    expect((await call(s, '/key/list?sort_by=nope')).status).toBe(400)
  })

  it('updates only present fields and returns the whole row, objects as objects (LiteLLM 1.94.3, 1.108.0)', async () => {
    const {key} = s.addKey({key_alias: 'upd', max_budget: 10, budget_duration: '1d', spend: 2})
    const r = await call(s, '/key/update', {body: {key, max_budget: null, metadata: {a: 1}, budget_duration: '7d'}})
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({key, token: sha(key), key_alias: 'upd', spend: 2, max_budget: null, metadata: {a: 1}, budget_duration: '7d', budget_reset_at: '2026-11-23T00:00:00+00:00'})
    expect((await call(s, '/key/update', {body: {key, key_alias: 'ci-bot'}})).body.error.param).toBe('key_alias')
    expect((await call(s, '/key/update', {body: {key: 'sk-missing'}})).status).toBe(404)
  })

  it('blocks, unblocks and deletes', async () => {
    const {key, token} = s.addKey({key_alias: 'tmp'})
    expect((await call(s, '/key/block', {body: {key}})).body).toMatchObject({token, blocked: true})
    expect((await call(s, '/key/info', {key})).status).toBe(401)
    expect((await call(s, '/key/unblock', {body: {key: token}})).body.blocked).toBe(false)
    expect((await call(s, '/key/delete', {body: {key_aliases: ['tmp']}})).body).toEqual({deleted_keys: ['tmp']})
    expect((await call(s, '/key/delete', {body: {keys: [key]}})).status).toBe(404)
    expect((await call(s, '/key/delete', {body: {}})).status).toBe(422)
  })

  it('regenerate is Enterprise-only by default; when enabled it keeps the row and spend', async () => {
    const {key} = s.addKey({key_alias: 'rot', spend: 3})
    const r = await call(s, `/key/${key}/regenerate`, {body: {}})
    expect(r.status).toBe(500)
    expect(r.body.error.message).toMatch(/^\{'error': 'Regenerating Virtual Keys is an Enterprise feature/)

    const ent = await server({features: {regenerate: true}})
    const old = ent.addKey({key_alias: 'rot', spend: 3, max_budget: 10})
    const g = await call(ent, `/key/${old.key}/regenerate`, {body: {grace_period: '1h'}})
    expect(g.status).toBe(200)
    expect(g.body).toMatchObject({token: null, token_id: sha(g.body.key), key_alias: 'rot', spend: 3, max_budget: 10})
    expect(g.body.key).not.toBe(old.key)
    expect((await call(ent, '/key/info', {key: old.key})).status).toBe(200) // grace period
    ent.setNow(new Date(WED.getTime() + 2 * 3600_000))
    expect((await call(ent, '/key/info', {key: old.key})).status).toBe(401)
  })
})

describe('budget resets (§4)', () => {
  const resetOf = async (s: TestServer, budget_duration: string): Promise<{status: number; stored?: string; at?: string}> => {
    const g = await call(s, '/key/generate', {body: {budget_duration}})
    if (g.status !== 200) return {status: g.status}
    const info = await call(s, `/key/info?key=${g.body.key}`)
    return {status: 200, stored: info.body.info.budget_duration, at: info.body.info.budget_reset_at}
  }

  it('new flavour: calendar-aligned, word aliases (stored as sent, as LiteLLM 1.108 does), unknown units fall back to next midnight', async () => {
    const s = await server({flavor: 'new'})
    const cases: [string, string, string][] = [
      ['monthly', 'monthly', '2026-12-01T00:00:00+00:00'],
      ['30d', '30d', '2026-12-01T00:00:00+00:00'],
      ['1mo', '1mo', '2026-12-01T00:00:00+00:00'],
      ['7d', '7d', '2026-11-23T00:00:00+00:00'],
      ['1w', '1w', '2026-11-23T00:00:00+00:00'],
      ['weekly', 'weekly', '2026-11-23T00:00:00+00:00'],
      ['1d', '1d', '2026-11-19T00:00:00+00:00'],
      ['24h', '24h', '2026-11-19T00:00:00+00:00'],
      ['6h', '6h', '2026-11-18T12:00:00+00:00'],
      ['15m', '15m', '2026-11-18T10:30:00+00:00'],
      ['3d', '3d', '2026-11-21T00:00:00+00:00'],
      ['30min', '30min', '2026-11-19T00:00:00+00:00'],
      ['30D', '30D', '2026-11-19T00:00:00+00:00'],
    ]
    for (const [input, stored, at] of cases) expect([input, await resetOf(s, input)]).toEqual([input, {status: 200, stored, at}])
    expect((await resetOf(s, '2mo')).status).toBe(500)
  })

  it('old flavour: "monthly" kept and reset at midnight, Nd/Nh rolling, 1mo at midnight', async () => {
    const s = await server({flavor: 'old'})
    expect(await resetOf(s, 'monthly')).toEqual({status: 200, stored: 'monthly', at: '2026-11-19T00:00:00.000000Z'})
    expect(await resetOf(s, '30d')).toEqual({status: 200, stored: '30d', at: '2026-12-18T10:20:00.000000Z'})
    expect(await resetOf(s, '6h')).toEqual({status: 200, stored: '6h', at: '2026-11-18T16:20:00.000000Z'})
    expect(await resetOf(s, '1mo')).toEqual({status: 200, stored: '1mo', at: '2026-11-19T00:00:00.000000Z'})
  })

  it('the reset job zeroes spend and recomputes with the same rules (the daily "monthly" trap)', async () => {
    const s = await server({flavor: 'old'})
    s.addKey({key_alias: 'trap', budget_duration: 'monthly', spend: 12})
    s.addKey({key_alias: 'ok', budget_duration: '30d', spend: 5})
    s.setNow(new Date('2026-11-19T00:00:01Z'))
    await call(s, '/health/readiness', {key: null}) // any request runs the job
    const rows = Object.fromEntries(s.keys().map((k) => [k.key_alias, k]))
    expect(rows.trap).toMatchObject({spend: 0, budget_reset_at: '2026-11-20T00:00:00.000000Z'})
    expect(rows.ok).toMatchObject({spend: 5})
  })
})

describe('spend logs (§8)', () => {
  const gen = {count: 25_000, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), seed: 7}
  const RANGE = 'start_date=2026-10-01%2000:00:00&end_date=2026-10-31%2023:59:59'
  let s: TestServer
  beforeAll(async () => {
    s = await server({logs: {generate: gen}})
  })

  it('generates deterministic, hostile, master-key and failure rows', async () => {
    const again = await server({logs: {generate: gen}})
    const a = [...s.spendRows()]
    const b = [...again.spendRows()]
    expect(b[12345]).toEqual(a[12345])
    expect(a.some((r) => r.api_key === 'litellm_proxy_master_key')).toBe(true)
    expect(a.some((r) => r.status === 'failure')).toBe(true)
    expect(a.filter((r) => r.status === 'failure').every((r) => r.spend === 0)).toBe(true)
    const cells = a.flatMap((r) => [r.user, r.end_user, r.team_id ?? '', ...r.request_tags, r.metadata.user_api_key_alias ?? ''])
    for (const needle of ['=', '+', '-', '@', '\t', '\r']) expect(cells.some((c) => c.startsWith(needle))).toBe(true)
    for (const needle of ['\n', '"', ',', '\u001b[', '\u001b]', '数']) expect(cells.some((c) => c.includes(needle))).toBe(true)
    expect(a.every((r, i) => i === 0 || r.startTime >= a[i - 1]!.startTime)).toBe(true)
  })

  it('caps total at 10,000 but keeps serving pages until the range is exhausted', async () => {
    const seen = new Set<string>()
    let first: Json
    for (let page = 1; ; page++) {
      const r = await call(s, `/spend/logs/v2?${RANGE}&page=${page}&page_size=1000`)
      expect(r.status).toBe(200)
      first ??= r.body
      if (r.body.data.length === 0) break
      for (const row of r.body.data) seen.add(row.request_id)
    }
    expect(first).toMatchObject({total: 10_000, total_is_capped: true, total_pages: 10, page: 1, page_size: 1000})
    expect(first.data[0].startTime >= first.data[999].startTime).toBe(true) // newest first
    expect(seen.size).toBe(25_000)
  })

  it('filters by key hash consistently across pages, and /spend/logs/ui is an alias', async () => {
    const hash = sha('sk-generated-ci-bot')
    const expected = [...s.spendRows()].filter((r) => r.api_key === hash).length
    const got: string[] = []
    for (let page = 1; ; page++) {
      const r = await call(s, `/spend/logs/ui?${RANGE}&api_key=${hash}&page=${page}&page_size=1000&sort_order=asc`)
      if (r.body.data.length === 0) break
      got.push(...r.body.data.map((x: Json) => x.api_key))
    }
    expect(got.length).toBe(expected)
    expect(new Set(got)).toEqual(new Set([hash]))
  })

  it('validates dates and page sizes', async () => {
    expect((await call(s, '/spend/logs/v2')).status).toBe(400)
    const bad = await call(s, '/spend/logs/v2?start_date=2026-10-01&end_date=2026-10-02')
    expect(bad.status).toBe(500)
    expect((await call(s, `/spend/logs/v2?${RANGE}&page_size=1001`)).status).toBe(422)
  })

  it('old flavour: no /spend/logs/v2, /spend/logs/ui up to 100 rows a page, uncapped total', async () => {
    const old = await server({flavor: 'old', logs: {generate: gen}})
    expect(await call(old, `/spend/logs/v2?${RANGE}`)).toMatchObject({status: 404, body: {detail: 'Not Found'}})
    expect((await call(old, `/spend/logs/ui?${RANGE}&page_size=101`)).status).toBe(422)
    const r = await call(old, `/spend/logs/ui?${RANGE}&page_size=100&page=250`)
    expect(r.body).toMatchObject({total: 25_000, total_pages: 250})
    expect(r.body).not.toHaveProperty('total_is_capped')
    expect(r.body.data).toHaveLength(100)
    expect([...old.spendRows()][0]!.api_key).not.toBe('litellm_proxy_master_key')
  })

  it('legacy /spend/logs: truncated without dates, end day excluded with dates', async () => {
    const all = await call(s, '/spend/logs')
    expect(all.body).toHaveLength(10_000)
    expect(all.headers.get('x-litellm-spend-logs-truncated')).toBe('true')
    const summary = await call(s, '/spend/logs?start_date=2026-10-01&end_date=2026-10-03')
    expect(summary.body.map((d: Json) => d.startTime)).toEqual(['2026-10-01', '2026-10-02'])
    const rows = [...s.spendRows()].filter((r) => r.startTime < '2026-10-02')
    expect(micros(summary.body[0].spend)).toBe(rows.reduce((t, r) => t + micros(r.spend), 0))
  })
})

describe('daily activity (§9)', () => {
  it('page totals add up exactly to the raw rows', async () => {
    const s = await server({logs: {generate: {count: 30_000, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), seed: 3}}})
    const rows = [...s.spendRows()]
    const perDay = new Map<string, number>()
    for (const r of rows) perDay.set(r.startTime.slice(0, 10), (perDay.get(r.startTime.slice(0, 10)) ?? 0) + micros(r.spend))
    let spend = 0
    let requests = 0
    let failed = 0
    const merged = new Map<string, number>()
    for (let page = 1; ; page++) {
      const r = await call(s, `/user/daily/activity?start_date=2026-10-01&end_date=2026-10-31&page=${page}&page_size=37`)
      expect(r.status).toBe(200)
      spend += micros(r.body.metadata.total_spend)
      requests += r.body.metadata.total_api_requests
      failed += r.body.metadata.total_failed_requests
      for (const d of r.body.results) {
        const keys = Object.values(d.breakdown.api_keys) as Json[]
        expect(keys.reduce((t, k) => t + micros(k.metrics.spend), 0)).toBe(micros(d.metrics.spend))
        merged.set(d.date, (merged.get(d.date) ?? 0) + micros(d.metrics.spend))
      }
      if (!r.body.metadata.has_more) break
    }
    expect(spend).toBe(rows.reduce((t, r) => t + micros(r.spend), 0))
    expect(requests).toBe(rows.length)
    expect(failed).toBe(rows.filter((r) => r.status === 'failure').length)
    expect(merged).toEqual(perDay)
    const old = await server({flavor: 'old'})
    expect((await call(old, '/user/daily/activity?start_date=2026-10-01&end_date=2026-10-31')).status).toBe(404)
  })
})

describe('faults', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await server()
  })
  afterEach(() => s.clearFaults())

  it.each([
    ['status503', 503, 'application/json'],
    ['status502', 502, 'text/html'],
    ['status504', 504, 'text/html'],
    ['html', 200, 'text/html'],
    ['truncated', 200, 'application/json'],
    ['nonjson', 200, 'text/plain'],
  ] as const)('%s answers %i %s once', async (kind, status, type) => {
    s.fault({path: '/key/list', kind})
    const r = await fetch(`${s.url}/key/list`, {headers: {authorization: `Bearer ${s.masterKey}`}})
    expect(r.status).toBe(status)
    expect(r.headers.get('content-type')).toContain(type)
    const text = await r.text()
    if (kind === 'truncated') expect(text).toBe('{"data": [')
    expect((await call(s, '/key/list')).status).toBe(200)
  })

  it('429 sends Retry-After', async () => {
    s.fault({path: '/key/list', kind: 'status429', retryAfter: 3})
    const r = await call(s, '/key/list')
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('3')
  })

  it('reset destroys the socket', async () => {
    s.fault({path: '/key/list', kind: 'reset'})
    await expect(fetch(`${s.url}/key/list`, {headers: {authorization: `Bearer ${s.masterKey}`}})).rejects.toThrow()
  })

  it('slow delays the real answer past a client timeout', async () => {
    s.fault({path: '/key/list', kind: 'slow', delayMs: 400})
    await expect(fetch(`${s.url}/key/list`, {headers: {authorization: `Bearer ${s.masterKey}`}, signal: AbortSignal.timeout(100)})).rejects.toThrow()
    s.fault({path: '/key/list', kind: 'slow', delayMs: 50})
    expect((await call(s, '/key/list')).status).toBe(200)
  })

  it('after: the handler runs (key created) but the answer is lost; skip lets N through', async () => {
    s.fault({method: 'POST', path: '/key/generate', kind: 'status503', after: true})
    expect((await call(s, '/key/generate', {body: {key_alias: 'lost'}})).status).toBe(503)
    expect(s.keys().some((k) => k.key_alias === 'lost')).toBe(true)
    s.fault({path: /^\/key\/(list|info)$/, kind: 'status502', skip: 2, times: 2})
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await call(s, '/key/list')).status)
    expect(statuses).toEqual([200, 200, 502, 502, 200])
  })

  it('HTTP controls: fault, clock and spend, master key only', async () => {
    const {token} = s.addKey({key_alias: 'ctl'})
    expect((await call(s, '/__test/spend', {body: {key: 'ctl', spend: 4.5}})).status).toBe(200)
    expect(s.keys().find((k) => k.token === token)!.spend).toBe(4.5)
    expect((await call(s, '/__test/fault', {body: {path: '/key/info', kind: 'status504'}})).status).toBe(200)
    expect((await call(s, '/key/info?key=ctl')).status).toBe(504)
    expect((await call(s, '/__test/clock', {body: {now: '2027-01-01T00:00:00Z'}})).status).toBe(200)
    expect((await call(s, '/__test/clock', {key: 'sk-nope', body: {now: '2027-01-01T00:00:00Z'}})).status).toBe(401)
    const g = await call(s, '/key/generate', {body: {duration: '1d'}})
    expect(g.body.expires).toBe('2027-01-02T00:00:00+00:00')
    expect(s.requests.at(-1)).toMatchObject({method: 'POST', path: '/key/generate', body: {duration: '1d'}})
  })
})

describe('discovery', () => {
  it('openapi paths, models and readiness details differ by flavour', async () => {
    const n = await server({flavor: 'new'})
    const o = await server({flavor: 'old'})
    const paths = async (s: TestServer): Promise<string[]> => Object.keys((await call(s, '/openapi.json', {key: null})).body.paths)
    expect(await paths(n)).toEqual(expect.arrayContaining(['/spend/logs/v2', '/user/daily/activity', '/key/{key}/reset_spend']))
    expect(await paths(o)).not.toEqual(expect.arrayContaining(['/spend/logs/v2']))
    expect(await paths(o)).not.toContain('/user/daily/activity')
    expect((await call(n, '/v1/models')).body.data.map((m: Json) => m.id)).toEqual(['claude-opus-4-6', 'gpt-4o', 'gemini-2.5-pro'])
    expect((await call(n, '/model/info')).body.data[0].model_info).toHaveProperty('max_input_tokens')
    expect((await call(n, '/health/readiness/details')).body.litellm_version).toBe('1.96.0')
    expect((await call(o, '/health/readiness', {key: null})).body.litellm_version).toBe('1.60.2')
  })
})

describe('/chat/completions (a mock_response model, §16)', () => {
  it("answers OpenAI-shaped, charges the calling key at the model's price, streams, and refuses an exhausted key", async () => {
    const s = await server()
    const {key} = s.addKey({key_alias: 'chatter', max_budget: 0.01, budget_duration: '30d'})
    const ask = (path: string, extra: Record<string, unknown> = {}) => call(s, path, {key, body: {model: 'gpt-4o', messages: [{role: 'user', content: 'hi'}], ...extra}})

    const r = await ask('/chat/completions')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({object: 'chat.completion', model: 'gpt-4o', choices: [{message: {role: 'assistant', content: 'Hello from the keyward test proxy.'}, finish_reason: 'stop'}], usage: {prompt_tokens: 10, completion_tokens: 20, total_tokens: 30}})
    // 10 × $2.50/M + 20 × $10/M
    expect(micros(s.keys().find((k) => k.key_alias === 'chatter')!.spend)).toBe(225)

    const streamed = await ask('/v1/chat/completions', {stream: true})
    expect(streamed.headers.get('content-type')).toBe('text/event-stream')
    const events = String(streamed.body).split('\n\n').filter(Boolean)
    expect(events.at(-1)).toBe('data: [DONE]')
    expect(JSON.parse(events[0]!.slice(6)).choices[0].delta.content).toBe('Hello from the keyward test proxy.')
    expect(JSON.parse(events.at(-2)!.slice(6)).usage).toEqual({prompt_tokens: 10, completion_tokens: 20, total_tokens: 30})
    expect(micros(s.keys().find((k) => k.key_alias === 'chatter')!.spend)).toBe(450)

    expect((await ask('/chat/completions', {model: 'nope'})).status).toBe(400)
    s.setSpend('chatter', 0.01)
    const over = await ask('/chat/completions')
    expect(over.status).toBe(400)
    expect(over.body.error.type).toBe('budget_exceeded')
    expect((await call(s, '/chat/completions', {key: null, body: {model: 'gpt-4o', messages: []}})).status).toBe(401)
  })
})
