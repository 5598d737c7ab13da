/**
 * `keyward login`, `logout` and `profiles`. Login reads the key from stdin when stdin is not a TTY, so it
 * runs as the built CLI with the key piped in (the honest way: no argv, no seam); logout and profiles
 * run in-process.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import Logout from '../../src/commands/logout.js'
import Profiles from '../../src/commands/profiles.js'
import type {ProfilesResult} from '../../src/contracts/profiles.js'
import Status from '../../src/commands/status.js'
import {freePort} from '../helpers/free-port.js'
import {ROOT, runCommand} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'
import type {StatusResult} from '../../src/contracts/status.js'

const fx = useTestServers({srv: {flavor: 'new'}, oldSrv: {flavor: 'old'}})
let n = 0

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before these tests')
})

const newDir = async () => {
  const d = path.join(fx.dir, `cfg-${++n}`)
  await fs.mkdir(d)
  return d
}
const cfgFile = (dir: string) => path.join(dir, 'config.json')
const readCfg = async (dir: string) => JSON.parse(await fs.readFile(cfgFile(dir), 'utf8'))
const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o777

function login(dir: string, args: string[], stdin: string, env: Record<string, string | undefined> = {}) {
  return runBin(['login', ...args], {stdin, env: {KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir, ...env}})
}

describe('login', () => {
  it('reads the key from piped stdin, checks it, and saves the profile 0600 without echoing the key', async () => {
    const dir = await newDir()
    const before = fx.srv.requests.length
    const r = await login(dir, ['--base-url', fx.srv.url], `${fx.srv.masterKey}\n`)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`Saved profile 'default' (${fx.srv.url}, key sk-...ster) to ${cfgFile(dir)}`)
    expect(r.stdout + r.stderr).not.toContain(fx.srv.masterKey)
    expect(await modeOf(cfgFile(dir))).toBe(0o600)
    expect(await readCfg(dir)).toEqual({version: 1, defaultProfile: 'default', profiles: {default: {baseUrl: fx.srv.url, masterKey: fx.srv.masterKey}}})
    expect(await fs.readdir(dir)).toEqual(['config.json'])
    // Checked against the proxy with the key as a Bearer token.
    const sent = fx.srv.requests.slice(before)
    expect(sent.find((q) => q.path === '/key/list')?.headers.authorization).toBe(`Bearer ${fx.srv.masterKey}`)
  })

  it('--json prints the saved profile with the key abbreviated', async () => {
    const dir = await newDir()
    const r = await login(dir, ['--base-url', fx.srv.url, '--json'], `${fx.srv.masterKey}\r\n`)
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({profile: 'default', baseUrl: fx.srv.url, key: 'sk-...ster', verified: true, configFile: cfgFile(dir)})
    expect(r.stderr).toBe('')
  })

  it('takes the URL from LITELLM_PROXY_URL when no flag is given', async () => {
    const dir = await newDir()
    const r = await login(dir, [], `${fx.srv.masterKey}\n`, {LITELLM_PROXY_URL: `${fx.srv.url}/`})
    expect(r.exitCode).toBe(0)
    expect((await readCfg(dir)).profiles.default.baseUrl).toBe(fx.srv.url)
  })

  it('a wrong key exits 3, is not echoed anywhere, and nothing is saved', async () => {
    const dir = await newDir()
    const wrong = 'sk-ThisWrongKeyMustNotAppear-4321'
    const r = await login(dir, ['--base-url', fx.srv.url], `${wrong}\n`)
    expect(r.exitCode).toBe(3)
    expect(r.stderr).toContain(`the proxy at ${fx.srv.url} rejected the key sk-...4321 as an admin key`)
    expect(r.stderr).toContain('Nothing was saved')
    expect(r.stdout + r.stderr).not.toContain(wrong)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(await fs.readdir(dir)).toEqual([])
    // Also with --json: a JSON error on stdout, still without the key.
    const j = await login(dir, ['--base-url', fx.srv.url, '--json'], `${wrong}\n`)
    expect(j.exitCode).toBe(3)
    expect(JSON.parse(j.stdout).error).toMatchObject({kind: 'auth', exitCode: 3})
    expect(j.stdout + j.stderr).not.toContain(wrong)
  })

  it('a wrong key leaves an existing config exactly as it was', async () => {
    const dir = await newDir()
    expect((await login(dir, ['--base-url', fx.srv.url], `${fx.srv.masterKey}\n`)).exitCode).toBe(0)
    const before = await fs.readFile(cfgFile(dir), 'utf8')
    const r = await login(dir, ['--base-url', fx.srv.url], 'sk-another-wrong-key-0000\n')
    expect(r.exitCode).toBe(3)
    expect(await fs.readFile(cfgFile(dir), 'utf8')).toBe(before)
  })

  it('refuses a virtual key as the master key (exit 3), nothing saved', async () => {
    const dir = await newDir()
    const {key} = fx.srv.addKey({key_alias: 'not-admin'})
    const r = await login(dir, ['--base-url', fx.srv.url], `${key}\n`)
    expect(r.exitCode).toBe(3)
    expect(r.stderr).toContain(`the key sk-...${key.slice(-4)} is a virtual key (alias 'not-admin'), not the proxy master key`)
    expect(r.stdout + r.stderr).not.toContain(key)
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('no key on stdin exits 2; something that is not an sk- key exits 2 without a request or an echo', async () => {
    const dir = await newDir()
    const before = fx.srv.requests.length
    const empty = await login(dir, ['--base-url', fx.srv.url], '')
    expect(empty.exitCode).toBe(2)
    expect(empty.stderr.split('\n')[0]).toBe('Error: no key given')
    const secret = 'hunter2-not-a-litellm-key'
    const bad = await login(dir, ['--base-url', fx.srv.url], `${secret}\n`)
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('does not look like a LiteLLM key')
    expect(bad.stdout + bad.stderr).not.toContain(secret.slice(0, 6))
    expect(fx.srv.requests.length).toBe(before)
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('a malformed --base-url exits 2 before anything is read or sent', async () => {
    const dir = await newDir()
    const r = await login(dir, ['--base-url', 'not a url'], `${fx.srv.masterKey}\n`)
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe("Error: invalid proxy URL 'not a url': use http(s)://host[:port], e.g. http://localhost:4000")
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('an unreachable proxy exits 6 and saves nothing; --no-verify saves without a request', async () => {
    const dir = await newDir()
    const down = `http://127.0.0.1:${await freePort()}`
    const r = await login(dir, ['--base-url', down], `${fx.srv.masterKey}\n`)
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toContain(`cannot reach the proxy at ${down}`)
    expect(await fs.readdir(dir)).toEqual([])
    const saved = await login(dir, ['--base-url', down, '--no-verify', '--json'], `${fx.srv.masterKey}\n`)
    expect(saved.exitCode).toBe(0)
    expect(JSON.parse(saved.stdout)).toMatchObject({verified: false, baseUrl: down})
    expect((await readCfg(dir)).profiles.default).toEqual({baseUrl: down, masterKey: fx.srv.masterKey})
  })
})

describe('profiles, --profile and logout', () => {
  let dir: string
  const env = () => ({KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir})

  beforeAll(async () => {
    dir = await newDir()
    expect((await login(dir, ['--base-url', fx.srv.url], `${fx.srv.masterKey}\n`)).exitCode).toBe(0)
    const prod = await login(dir, ['--profile', 'prod', '--base-url', fx.oldSrv.url], `${fx.oldSrv.masterKey}\n`)
    expect(prod.exitCode).toBe(0)
  })

  it('a second login adds a profile and keeps the default', async () => {
    const cfg = await readCfg(dir)
    expect(cfg.defaultProfile).toBe('default')
    expect(Object.keys(cfg.profiles).sort()).toEqual(['default', 'prod'])
    expect(cfg.profiles.prod).toEqual({baseUrl: fx.oldSrv.url, masterKey: fx.oldSrv.masterKey})
    expect(await modeOf(cfgFile(dir))).toBe(0o600)
  })

  it('profiles lists them with keys only as sk-...WXYZ', async () => {
    const r = await runCommand<ProfilesResult>(Profiles, [], env())
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('default (default) *')
    expect(r.stdout).toContain('prod')
    expect(r.stdout).toContain('sk-...ster')
    expect(r.stdout + r.stderr).not.toContain(fx.srv.masterKey)
    const j = await runCommand<ProfilesResult>(Profiles, ['--json', '--profile', 'prod'], env())
    const json = JSON.parse(j.stdout) as ProfilesResult
    expect(json).toEqual({
      configFile: cfgFile(dir),
      profiles: [
        {name: 'default', default: true, active: false, baseUrl: fx.srv.url, masterKey: 'sk-...ster', apiKey: null},
        {name: 'prod', default: false, active: true, baseUrl: fx.oldSrv.url, masterKey: 'sk-...ster', apiKey: null},
      ],
    })
    expect(j.stdout).not.toContain(fx.srv.masterKey)
  })

  it('every command uses the stored profile; --profile picks another', async () => {
    const def = await runCommand<StatusResult>(Status, ['--json'], env())
    expect(def.exitCode).toBe(0)
    expect(def.result).toMatchObject({profile: 'default', baseUrl: fx.srv.url, version: '1.96.0', key: {source: 'profile default', valid: true}})
    const prod = await runCommand<StatusResult>(Status, ['--json', '--profile', 'prod'], env())
    expect(prod.exitCode).toBe(0)
    expect(prod.result).toMatchObject({profile: 'prod', baseUrl: fx.oldSrv.url, version: '1.60.2', key: {source: 'profile prod', valid: true}})
  })

  it('logout removes one profile, keeps the file 0600, and forgets the key', async () => {
    const r = await runCommand(Logout, ['--profile', 'prod'], env())
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain("Removed 'prod'")
    const text = await fs.readFile(cfgFile(dir), 'utf8')
    expect(JSON.parse(text).profiles).toEqual({default: {baseUrl: fx.srv.url, masterKey: fx.srv.masterKey}})
    expect(await modeOf(cfgFile(dir))).toBe(0o600)
    const p = await runCommand<ProfilesResult>(Profiles, ['--json'], env())
    expect(p.result!.profiles.map((x) => x.name)).toEqual(['default'])
  })

  it('logout of an unknown profile exits 4 (and --json gives a JSON error)', async () => {
    const r = await runCommand(Logout, ['--profile', 'nope', '--json'], env())
    expect(r.exitCode).toBe(4)
    expect(JSON.parse(r.stdout).error).toMatchObject({kind: 'not_found', message: "no profile named 'nope'", exitCode: 4})
  })

  it('logout --all removes everything, and the key is gone from the file', async () => {
    const r = await runCommand(Logout, ['--all', '--json'], env())
    expect(r.exitCode).toBe(0)
    expect(r.result).toEqual({removed: ['default'], configFile: cfgFile(dir), defaultProfile: null})
    const text = await fs.readFile(cfgFile(dir), 'utf8')
    expect(text).not.toContain('sk-')
    expect(JSON.parse(text).profiles).toEqual({})
    const p = await runCommand<ProfilesResult>(Profiles, [], env())
    expect(p.stdout).toBe('')
    expect(p.stderr).toContain('No profiles yet')
    // Without a stored key, status has nothing to check with.
    const s = await runCommand<StatusResult>(Status, ['--json'], {...env(), LITELLM_PROXY_URL: fx.srv.url})
    expect(s.exitCode).toBe(3)
  })
})

describe('no flag carries a secret', () => {
  it('no command has a flag for a key or password', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, {type: string}>}>}
    const bad: string[] = []
    for (const [id, cmd] of Object.entries(manifest.commands)) {
      for (const [name, flag] of Object.entries(cmd.flags)) {
        if (flag.type === 'option' && /^(master-key|api-key|admin-key|secret|password|token|key-value)$/.test(name)) bad.push(`${id} --${name}`)
      }
    }
    expect(bad).toEqual([])
    expect(Object.keys(manifest.commands)).toEqual(expect.arrayContaining(['login', 'logout', 'profiles', 'status']))
  })
})
