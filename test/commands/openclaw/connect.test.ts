/** `keyward openclaw connect` against the test server, in-process, with a temporary HOME. */
import {describe, expect, it} from '@jest/globals'
import {JsonObjectNode, JsonParser} from '@croct/json5-parser'
import {createHash} from 'node:crypto'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import Connect from '../../../src/commands/openclaw/connect.js'
import {runCommand} from '../../helpers/run-command.js'
import {envFor} from './helpers.js'
import {forgetRequests, useTestServers} from '../../helpers/test-server.js'
import type {TestServer} from '../../server/index.js'
import type {ConnectResult} from '../../../src/contracts/openclaw.js'

const fx = useTestServers({srv: {flavor: 'new'}, oldSrv: {flavor: 'old'}})

const CONFIG = `// OpenClaw settings: hand-written, keep my comments
{
  /* the local model */
  models: {
    mode: "merge", // merge with built-ins
    providers: {
      ollama: {
        baseUrl: "http://127.0.0.1:11434",
        api: "ollama",
        models: [{id: "llama3", name: "Llama 3"}],
      },
    },
  },
  gateway: {port: 18789, bind: 'loopback'}, // do not expose
  agents: {
    defaults: {
      workspace: "~/projects",
    },
  },
}
`

let n = 0
async function home(config?: string, envFile?: string): Promise<{home: string; dir: string; configPath: string; envPath: string}> {
  const h = path.join(fx.dir, `home-${++n}`)
  const dir = path.join(h, '.openclaw')
  await fs.mkdir(dir, {recursive: true, mode: 0o700})
  const configPath = path.join(dir, 'openclaw.json')
  const envPath = path.join(dir, '.env')
  if (config !== undefined) await fs.writeFile(configPath, config, {mode: 0o644})
  if (envFile !== undefined) await fs.writeFile(envPath, envFile, {mode: 0o644})
  return {home: h, dir, configPath, envPath}
}


const json5 = (text: string) => JsonParser.parse(text, JsonObjectNode).toJSON() as Record<string, any>
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const generates = (s: TestServer) => s.requests.filter((r) => r.method === 'POST' && r.path === '/key/generate')
const mode = async (p: string) => (await fs.stat(p)).mode & 0o777

function envKey(text: string): string {
  const m = /^LITELLM_API_KEY=(\S+)$/m.exec(text)
  if (!m) throw new Error(`no LITELLM_API_KEY line in .env:\n${text}`)
  return m[1]!
}

describe('openclaw connect', () => {
  it('mints a key, writes the provider block and .env, keeps comments and the other provider, backs up', async () => {
    const h = await home(CONFIG, '# my env\nOTHER_TOKEN=abc\n')
    const r = await runCommand<ConnectResult>(Connect, [], envFor(fx.srv, h.home))
    expect(r.stderr).not.toMatch(/Error/)
    expect(r.exitCode).toBe(0)
    const res = r.result!
    expect(res.minted).toBe(true)
    expect(res.changed).toBe(true)
    expect(res.alias).toBe('openclaw')

    // The key: in .env only, 0600, other lines kept; it works and is the one on the proxy.
    const envText = await fs.readFile(h.envPath, 'utf8')
    expect(envText.startsWith('# my env\nOTHER_TOKEN=abc\n')).toBe(true)
    const key = envKey(envText)
    expect(await mode(h.envPath)).toBe(0o600)
    const row = fx.srv.keys().find((k) => k.key_alias === 'openclaw')!
    expect(row.token).toBe(sha256(key))
    expect(row.max_budget).toBe(50)
    expect(row.budget_duration).toBe('30d')
    expect((generates(fx.srv)[0]!.body as {budget_duration: string}).budget_duration).toBe('30d')
    expect(r.stdout).not.toContain(key)
    expect(r.stderr).not.toContain(key)
    expect(JSON.stringify(res)).not.toContain(key)
    expect(res.keyName).toBe(row.key_name)

    // The config: comments and formatting of untouched parts kept, other settings intact.
    const after = await fs.readFile(h.configPath, 'utf8')
    expect(after).not.toContain(key)
    for (const line of ['// OpenClaw settings: hand-written, keep my comments', '/* the local model */', 'mode: "merge", // merge with built-ins', "gateway: {port: 18789, bind: 'loopback'}, // do not expose", 'models: [{id: "llama3", name: "Llama 3"}],']) {
      expect(after).toContain(line)
    }
    const before = json5(CONFIG)
    const cfg = json5(after)
    expect(cfg.gateway).toEqual(before.gateway)
    expect(cfg.models.mode).toBe('merge')
    expect(cfg.models.providers.ollama).toEqual(before.models.providers.ollama)
    expect(cfg.agents.defaults.workspace).toBe('~/projects')
    const lit = cfg.models.providers.litellm
    expect(lit.baseUrl).toBe(fx.srv.url)
    expect(lit.apiKey).toBe('${LITELLM_API_KEY}')
    expect(lit.api).toBe('openai-completions')
    expect(lit.models.map((m: {id: string}) => m.id)).toEqual(['claude-opus-4-6', 'gpt-4o', 'gemini-2.5-pro'])
    // Prices from /model/info (USD per token) as OpenClaw's cost (USD per 1M tokens); cache prices where the proxy has them.
    expect(lit.models[0]).toEqual({id: 'claude-opus-4-6', name: 'Claude Opus 4.6', reasoning: true, input: ['text', 'image'], contextWindow: 200000, maxTokens: 64000, cost: {input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75}})
    expect(lit.models[1]).toEqual({id: 'gpt-4o', name: 'GPT-4o', reasoning: false, input: ['text', 'image'], contextWindow: 128000, maxTokens: 16384, cost: {input: 2.5, output: 10, cacheRead: 1.25}})
    expect(lit.models[2].cost).toEqual({input: 1.25, output: 10})
    expect(cfg.agents.defaults.model).toEqual({primary: 'litellm/claude-opus-4-6'})
    expect(res.primary).toBe('litellm/claude-opus-4-6')
    expect(res.primaryChanged).toBe(true)

    // Backup: the original, byte for byte; the config keeps its mode.
    expect(res.backupPath).toMatch(/openclaw\.json\.bak-\d{8}T\d{6}Z$/)
    expect(await fs.readFile(res.backupPath!, 'utf8')).toBe(CONFIG)
    expect(await mode(h.configPath)).toBe(0o644)

    // Human output names where the key went, without the key.
    expect(r.stdout).toContain(h.envPath)
    expect(r.stdout).toContain('minted now')

    // A second run changes nothing: no key, no write, no new backup.
    forgetRequests(fx.srv)
    const filesBefore = (await fs.readdir(h.dir)).sort()
    const r2 = await runCommand<ConnectResult>(Connect, ['--json'], envFor(fx.srv, h.home))
    expect(r2.exitCode).toBe(0)
    const j2 = JSON.parse(r2.stdout) as ConnectResult
    expect(j2).toMatchObject({minted: false, changed: false, configChanged: false, envChanged: false, backupPath: null, keySource: 'existing', primary: 'litellm/claude-opus-4-6'})
    expect(generates(fx.srv)).toHaveLength(0)
    expect(await fs.readFile(h.configPath, 'utf8')).toBe(after)
    expect(await fs.readFile(h.envPath, 'utf8')).toBe(envText)
    expect((await fs.readdir(h.dir)).sort()).toEqual(filesBefore)
    expect(r2.stdout).not.toContain(key)
    // The local key was checked with /key/info using that key.
    expect(fx.srv.requests.some((q) => q.path === '/key/info' && String(q.headers.authorization) === `Bearer ${key}`)).toBe(true)
  })

  it('reports a config that does not parse with its line and column, and changes nothing', async () => {
    const broken = '{\n  models: {\n    providers: {}\n  }\n  agents: {},\n}\n'
    const h = await home(broken)
    const r = await runCommand<ConnectResult>(Connect, [], envFor(fx.srv, h.home))
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/cannot parse .*openclaw\.json at line 5, column 3/)
    expect(await fs.readFile(h.configPath, 'utf8')).toBe(broken)
    expect(await fs.readdir(h.dir)).toEqual(['openclaw.json'])
    expect(fx.srv.requests).toHaveLength(0)

    const j = await runCommand(Connect, ['--json'], envFor(fx.srv, h.home))
    expect(j.exitCode).toBe(2)
    expect(JSON.parse(j.stdout).error.message).toMatch(/line 5, column 3/)
  })

  it('refuses when the alias exists but OpenClaw has no working key for it, and changes nothing', async () => {
    fx.srv.addKey({key_alias: 'openclaw-taken', max_budget: 10, budget_duration: '30d'})
    const h = await home(CONFIG, 'LITELLM_API_KEY=sk-not-a-real-key-000000\n')
    const r = await runCommand(Connect, ['--alias', 'openclaw-taken'], envFor(fx.srv, h.home))
    expect(r.exitCode).toBe(5)
    expect(r.stderr).toContain("alias 'openclaw-taken' already exists")
    // A new alias first: keys rotate is Enterprise-only on most proxies, so it comes second, and says so (#12 item 14).
    const tryThis = (r.stderr.split('Try this:\n')[1] ?? '').split('\n')
    expect(tryThis[0]).toContain('--alias "openclaw-taken-2"')
    expect(tryThis[1]).toContain('keys rotate "openclaw-taken"')
    expect(tryThis[1]).toMatch(/Enterprise/)
    expect(await fs.readFile(h.configPath, 'utf8')).toBe(CONFIG)
    expect(await fs.readFile(h.envPath, 'utf8')).toBe('LITELLM_API_KEY=sk-not-a-real-key-000000\n')
    expect((await fs.readdir(h.dir)).sort()).toEqual(['.env', 'openclaw.json'])
    expect(generates(fx.srv)).toHaveLength(0)
  })

  it('reuses a working key from the environment and copies it into .env', async () => {
    const {key} = fx.srv.addKey({key_alias: 'openclaw-env', max_budget: 20, budget_duration: '30d'})
    const h = await home(CONFIG)
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'openclaw-env', '--budget', '99'], envFor(fx.srv, h.home, {LITELLM_API_KEY: key}))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({minted: false, keySource: 'existing', envChanged: true, budget: 20})
    expect(envKey(await fs.readFile(h.envPath, 'utf8'))).toBe(key)
    expect(await mode(h.envPath)).toBe(0o600)
    expect(r.stderr).toContain('keeps its budget')
    expect(r.stdout + r.stderr).not.toContain(key)
    expect(generates(fx.srv)).toHaveLength(0)
  })

  it('--dry-run prints a diff and writes or mints nothing', async () => {
    const h = await home(CONFIG)
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'openclaw-dry', '--dry-run'], envFor(fx.srv, h.home))
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain(`--- ${h.configPath}`)
    expect(r.stdout).toContain('+      litellm: {')
    expect(r.stdout).toContain('+        apiKey: "${LITELLM_API_KEY}",')
    expect(r.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m)
    expect(r.stderr).toContain("Would mint key 'openclaw-dry'")
    expect(r.result).toMatchObject({dryRun: true, minted: false, keySource: 'would-mint', backupPath: null})
    expect(await fs.readFile(h.configPath, 'utf8')).toBe(CONFIG)
    expect((await fs.readdir(h.dir)).sort()).toEqual(['openclaw.json'])
    expect(generates(fx.srv)).toHaveLength(0)
    expect(fx.srv.keys().some((k) => k.key_alias === 'openclaw-dry')).toBe(false)
  })

  it('creates a missing config (folder 0700, file 0600, no backup) and honours --primary, --models, --period', async () => {
    const h = path.join(fx.dir, `home-${++n}`)
    await fs.mkdir(h)
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'openclaw-new', '--models', 'gpt-4o,gemini-2.5-pro', '--primary', 'litellm/gpt-4o', '--budget', '12.5', '--period', 'weekly', '--json'], envFor(fx.srv, h))
    expect(r.exitCode).toBe(0)
    const dir = path.join(h, '.openclaw')
    const j = JSON.parse(r.stdout) as ConnectResult
    expect(j).toMatchObject({minted: true, backupPath: null, primary: 'litellm/gpt-4o', configPath: path.join(dir, 'openclaw.json'), envPath: path.join(dir, '.env')})
    expect(await mode(dir)).toBe(0o700)
    expect(await mode(path.join(dir, 'openclaw.json'))).toBe(0o600)
    expect((await fs.readdir(dir)).sort()).toEqual(['.env', 'openclaw.json'])
    const cfg = json5(await fs.readFile(path.join(dir, 'openclaw.json'), 'utf8'))
    expect(cfg.models.providers.litellm.models.map((m: {id: string}) => m.id)).toEqual(['gpt-4o', 'gemini-2.5-pro'])
    expect(cfg.agents.defaults.model.primary).toBe('litellm/gpt-4o')
    const row = fx.srv.keys().find((k) => k.key_alias === 'openclaw-new')!
    expect(row).toMatchObject({max_budget: 12.5, budget_duration: '7d', models: ['gpt-4o', 'gemini-2.5-pro']})
  })

  it('rejects a --primary or --models the proxy does not serve before minting (exit 2)', async () => {
    const h = await home(CONFIG)
    const a = await runCommand(Connect, ['--alias', 'openclaw-bad', '--primary', 'no-such-model'], envFor(fx.srv, h.home))
    expect(a.exitCode).toBe(2)
    expect(a.stderr).toContain("--primary 'no-such-model' is not among the models")
    const b = await runCommand(Connect, ['--alias', 'openclaw-bad', '--models', 'gpt-4o,nope'], envFor(fx.srv, h.home))
    expect(b.exitCode).toBe(2)
    expect(b.stderr).toContain("does not serve 'nope'")
    const c = await runCommand(Connect, ['--period', 'fortnightly'], envFor(fx.srv, h.home))
    expect(c.exitCode).toBe(2)
    expect(generates(fx.srv)).toHaveLength(0)
    expect(await fs.readFile(h.configPath, 'utf8')).toBe(CONFIG)
  })

  it('keeps a primary that is already set, and uses defaults on a proxy without /model/info', async () => {
    const cfg = '{\n  "agents": {"defaults": {"model": {"primary": "ollama/llama3", "fallbacks": []}}}\n}\n'
    const h = await home(cfg)
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'openclaw-old'], envFor(fx.oldSrv, h.home))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('the proxy has no /model/info')
    const out = json5(await fs.readFile(h.configPath, 'utf8'))
    expect(out.agents.defaults.model).toEqual({primary: 'ollama/llama3', fallbacks: []})
    expect(out.models.providers.litellm.models[0]).toEqual({id: 'claude-opus-4-6', name: 'Claude Opus 4.6', reasoning: false, input: ['text'], contextWindow: 128000, maxTokens: 8192})
    expect(r.result?.primaryChanged).toBe(false)
    // The old proxy stores the duration we send (30d), never the word.
    expect(fx.oldSrv.keys().find((k) => k.key_alias === 'openclaw-old')?.budget_duration).toBe('30d')
  })

  it('honours OPENCLAW_CONFIG_PATH and puts .env next to that file', async () => {
    const dir = path.join(fx.dir, `elsewhere-${++n}`)
    await fs.mkdir(dir)
    const file = path.join(dir, 'my-openclaw.json5')
    await fs.writeFile(file, CONFIG)
    const h = await home()
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'openclaw-path'], envFor(fx.srv, h.home, {OPENCLAW_CONFIG_PATH: file}))
    expect(r.exitCode).toBe(0)
    expect(r.result?.configPath).toBe(file)
    expect(r.result?.envPath).toBe(path.join(dir, '.env'))
    expect(json5(await fs.readFile(file, 'utf8')).models.providers.litellm.api).toBe('openai-completions')
    expect(await fs.readdir(h.dir)).toEqual([])
  })
})
