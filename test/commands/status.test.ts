/** `keyward status` (alias `doctor`) against both server flavours, in-process. */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import Status from '../../src/commands/status.js'
import {runCommand, type Env} from '../helpers/run-command.js'
import {freePort} from '../helpers/free-port.js'
import type {StatusResult} from '../../src/contracts/status.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({new: {flavor: 'new'}, old: {flavor: 'old'}})

const run = (argv: string[], env: Env) => runCommand<StatusResult>(Status, argv, env)
const lines = (s: string) => s.trimEnd().split('\n')

describe('against a new (v1.96) proxy', () => {
  it('reports reachability, key, version (from readiness/details) and features on one screen', async () => {
    const r = await run([], fx.env(fx.new))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({
      baseUrl: fx.new.url,
      profile: 'default',
      reachable: true,
      version: '1.96.0',
      db: 'connected',
      key: {role: 'admin', source: 'LITELLM_MASTER_KEY', name: 'sk-...ster', valid: true, error: null},
      features: {spendLogsV2: true, spendLogsUi: true, dailyActivity: true, resetSpend: true, budgetLimits: true},
      verdict: 'ok',
      problems: [],
    })
    expect(typeof r.result!.latencyMs).toBe('number')
    const out = lines(r.stdout)
    expect(out.length).toBeLessThanOrEqual(15)
    expect(out[0]).toMatch(new RegExp(`^proxy +${fx.new.url.replace(/[.:/]/g, '\\$&')} +reachable \\(\\d+ ms\\)$`))
    expect(r.stdout).toContain('version   1.96.0   db: connected')
    expect(r.stdout).toContain('key       sk-...ster (admin, from LITELLM_MASTER_KEY)  accepted')
    expect(r.stdout).toContain('spend/logs/v2: yes')
    expect(out.at(-1)).toBe('verdict   OK: ready to use')
    expect(r.stdout + r.stderr).not.toContain(fx.new.masterKey)
    // The key was checked with an admin call and sent as a Bearer token.
    const list = fx.new.requests.find((q) => q.path === '/key/list')
    expect(list?.headers.authorization).toBe(`Bearer ${fx.new.masterKey}`)
    // Never the model-calling /health.
    expect(fx.new.requests.some((q) => q.path === '/health')).toBe(false)
  })

  it('--json prints exactly the result object, nothing else on stdout', async () => {
    const r = await run(['--json'], fx.env(fx.new))
    expect(r.exitCode).toBe(0)
    const json = JSON.parse(r.stdout) as StatusResult
    expect(json).toEqual(r.result)
    expect(Object.keys(json).sort()).toEqual(['access', 'baseUrl', 'db', 'features', 'key', 'latencyMs', 'problems', 'profile', 'reachable', 'verdict', 'version'])
    expect(Object.keys(json.key).sort()).toEqual(['error', 'name', 'role', 'source', 'valid'])
    expect(r.stderr).toBe('')
  })

  it('checks a virtual key (LITELLM_API_KEY) with /key/info when there is no admin key', async () => {
    const {key} = fx.new.addKey({key_alias: 'status-self', max_budget: 5})
    const r = await run(['--json'], fx.env(fx.new, {LITELLM_MASTER_KEY: undefined, LITELLM_API_KEY: key}))
    expect(r.exitCode).toBe(0)
    expect(r.result!.key).toEqual({role: 'self', source: 'LITELLM_API_KEY', name: `sk-...${key.slice(-4)}`, valid: true, error: null})
    expect(fx.new.requests.find((q) => q.path === '/key/info')?.headers.authorization).toBe(`Bearer ${key}`)
    expect(r.stdout).not.toContain(key)
  })
  it('with only a virtual key: says what works with it and what needs the master key (#12 item 15)', async () => {
    const {key} = fx.new.addKey({key_alias: 'status-self-2', max_budget: 5})
    const r = await run([], fx.env(fx.new, {LITELLM_MASTER_KEY: undefined, LITELLM_API_KEY: key}))
    expect(r.exitCode).toBe(0)
    expect(r.result!.access).toBe('own-key')
    expect(r.stdout).not.toContain('OK: ready to use')
    const verdict = lines(r.stdout).filter((l) => l.startsWith('verdict') || l.startsWith('  '))
    expect(verdict.join('\n')).toMatch(/keys info.*budget check/)
    expect(verdict.join('\n')).toMatch(/keys list.*spend report.*master key/)
    const admin = await run(['--json'], fx.env(fx.new))
    expect(admin.result!.access).toBe('admin')
  })

  it('warns when the "master" key is really a virtual key', async () => {
    const {key} = fx.new.addKey({key_alias: 'posing-as-admin'})
    const r = await run(['--json'], fx.env(fx.new, {LITELLM_MASTER_KEY: key}))
    expect(r.exitCode).toBe(0)
    expect(r.result!.verdict).toBe('warning')
    expect(r.result!.key).toMatchObject({role: 'admin', valid: true})
    expect(r.result!.problems).toEqual([
      `the admin key sk-...${key.slice(-4)} (from LITELLM_MASTER_KEY) is a virtual key (alias 'posing-as-admin'), not the proxy master key: admin commands may be refused`,
    ])
    expect(r.stdout).not.toContain(key)
  })
})

describe('against an old proxy', () => {
  it('reads version and db from /health/readiness and sees no v2 spend logs or daily activity', async () => {
    const r = await run([], fx.env(fx.old))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({
      reachable: true,
      version: '1.60.2',
      db: 'connected',
      key: {valid: true},
      features: {spendLogsV2: false, spendLogsUi: true, dailyActivity: false, budgetLimits: false},
      verdict: 'ok',
    })
    // The old flavour has no /health/readiness/details; readiness already carried the version.
    expect(fx.old.requests.some((q) => q.path === '/health/readiness/details')).toBe(false)
    expect(lines(r.stdout).length).toBeLessThanOrEqual(15)
    expect(r.stdout).toContain('spend/logs/v2: no  spend/logs/ui: yes  daily activity: no')
    expect(r.stdout).toContain('version   1.60.2')
  })

  it('doctor is a hidden alias (not listed twice in the root help)', () => {
    expect(Status.hiddenAliases).toContain('doctor')
  })
})

describe('failures', () => {
  it('a wrong key exits 3, says it was rejected, and never echoes the key', async () => {
    const wrong = 'sk-WrongKeyThatMustNotLeak-9876'
    const r = await run([], fx.env(fx.new, {LITELLM_MASTER_KEY: wrong}))
    expect(r.exitCode).toBe(3)
    expect(r.result).toMatchObject({reachable: true, verdict: 'error', key: {valid: false, name: 'sk-...9876'}})
    expect(r.stdout).toContain('rejected')
    expect(r.stdout).toContain('NOT READY')
    expect(r.stdout + r.stderr).not.toContain(wrong)
    const j = await run(['--json'], fx.env(fx.new, {LITELLM_MASTER_KEY: wrong}))
    expect(j.exitCode).toBe(3)
    expect(j.stdout).not.toContain(wrong)
    expect(JSON.parse(j.stdout).key.valid).toBe(false)
  })

  it('no key at all exits 3 with a hint', async () => {
    const r = await run(['--json'], fx.env(fx.new, {LITELLM_MASTER_KEY: undefined}))
    expect(r.exitCode).toBe(3)
    expect(r.result!.key.role).toBeNull()
    expect(r.result!.problems.join('\n')).toContain('no key configured')
    expect(r.result!.verdict).toBe('error')
  })

  it('an HTML page instead of the proxy exits 6 and says what it found', async () => {
    fx.new.fault({path: '/health/liveliness', kind: 'html'})
    const r = await run([], fx.env(fx.new))
    expect(r.exitCode).toBe(6)
    expect(r.result).toMatchObject({reachable: false, verdict: 'error'})
    expect(r.stdout).toContain(`not a LiteLLM proxy: got an HTML page from ${fx.new.url}`)
    expect(r.stdout).toContain('NOT READY')
    // Nothing with the key was sent to a host that is not a LiteLLM proxy (and it was asked something).
    expect(fx.new.requests.some((q) => q.path === '/health/liveliness')).toBe(true)
    expect(fx.new.requests.filter((q) => q.headers.authorization !== undefined)).toEqual([])
  })

  it('a non-JSON body exits 6 too (--json carries the finding)', async () => {
    fx.new.fault({path: '/health/liveliness', kind: 'nonjson'})
    const r = await run(['--json'], fx.env(fx.new))
    expect(r.exitCode).toBe(6)
    const json = JSON.parse(r.stdout) as StatusResult
    expect(json.problems[0]).toMatch(/^not a LiteLLM proxy: got a non-JSON answer/)
  })

  it('an unreachable port exits 6', async () => {
    const port = await freePort()
    const r = await run(['--json'], fx.env(fx.new, {LITELLM_PROXY_URL: `http://127.0.0.1:${port}`}))
    expect(r.exitCode).toBe(6)
    expect(r.result).toMatchObject({reachable: false, latencyMs: null, version: null, features: null, verdict: 'error'})
    expect(r.result!.problems[0]).toContain(`cannot reach the proxy at http://127.0.0.1:${port}: ECONNREFUSED`)
  })

  it('a slow proxy is abandoned after --timeout and exits 6', async () => {
    fx.new.fault({path: '/health/liveliness', kind: 'slow', delayMs: 4000})
    const started = Date.now()
    const r = await run(['--timeout', '0.3', '--json'], fx.env(fx.new))
    expect(Date.now() - started).toBeLessThan(3000)
    expect(r.exitCode).toBe(6)
    expect(r.result!.problems[0]).toBe(`GET /health/liveliness timed out after 0.3 s (proxy ${fx.new.url})`)
  })

  it('a malformed --base-url exits 2 before any request, in one line without a stack', async () => {
    const r = await run(['--base-url', 'localhost:4000'], fx.env(fx.new))
    expect(r.exitCode).toBe(2)
    expect(fx.new.requests).toEqual([])
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')[0]).toBe("Error: invalid proxy URL 'localhost:4000': only http:// and https:// are supported")
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })

  it('a malformed LITELLM_PROXY_URL exits 2 and says where it came from; --json gives a JSON error', async () => {
    const r = await run(['--json'], fx.env(fx.new, {LITELLM_PROXY_URL: 'http//oops'}))
    expect(r.exitCode).toBe(2)
    const json = JSON.parse(r.stdout) as {error: {kind: string; message: string; exitCode: number}}
    expect(json.error).toMatchObject({kind: 'usage', exitCode: 2})
    expect(json.error.message).toContain('(from LITELLM_PROXY_URL)')
    expect(fx.new.requests).toEqual([])
  })

  it('a bad --timeout exits 2 with an example', async () => {
    const r = await run(['--timeout', 'soon'], fx.env(fx.new))
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain("invalid timeout 'soon'")
    expect(r.stderr).toContain('--timeout 30')
    expect(fx.new.requests).toEqual([])
  })

  it('a 503 that clears up is retried and status is OK', async () => {
    fx.new.fault({path: '/key/list', kind: 'status503', times: 1})
    const r = await run(['--json'], fx.env(fx.new, {}))
    expect(r.exitCode).toBe(0)
    expect(fx.new.requests.filter((q) => q.path === '/key/list')).toHaveLength(2)
  })

  it('a missing /openapi.json is a warning, not a failure', async () => {
    fx.new.fault({path: '/openapi.json', kind: 'html'})
    const r = await run(['--json'], fx.env(fx.new))
    expect(r.exitCode).toBe(0)
    expect(r.result!.verdict).toBe('warning')
    expect(r.result!.problems.join('\n')).toContain('could not read /openapi.json')
  })
})

describe('--debug', () => {
  it('prints requests to stderr and never the master key', async () => {
    fx.new.fault({path: '/key/list', kind: 'status503', times: 1})
    const r = await run(['--debug'], fx.env(fx.new))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('debug: GET')
    expect(r.stderr).toMatch(/-> 503; retrying in \d+ ms/)
    expect(r.stdout + r.stderr).not.toContain(fx.new.masterKey)
  })

  it('--json --debug: debug lines on stderr, stdout still pure JSON', async () => {
    const r = await run(['--json', '--debug'], fx.env(fx.new))
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({verdict: 'ok'})
    expect(r.stderr).toMatch(/^debug: GET .*\/key\/list\?page=1&size=1&return_full_object=true -> 200/m)
    expect(r.stdout + r.stderr).not.toContain(fx.new.masterKey)
  })

  it('with a wrong key, neither the debug lines nor the error show the key', async () => {
    const wrong = 'sk-DebugWrongKey-55554444'
    const r = await run(['--debug'], fx.env(fx.new, {LITELLM_MASTER_KEY: wrong}))
    expect(r.exitCode).toBe(3)
    expect(r.stderr).toContain('debug: GET')
    expect(r.stdout + r.stderr).not.toContain(wrong)
  })
})

describe('profiles from the config file', () => {
  it('uses the URL and key stored in the selected profile (--profile)', async () => {
    const dir = await fs.mkdtemp(path.join(fx.dir, 'cfg-'))
    await fs.writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({version: 1, defaultProfile: 'default', profiles: {default: {baseUrl: 'http://127.0.0.1:9'}, old: {baseUrl: fx.old.url, masterKey: fx.old.masterKey}}}),
      {mode: 0o600},
    )
    const env = {KEYWARD_CONFIG_DIR: dir, LITELLM_PROXY_URL: undefined, LITELLM_MASTER_KEY: undefined}
    const r = await run(['--profile', 'old', '--json'], env)
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({baseUrl: fx.old.url, profile: 'old', version: '1.60.2', key: {source: 'profile old', valid: true}})
    expect(fx.old.requests.length).toBeGreaterThan(0)
  })
})

describe('unknown profiles', () => {
  it('a --profile that does not exist exits 2 before any request (no silent fallback to another proxy)', async () => {
    const dir = await fs.mkdtemp(path.join(fx.dir, 'cfg-'))
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({version: 1, profiles: {prod: {baseUrl: fx.new.url, masterKey: fx.new.masterKey}}}), {mode: 0o600})
    const r = await run(['--profile', 'prdo'], fx.env(fx.new, {KEYWARD_CONFIG_DIR: dir}))
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`Error: no profile named 'prdo' in ${path.join(dir, 'config.json')}`)
    expect(r.stderr).toContain('keyward login --profile prdo')
    const e = await run(['--json'], fx.env(fx.new, {KEYWARD_CONFIG_DIR: dir, KEYWARD_PROFILE: 'staging'}))
    expect(e.exitCode).toBe(2)
    expect(JSON.parse(e.stdout).error.message).toContain("no profile named 'staging'")
    expect(fx.new.requests).toEqual([])
  })
})

