/**
 * The real OpenClaw reads what `keyward openclaw connect` writes (`npm run test:openclaw`, not part of
 * `npm test`). OpenClaw and Node 24 come from npm into a cache folder (install.ts). For each home:
 * keyward connects against the test server, then OpenClaw itself is asked: `config validate --json`,
 * `models status --json`, one `agent --local` turn, `doctor --lint --json`; the test server must have
 * seen the turn with the minted key, and that key's spend must have risen.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {JsonObjectNode, JsonParser} from '@croct/json5-parser'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {MOCK_REPLY} from '../server/chat-routes.js'
import {hashKey} from '../server/index.js'
import {envFor, useTestServers} from '../helpers/test-server.js'
import {ensureOpenClaw, type RealOpenClaw} from './install.js'
import {describeRun, killAll, run, type ProcResult} from './proc.js'

// Regenerate enabled, as on an Enterprise proxy, for openclaw connect --rotate.
const fx = useTestServers({srv: {flavor: 'new', features: {regenerate: true}}})
let oc: RealOpenClaw

beforeAll(async () => {
  oc = await ensureOpenClaw((line) => process.stderr.write(`${line}\n`))
  process.stderr.write(`openclaw-real: ready in ${oc.ms} ms${oc.installed.length > 0 ? ` (installed ${oc.installed.join(', ')})` : ' (cached)'}\n`)
}, 30 * 60_000)

afterAll(() => killAll())

interface Home {
  home: string
  /** Where OpenClaw keeps its config and .env in this case. */
  stateDir: string
  env: Record<string, string | undefined>
}

let n = 0
async function makeHome(name: string, extra: (home: string) => Record<string, string> = () => ({})): Promise<Home> {
  const home = path.join(fx.dir, `${++n}-${name}`)
  await fs.mkdir(home, {recursive: true, mode: 0o700})
  const env = extra(home)
  return {home, stateDir: env.OPENCLAW_STATE_DIR ?? path.join(home, '.openclaw'), env}
}

/** The real OpenClaw, with Node 24 first on PATH, the temporary HOME and nothing else from this process. */
function openclaw(h: Home, args: string[], extra: Record<string, string> = {}, timeoutMs = 120_000): Promise<ProcResult> {
  const env: NodeJS.ProcessEnv = {PATH: `${oc.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`, HOME: h.home, TZ: 'UTC', NO_COLOR: '1', LANG: 'C.UTF-8', ...h.env, ...extra}
  return run(oc.node, [oc.openclaw, ...args], {env, cwd: h.home, timeoutMs})
}

/** The built keyward CLI, with the installed OpenClaw on PATH as a user would have it. */
function keyward(h: Home, args: string[], extra: Record<string, string | undefined> = {}): Promise<SpawnResult> {
  return runBin(args, {
    env: envFor(fx.srv, path.join(h.home, 'kw'), {PATH: `${oc.openclawBinDir}${path.delimiter}${process.env.PATH ?? ''}`, HOME: h.home, ...h.env, ...extra}),
    cwd: h.home,
    timeoutMs: 60_000,
  })
}

function expectOk(what: string, r: ProcResult | SpawnResult): void {
  if (r.exitCode !== 0) throw new Error(describeRun(what, {timedOut: false, ms: 0, ...r}))
}

/** The first JSON document in a command's stdout (OpenClaw may print a banner line before it). */
function jsonOut(what: string, r: ProcResult): any {
  const start = r.stdout.search(/^[{[]/m)
  try {
    return JSON.parse(r.stdout.slice(start))
  } catch {
    throw new Error(describeRun(`${what} did not print JSON`, r))
  }
}

/** How OpenClaw shows a key in `models status`: its first and last 8 characters. */
const masked = (key: string) => `${key.slice(0, 8)}...${key.slice(-8)}`

/** The key OpenClaw's `models status --json` says the litellm provider uses. */
function effectiveKey(s: any): string | undefined {
  const p = (s.auth?.providers as any[] | undefined)?.find((x) => x.provider === 'litellm')
  return p?.effective?.detail
}

function keyIn(envText: string): string {
  const m = /^LITELLM_API_KEY=(sk-\S+)$/m.exec(envText)
  if (!m) throw new Error(`no LITELLM_API_KEY in .env:\n${envText.replace(/sk-\S+/g, 'sk-...')}`)
  return m[1]!
}

/** keyward connects, then OpenClaw validates, lists, runs one turn on the proxy, and lints. */
async function connectAndAsk(h: Home, alias: string, connectArgs: string[] = [], primary = 'litellm/claude-opus-4-6'): Promise<{key: string; config: string}> {
  const connect = await keyward(h, ['openclaw', 'connect', '--alias', alias, ...connectArgs])
  expectOk('keyward openclaw connect', connect)
  const configPath = path.join(h.stateDir, 'openclaw.json')
  const key = keyIn(await fs.readFile(path.join(h.stateDir, '.env'), 'utf8'))
  const row = fx.srv.keys().find((k) => k.key_alias === alias)!
  expect(row.token).toBe(hashKey(key))

  const validate = await openclaw(h, ['config', 'validate', '--json'])
  expectOk('openclaw config validate --json', validate)
  const v = jsonOut('config validate', validate)
  expect(v).toMatchObject({valid: true, path: configPath})

  const cfg = JsonParser.parse(await fs.readFile(configPath, 'utf8'), JsonObjectNode).toJSON() as any
  expect(cfg.models.providers.litellm.apiKey).toEqual({source: 'env', provider: 'default', id: 'LITELLM_API_KEY'})
  expect(cfg.plugins.entries.litellm.enabled).toBe(true)

  const status = await openclaw(h, ['models', 'status', '--json'])
  expectOk('openclaw models status --json', status)
  const s = jsonOut('models status', status)
  expect(s.configPath).toBe(configPath)
  expect(s.defaultModel).toBe(primary)
  expect(effectiveKey(s)).toBe(masked(key))

  const spentBefore = fx.srv.keys().find((k) => k.key_alias === alias)!.spend
  const chatsBefore = fx.srv.requests.filter((q) => q.path.endsWith('/chat/completions')).length
  // One turn took 60 s on an idle 2-core machine and over 3 minutes under load.
  const turn = await openclaw(h, ['agent', '--local', '--agent', 'main', '--message', 'hi', '--json', '--timeout', '480'], {}, 540_000)
  expectOk('openclaw agent --local', turn)
  const t = jsonOut('agent', turn)
  expect(t.payloads?.[0]?.text).toBe(MOCK_REPLY)
  const chats = fx.srv.requests.filter((q) => q.path.endsWith('/chat/completions')).slice(chatsBefore)
  expect(chats.length).toBeGreaterThan(0)
  for (const c of chats) expect(c.headers.authorization).toBe(`Bearer ${key}`)
  const spentAfter = fx.srv.keys().find((k) => k.key_alias === alias)!.spend
  expect(spentAfter).toBeGreaterThan(spentBefore)
  // With the proxy's prices in the config, OpenClaw's own cost of the turn is what the proxy charged.
  expect(t.meta?.agentMeta?.usage?.cost?.total).toBeCloseTo(spentAfter - spentBefore, 9)

  const lint = await openclaw(h, ['doctor', '--lint', '--json'])
  const l = jsonOut('doctor --lint --json', lint)
  const aboutLitellm = (l.findings as unknown[]).filter((f) => /litellm/i.test(JSON.stringify(f)))
  expect(aboutLitellm).toEqual([])

  // keyward's status names the same key (no admin key: it reads with OpenClaw's own).
  const ks = await keyward(h, ['openclaw', 'status', '--json'], {LITELLM_MASTER_KEY: undefined})
  expectOk('keyward openclaw status', ks)
  expect(JSON.parse(ks.stdout)).toMatchObject({configPath, key: {source: '.env', path: path.join(h.stateDir, '.env'), valid: true, alias}, otherKeys: []})

  return {key, config: await fs.readFile(configPath, 'utf8')}
}

const COMMENTED = `// my OpenClaw settings: keep these comments
{
  /* a local model, kept as it is */
  models: {
    mode: "merge", // merge with the built-in catalogue
    providers: {
      ollama: {
        baseUrl: "http://127.0.0.1:11434",
        api: "ollama",
        models: [{id: "llama3", name: "Llama 3", contextWindow: 8192, maxTokens: 2048}],
      },
    },
  },
  agents: {
    defaults: {
      model: {primary: "ollama/llama3"}, // my default until now
    },
  },
}
`

describe('the real OpenClaw reads what keyward openclaw connect writes', () => {
  it('in a fresh home', async () => {
    const h = await makeHome('fresh')
    const {key} = await connectAndAsk(h, 'oc-fresh')

    // A different LITELLM_API_KEY in the environment wins over the .env, for OpenClaw and for keyward's status.
    const {key: shell} = fx.srv.addKey({key_alias: 'oc-fresh-shell', max_budget: 1, budget_duration: '30d'})
    const status = await openclaw(h, ['models', 'status', '--json'], {LITELLM_API_KEY: shell})
    expectOk('openclaw models status --json (LITELLM_API_KEY set)', status)
    expect(effectiveKey(jsonOut('models status', status))).toBe(masked(shell))
    const ks = await keyward(h, ['openclaw', 'status', '--json'], {LITELLM_MASTER_KEY: undefined, LITELLM_API_KEY: shell})
    expect(JSON.parse(ks.stdout)).toMatchObject({key: {source: 'environment', alias: 'oc-fresh-shell', valid: true}, otherKeys: [{source: '.env', alias: 'oc-fresh', name: `sk-...${key.slice(-4)}`}]})
  }, 20 * 60_000)

  it('in a home with a commented config and another provider', async () => {
    const h = await makeHome('commented')
    await fs.mkdir(path.join(h.stateDir), {recursive: true, mode: 0o700})
    await fs.writeFile(path.join(h.stateDir, 'openclaw.json'), COMMENTED)
    const {config} = await connectAndAsk(h, 'oc-commented', ['--primary', 'gpt-4o'], 'litellm/gpt-4o')
    for (const line of ['// my OpenClaw settings: keep these comments', '/* a local model, kept as it is */', 'mode: "merge", // merge with the built-in catalogue', '// my default until now']) {
      expect(config).toContain(line)
    }
    expect(config).toContain('ollama: {')
  }, 20 * 60_000)

  it('with OPENCLAW_STATE_DIR set', async () => {
    const h = await makeHome('state-dir', (home) => ({OPENCLAW_STATE_DIR: path.join(home, 'elsewhere', 'openclaw-state')}))
    const {key} = await connectAndAsk(h, 'oc-state-dir')
    await expect(fs.stat(path.join(h.home, '.openclaw', 'openclaw.json'))).rejects.toThrow()

    // A rotated key reaches the .env OpenClaw reads.
    const rotate = await keyward(h, ['openclaw', 'connect', '--alias', 'oc-state-dir', '--rotate'])
    expectOk('keyward openclaw connect --rotate', rotate)
    const rotated = keyIn(await fs.readFile(path.join(h.stateDir, '.env'), 'utf8'))
    expect(rotated).not.toBe(key)
    const status = await openclaw(h, ['models', 'status', '--json'])
    expectOk('openclaw models status --json (after --rotate)', status)
    expect(effectiveKey(jsonOut('models status', status))).toBe(masked(rotated))
  }, 20 * 60_000)

  it('with a profile: keyward --openclaw-profile NAME and openclaw --profile NAME agree', async () => {
    const h = await makeHome('profile')
    const connect = await keyward(h, ['openclaw', 'connect', '--alias', 'oc-profile', '--openclaw-profile', 'work'])
    expectOk('keyward openclaw connect --openclaw-profile work', connect)
    const dir = path.join(h.home, '.openclaw-work')
    const key = keyIn(await fs.readFile(path.join(dir, '.env'), 'utf8'))
    const validate = await openclaw(h, ['--profile', 'work', 'config', 'validate', '--json'])
    expectOk('openclaw --profile work config validate --json', validate)
    expect(jsonOut('config validate', validate)).toMatchObject({valid: true, path: path.join(dir, 'openclaw.json')})
    const status = await openclaw(h, ['--profile', 'work', 'models', 'status', '--json'])
    expectOk('openclaw --profile work models status --json', status)
    expect(effectiveKey(jsonOut('models status', status))).toBe(masked(key))
  }, 20 * 60_000)
})
