/**
 * The built CLI (`npm run build` first) against OpenClaw files it cannot write, and old backups that
 * hold a plain-text key (#11 items 6 and 7). Permissions only bind a non-root user: run as root, the
 * CLI runs as `nobody` in a home that user owns.
 */
import {describe, expect, it} from '@jest/globals'
import {createHash} from 'node:crypto'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {runBin} from '../../helpers/spawn.js'
import {useTestServers} from '../../helpers/test-server.js'
import {envFor} from './helpers.js'
import type {TestServer} from '../../server/index.js'

const fx = useTestServers({srv: {flavor: 'new'}})

const NOBODY = 65534
const asRoot = process.getuid?.() === 0
const user = asRoot ? {uid: NOBODY, gid: NOBODY} : {}
const CONFIG = '// mine\n{\n  gateway: {port: 18789}, // keep\n}\n'
const INLINE = 'sk-inline-old-key-0000000000000000'
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const generates = (s: TestServer) => s.requests.filter((r) => r.method === 'POST' && r.path === '/key/generate')

async function chownTree(p: string): Promise<void> {
  await fs.chown(p, NOBODY, NOBODY)
  if ((await fs.stat(p)).isDirectory()) for (const e of await fs.readdir(p)) await chownTree(path.join(p, e))
}

let n = 0
async function home(config = CONFIG): Promise<{home: string; dir: string; configPath: string; envPath: string}> {
  await fs.chmod(fx.dir, 0o711)
  const h = path.join(fx.dir, `home-${++n}`)
  const dir = path.join(h, '.openclaw')
  await fs.mkdir(dir, {recursive: true, mode: 0o700})
  const configPath = path.join(dir, 'openclaw.json')
  await fs.writeFile(configPath, config, {mode: 0o644})
  await fs.chmod(configPath, 0o644)
  if (asRoot) await chownTree(h)
  return {home: h, dir, configPath, envPath: path.join(dir, '.env')}
}

const connect = (h: string, args: string[], extra: Record<string, string | undefined> = {}) =>
  runBin(['openclaw', 'connect', ...args], {env: envFor(fx.srv, h, extra), ...user})

describe('openclaw connect and files it cannot write (#11 item 6)', () => {
  it('a read-only OpenClaw folder: exit 2 with one clear line before any key is minted; fixed, the next run connects', async () => {
    const h = await home()
    await fs.chmod(h.dir, 0o500)
    const r = await connect(h.home, ['--alias', 'oc-readonly'])
    expect(r.exitCode).toBe(2)
    const first = r.stderr.split('\n')[0]!
    expect(first).toMatch(/^Error: /)
    expect(first).toContain(h.dir)
    expect(first).toMatch(/not writable/)
    expect(first).toMatch(/nothing was minted/)
    expect(r.stderr).not.toMatch(/please report|EACCES: permission denied/)
    expect(r.stdout).toBe('')
    expect(generates(fx.srv)).toHaveLength(0)
    expect(await fs.readdir(h.dir)).toEqual(['openclaw.json'])

    await fs.chmod(h.dir, 0o700)
    const again = await connect(h.home, ['--alias', 'oc-readonly'])
    expect(again.stderr).not.toMatch(/Error/)
    expect(again.exitCode).toBe(0)
    expect(generates(fx.srv)).toHaveLength(1)
  })

  it('a read-only .env in a writable folder: exit 2, nothing minted, the .env untouched', async () => {
    const h = await home()
    await fs.writeFile(h.envPath, 'OTHER=1\n', {mode: 0o400})
    if (asRoot) await fs.chown(h.envPath, NOBODY, NOBODY)
    const r = await connect(h.home, ['--alias', 'oc-readonly-env', '--json'])
    expect(r.exitCode).toBe(2)
    const j = JSON.parse(r.stdout) as {error: {kind: string; message: string}}
    expect(j.error.kind).toBe('usage')
    expect(j.error.message).toContain(h.envPath)
    expect(generates(fx.srv)).toHaveLength(0)
    expect(await fs.readFile(h.envPath, 'utf8')).toBe('OTHER=1\n')
  })

  it('the folder becomes read-only while the key is minted: the key is printed once on stdout, with where it belongs; exit 6', async () => {
    const h = await home()
    fx.srv.fault({method: 'POST', path: '/key/generate', kind: 'slow', delayMs: 1500, after: true})
    const run = connect(h.home, ['--alias', 'oc-late'])
    const started = Date.now()
    while (generates(fx.srv).length === 0 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 20))
    await fs.chmod(h.dir, 0o500)
    const r = await run
    expect(r.exitCode).toBe(6)
    const keys = r.stdout.match(/sk-[A-Za-z0-9_-]{20,}/g) ?? []
    expect(keys).toHaveLength(1)
    const key = keys[0]!
    expect(r.stderr).not.toContain(key)
    expect(r.stderr).toContain(h.envPath)
    expect(r.stderr).toMatch(/LITELLM_API_KEY/)
    expect(r.stderr).not.toMatch(/please report/)
    // It is the secret of the key the proxy now holds for the alias.
    expect(fx.srv.keys().filter((k) => k.key_alias === 'oc-late').map((k) => k.token)).toEqual([sha256(key)])

    // The fix the message gives: make the folder writable and run again with the printed key.
    await fs.chmod(h.dir, 0o700)
    const again = await connect(h.home, ['--alias', 'oc-late'], {LITELLM_API_KEY: key})
    expect(again.exitCode).toBe(0)
    expect(await fs.readFile(h.envPath, 'utf8')).toContain(`LITELLM_API_KEY=${key}`)
    expect(generates(fx.srv)).toHaveLength(1)
  })
})

describe('openclaw connect backups (#11 item 7)', () => {
  it('the backup is 0600, and a config that held a plain-text key is warned about (without the key)', async () => {
    const inline = `{\n  models: {providers: {litellm: {baseUrl: "http://old", apiKey: "${INLINE}", api: "openai-completions", models: []}}},\n}\n`
    const h = await home(inline)
    const r = await connect(h.home, ['--alias', 'oc-inline'])
    expect(r.exitCode).toBe(0)
    const backups = (await fs.readdir(h.dir)).filter((f) => f.startsWith('openclaw.json.bak-'))
    expect(backups).toHaveLength(1)
    const backup = path.join(h.dir, backups[0]!)
    expect((await fs.stat(backup)).mode & 0o777).toBe(0o600)
    expect(await fs.readFile(backup, 'utf8')).toBe(inline)
    expect(r.stderr).toMatch(/warning: .*plain[- ]text/)
    expect(r.stderr).toContain(backup)
    expect(r.stderr).not.toContain(INLINE)
    expect(r.stdout).not.toContain(INLINE)
    expect(await fs.readFile(h.configPath, 'utf8')).not.toContain(INLINE)
  })

  it('a config without a plain-text key: the backup is 0600 too, and no warning about keys', async () => {
    const h = await home()
    const r = await connect(h.home, ['--alias', 'oc-plain-backup'])
    expect(r.exitCode).toBe(0)
    const backups = (await fs.readdir(h.dir)).filter((f) => f.startsWith('openclaw.json.bak-'))
    expect(backups).toHaveLength(1)
    expect((await fs.stat(path.join(h.dir, backups[0]!))).mode & 0o777).toBe(0o600)
    expect(r.stderr).not.toMatch(/plain[- ]text/)
  })
})
