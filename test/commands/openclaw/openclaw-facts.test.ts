/**
 * `openclaw connect` / `openclaw status` against the test server, where keyward must agree with the
 * real OpenClaw (litellm-api.md §17): the files OpenClaw reads (OPENCLAW_STATE_DIR, --profile), the key
 * it really uses (the environment wins over its .env), the SecretRef form for a new OpenClaw, and the
 * plugin flag `doctor --fix` would otherwise add.
 */
import {describe, expect, it} from '@jest/globals'
import {JsonObjectNode, JsonParser} from '@croct/json5-parser'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import Connect from '../../../src/commands/openclaw/connect.js'
import Status from '../../../src/commands/openclaw/status.js'
import type {ConnectResult, OpenClawStatusResult} from '../../../src/contracts/openclaw.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {envFor as sharedEnv} from './helpers.js'
import {forgetRequests, useTestServers} from '../../helpers/test-server.js'
import {hashKey} from '../../server/index.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const fx = useTestServers({srv: {flavor: 'new'}, ent: {flavor: 'new', features: {regenerate: true}}}, {now: NOW})

let n = 0
async function newHome(): Promise<string> {
  const h = path.join(fx.dir, `home-${++n}`)
  await fs.mkdir(h)
  return h
}
const envFor = (h: string, extra: Env = {}): Env => sharedEnv(fx.srv, h, {KEYWARD_NOW: NOW.toISOString(), ...extra})
const json5 = (text: string) => JsonParser.parse(text, JsonObjectNode).toJSON() as Record<string, any>
const keyIn = (text: string) => /^LITELLM_API_KEY=(\S+)$/m.exec(text)![1]!
const exists = (p: string) => fs.stat(p).then(() => true, () => false)

/** A folder to put on PATH holding `openclaw` as npm installs it: a link to the package's openclaw.mjs. */
async function fakeOpenClaw(version: string): Promise<string> {
  const dir = path.join(fx.dir, `openclaw-${version}-${++n}`)
  const pkg = path.join(dir, 'node_modules', 'openclaw')
  await fs.mkdir(pkg, {recursive: true})
  await fs.writeFile(path.join(pkg, 'package.json'), JSON.stringify({name: 'openclaw', version}))
  await fs.writeFile(path.join(pkg, 'openclaw.mjs'), '#!/usr/bin/env node\n', {mode: 0o755})
  const bin = path.join(dir, 'node_modules', '.bin')
  await fs.mkdir(bin)
  await fs.symlink('../openclaw/openclaw.mjs', path.join(bin, 'openclaw'))
  return bin
}

describe("OpenClaw's files", () => {
  it('connect writes the config and .env into $OPENCLAW_STATE_DIR, and status reads them there', async () => {
    const h = await newHome()
    const state = path.join(h, 'oc-state')
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-state'], envFor(h, {OPENCLAW_STATE_DIR: state}))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({configPath: path.join(state, 'openclaw.json'), envPath: path.join(state, '.env')})
    expect(json5(await fs.readFile(path.join(state, 'openclaw.json'), 'utf8')).models.providers.litellm.baseUrl).toBe(fx.srv.url)
    expect(fx.srv.keys().find((k) => k.key_alias === 'oc-state')!.token).toBe(hashKey(keyIn(await fs.readFile(path.join(state, '.env'), 'utf8'))))
    expect(await exists(path.join(h, '.openclaw'))).toBe(false)

    const s = await runCommand<OpenClawStatusResult>(Status, ['--json'], envFor(h, {OPENCLAW_STATE_DIR: state, LITELLM_MASTER_KEY: undefined}))
    expect(s.exitCode).toBe(0)
    expect(JSON.parse(s.stdout)).toMatchObject({configPath: path.join(state, 'openclaw.json'), key: {source: '.env', path: path.join(state, '.env'), valid: true, alias: 'oc-state'}})
  })

  it('--openclaw-profile NAME uses ~/.openclaw-NAME, as openclaw --profile NAME does', async () => {
    const h = await newHome()
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-profile', '--openclaw-profile', 'work'], envFor(h))
    expect(r.exitCode).toBe(0)
    const dir = path.join(h, '.openclaw-work')
    expect(r.result).toMatchObject({configPath: path.join(dir, 'openclaw.json'), envPath: path.join(dir, '.env')})
    expect(await exists(path.join(dir, '.env'))).toBe(true)
    expect(await exists(path.join(h, '.openclaw'))).toBe(false)
    const s = await runCommand<OpenClawStatusResult>(Status, ['--openclaw-profile', 'work'], envFor(h, {LITELLM_MASTER_KEY: undefined}))
    expect(s.exitCode).toBe(0)
    expect(s.result!.key).toMatchObject({source: '.env', alias: 'oc-profile', valid: true})

    const bad = await runCommand(Connect, ['--openclaw-profile', '../etc'], envFor(h))
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain("invalid OpenClaw profile '../etc'")
  })
})

describe('the key OpenClaw really uses', () => {
  it('status checks $LITELLM_API_KEY first (it wins over .env), and says which of the two has the budget', async () => {
    const h = await newHome()
    expect((await runCommand(Connect, ['--alias', 'oc-dotenv', '--budget', '30'], envFor(h))).exitCode).toBe(0)
    fx.srv.setSpend('oc-dotenv', 10)
    const {key: spent} = fx.srv.addKey({key_alias: 'oc-shell', max_budget: 5, budget_duration: '30d', spend: 5})

    const r = await runCommand<OpenClawStatusResult>(Status, ['--json'], envFor(h, {LITELLM_API_KEY: spent, LITELLM_MASTER_KEY: undefined}))
    const res = JSON.parse(r.stdout) as OpenClawStatusResult
    expect(res.key).toMatchObject({source: 'environment', path: null, alias: 'oc-shell', valid: true})
    expect(res.budget).toMatchObject({remaining: 0, status: 'over-budget'})
    expect(res.otherKeys).toEqual([expect.objectContaining({source: '.env', path: path.join(h, '.openclaw', '.env'), alias: 'oc-dotenv', valid: true, remaining: 20, budget: 30})])
    const warning = res.problems.find((p) => p.includes('is ignored'))!
    expect(warning).toContain('OpenClaw uses LITELLM_API_KEY from $LITELLM_API_KEY in the environment')
    expect(warning).toContain("'oc-dotenv', $20.00 of $30.00 left")
    expect(warning).toContain('Only the ignored one has budget: unset $LITELLM_API_KEY')
    expect(r.stdout).not.toContain(spent)

    // The same key in both places: no warning.
    const envKey = keyIn(await fs.readFile(path.join(h, '.openclaw', '.env'), 'utf8'))
    const same = await runCommand<OpenClawStatusResult>(Status, [], envFor(h, {LITELLM_API_KEY: envKey, LITELLM_MASTER_KEY: undefined}))
    expect(same.exitCode).toBe(0)
    expect(same.result!.otherKeys).toEqual([])
    expect(same.result!.key.source).toBe('environment')
    expect(same.stdout).toContain('(environment)')

    // Set but empty: OpenClaw does not fall back to the .env.
    const empty = await runCommand<OpenClawStatusResult>(Status, [], envFor(h, {LITELLM_API_KEY: '', LITELLM_MASTER_KEY: undefined}))
    expect(empty.exitCode).toBe(3)
    expect(empty.result!.problems.join('\n')).toContain('set but empty in the environment')
  })

  it('connect warns when the shell holds a different LITELLM_API_KEY than the .env it writes', async () => {
    const h = await newHome()
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-shadow'], envFor(h, {LITELLM_API_KEY: 'sk-some-other-key-0000000000'}))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('LITELLM_API_KEY is also set in this shell (sk-...0000) and differs from the key in')
    expect(r.stderr).not.toContain('sk-some-other-key-0000000000')
  })

  it('reads gateway.env last', async () => {
    const h = await newHome()
    expect((await runCommand(Connect, ['--alias', 'oc-gw'], envFor(h))).exitCode).toBe(0)
    const envPath = path.join(h, '.openclaw', '.env')
    const key = keyIn(await fs.readFile(envPath, 'utf8'))
    await fs.mkdir(path.join(h, '.config', 'openclaw'), {recursive: true})
    await fs.writeFile(path.join(h, '.config', 'openclaw', 'gateway.env'), `LITELLM_API_KEY=${key}\n`)
    await fs.rm(envPath)
    const r = await runCommand<OpenClawStatusResult>(Status, [], envFor(h, {LITELLM_MASTER_KEY: undefined}))
    expect(r.exitCode).toBe(0)
    expect(r.result!.key).toMatchObject({source: 'gateway.env', path: path.join(h, '.config', 'openclaw', 'gateway.env'), alias: 'oc-gw'})
  })
})

describe('the SecretRef form and the plugin flag', () => {
  const COMMENTED = '// mine\n{\n  models: {\n    providers: {\n      litellm: {\n        baseUrl: "http://old.invalid", // old proxy\n        apiKey: "${LITELLM_API_KEY}",\n        api: "openai-completions",\n        models: [],\n      },\n    },\n  },\n}\n'

  it('writes apiKey as a SecretRef for an OpenClaw on PATH that supports it, keeping comments; status reads it', async () => {
    const h = await newHome()
    await fs.mkdir(path.join(h, '.openclaw'))
    await fs.writeFile(path.join(h, '.openclaw', 'openclaw.json'), COMMENTED)
    const bin = await fakeOpenClaw('2026.9.6')
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-ref'], envFor(h, {PATH: bin}))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({openclawVersion: '2026.9.6', apiKeyForm: 'secret-ref'})
    const text = await fs.readFile(path.join(h, '.openclaw', 'openclaw.json'), 'utf8')
    expect(text).toContain('// mine')
    expect(text).toContain('// old proxy')
    expect(text).toMatch(/\n {8}apiKey: {\n {10}source: "env",\n {10}provider: "default",\n {10}id: "LITELLM_API_KEY",\n {8}},\n/)
    const cfg = json5(text)
    expect(cfg.models.providers.litellm.apiKey).toEqual({source: 'env', provider: 'default', id: 'LITELLM_API_KEY'})
    expect(cfg.plugins).toEqual({entries: {litellm: {enabled: true}}})

    const s = await runCommand<OpenClawStatusResult>(Status, ['--json'], envFor(h, {LITELLM_MASTER_KEY: undefined}))
    expect(s.exitCode).toBe(0)
    const res = JSON.parse(s.stdout) as OpenClawStatusResult
    expect(res.provider!.apiKey).toBe('SecretRef env:default:LITELLM_API_KEY')
    expect(res.key).toMatchObject({variable: 'LITELLM_API_KEY', source: '.env', valid: true, alias: 'oc-ref'})
    expect(res.problems).toEqual([])

    // Again: nothing to change.
    const again = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-ref', '--json'], envFor(h, {PATH: bin}))
    expect(JSON.parse(again.stdout)).toMatchObject({changed: false})
  })

  it('keeps the ${LITELLM_API_KEY} string for an older or unknown OpenClaw, and learns the version from meta', async () => {
    const h = await newHome()
    const old = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-old'], envFor(h, {PATH: await fakeOpenClaw('2026.3.2')}))
    expect(old.result).toMatchObject({openclawVersion: '2026.3.2', apiKeyForm: 'string'})
    expect(json5(await fs.readFile(path.join(h, '.openclaw', 'openclaw.json'), 'utf8')).models.providers.litellm.apiKey).toBe('${LITELLM_API_KEY}')

    const h2 = await newHome()
    await fs.mkdir(path.join(h2, '.openclaw'))
    await fs.writeFile(path.join(h2, '.openclaw', 'openclaw.json'), '{\n  meta: {lastTouchedVersion: "2026.8.1"},\n}\n')
    const meta = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-meta'], envFor(h2))
    expect(meta.result).toMatchObject({openclawVersion: '2026.8.1', apiKeyForm: 'secret-ref'})

    const h3 = await newHome()
    const none = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-none'], envFor(h3))
    expect(none.result).toMatchObject({openclawVersion: null, apiKeyForm: 'string'})
  })

  it('enables the litellm plugin with the comments kept, and leaves an explicit false alone with a warning', async () => {
    const h = await newHome()
    await fs.mkdir(path.join(h, '.openclaw'))
    await fs.writeFile(path.join(h, '.openclaw', 'openclaw.json'), '// keep\n{\n  plugins: {\n    entries: {\n      litellm: {enabled: false}, // off on purpose\n    },\n  },\n}\n')
    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-plugin-off'], envFor(h))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('plugins.entries.litellm.enabled is false')
    const text = await fs.readFile(path.join(h, '.openclaw', 'openclaw.json'), 'utf8')
    expect(text).toContain('litellm: {enabled: false}, // off on purpose')
  })
})

describe('openclaw connect --rotate', () => {
  it("gives OpenClaw's key a new secret, writes it to the .env OpenClaw reads (0600, atomically) and checks it", async () => {
    const ent = fx.ent
    const h = await newHome()
    const state = path.join(h, 'state')
    const env = sharedEnv(ent, h, {KEYWARD_NOW: NOW.toISOString(), OPENCLAW_STATE_DIR: state})
    expect((await runCommand(Connect, ['--alias', 'oc-rot', '--budget', '20'], env)).exitCode).toBe(0)
    const envPath = path.join(state, '.env')
    await fs.writeFile(envPath, `# mine\nOTHER=1\n${await fs.readFile(envPath, 'utf8')}`)
    const oldKey = keyIn(await fs.readFile(envPath, 'utf8'))
    ent.setSpend('oc-rot', 4)
    forgetRequests(ent)

    const r = await runCommand<ConnectResult>(Connect, ['--alias', 'oc-rot', '--rotate', '--json'], env)
    expect(r.exitCode).toBe(0)
    const text = await fs.readFile(envPath, 'utf8')
    const newKey = keyIn(text)
    expect(newKey).not.toBe(oldKey)
    expect(text.startsWith('# mine\nOTHER=1\n')).toBe(true)
    expect((await fs.stat(envPath)).mode & 0o777).toBe(0o600)
    expect((await fs.readdir(state)).filter((f) => f.startsWith('.env'))).toEqual(['.env'])
    const row = ent.keys().find((k) => k.key_alias === 'oc-rot')!
    expect(row.token).toBe(hashKey(newKey))
    expect(row).toMatchObject({spend: 4, max_budget: 20})
    expect(JSON.parse(r.stdout)).toMatchObject({keySource: 'rotated', envChanged: true, envPath, budget: 20})
    // Checked with one request using the new secret.
    expect(ent.requests.filter((q) => q.path === '/key/info' && q.headers.authorization === `Bearer ${newKey}`)).toHaveLength(1)
    expect(r.stdout + r.stderr).not.toContain(newKey)
    // The old secret is refused now; status is happy with the new one.
    const s = await runCommand<OpenClawStatusResult>(Status, [], {...env, LITELLM_MASTER_KEY: undefined})
    expect(s.exitCode).toBe(0)
    expect(s.result!.key).toMatchObject({source: '.env', valid: true, alias: 'oc-rot'})
  })

  it('changes nothing when the proxy refuses to rotate (not Enterprise), and needs an existing alias', async () => {
    const h = await newHome()
    expect((await runCommand(Connect, ['--alias', 'oc-norot'], envFor(h))).exitCode).toBe(0)
    const dir = path.join(h, '.openclaw')
    const before = await fs.readFile(path.join(dir, '.env'), 'utf8')
    const cfg = await fs.readFile(path.join(dir, 'openclaw.json'), 'utf8')
    const r = await runCommand(Connect, ['--alias', 'oc-norot', '--rotate'], envFor(h))
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toContain("LiteLLM Enterprise feature on this proxy, so 'oc-norot' was not rotated and nothing changed")
    expect(await fs.readFile(path.join(dir, '.env'), 'utf8')).toBe(before)
    expect(await fs.readFile(path.join(dir, 'openclaw.json'), 'utf8')).toBe(cfg)

    const none = await runCommand(Connect, ['--alias', 'oc-nobody', '--rotate'], envFor(h))
    expect(none.exitCode).toBe(4)
    expect(none.stderr).toContain("no key with alias 'oc-nobody' to rotate")
  })
})
