/** The built CLI (`bin/run.js`) as a child process, with a pinned environment. Needs `npm run build`. */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {freePort} from '../helpers/free-port.js'
import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {version: string}).version

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
})

const env = (extra: Record<string, string | undefined> = {}) => fx.env(fx.srv, extra)
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+(\(|:\d+)/m)

describe('keyward (built)', () => {
  it('--version prints the package version', async () => {
    const r = await runBin(['--version'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^keyward/${version.replace(/\./g, '\\.')} \\S+ node-v\\d+`))
    expect(r.stderr).toBe('')
  })

  it('--help lists the commands and topics', async () => {
    const r = await runBin(['--help'], {env: env()})
    expect(r.exitCode).toBe(0)
    for (const word of ['USAGE', 'status', 'login', 'logout', 'profiles']) expect(r.stdout).toContain(word)
    // Topics appear once they have commands; whichever exist must be listed.
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
    const topics = new Set(Object.keys(manifest.commands).filter((id) => id.includes(':')).map((id) => id.split(':')[0]))
    expect([...topics].sort()).toEqual(expect.arrayContaining(['budget', 'keys', 'openclaw', 'spend']))
    for (const t of topics) expect(r.stdout).toMatch(new RegExp(`^\\s+${t}\\s`, 'm'))
  })

  it('status --help shows a lowercase summary, the global flags and an example', async () => {
    const r = await runBin(['status', '--help'], {env: env()})
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('check the proxy, the key and the features keyward uses')
    for (const flag of ['--base-url', '--profile', '--timeout', '--debug', '--json']) expect(r.stdout).toContain(flag)
    expect(r.stdout).toContain('EXAMPLES')
    expect(r.stdout).toContain('$ keyward status')
  })

  it('status --json against the server: pure JSON on stdout, exit 0', async () => {
    const r = await runBin(['status', '--json'], {env: env()})
    expect(r.exitCode).toBe(0)
    const json = JSON.parse(r.stdout) as {verdict: string; reachable: boolean; version: string; key: {name: string; valid: boolean}}
    expect(json).toMatchObject({verdict: 'ok', reachable: true, version: '1.96.0', key: {name: 'sk-...ster', valid: true}})
    expect(r.stderr).toBe('')
    expect(r.stdout).not.toContain(fx.srv.masterKey)
  })

  it('root help lists status once; doctor is a hidden alias (#12 item 15)', async () => {
    const r = await runBin(['--help'], {env: env()})
    expect(r.stdout).toMatch(/^\s+status\s/m)
    expect(r.stdout).not.toMatch(/^\s+doctor\s/m)
  })

  it('doctor is status under another name; human output fits one screen', async () => {
    const r = await runBin(['doctor'], {env: env()})
    expect(r.exitCode).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(15)
    expect(lines.at(-1)).toBe('verdict   OK: ready to use')
  })

  it('an unknown flag exits 2 with one error line and no stack', async () => {
    const r = await runBin(['status', '--frobnicate'], {env: env()})
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^Error: unknown flag --frobnicate/)
    expect(lines.filter((l) => l.startsWith('Error'))).toHaveLength(1)
    noStack(r.stderr)
  })

  it('with --json, errors are pure JSON on stdout too', async () => {
    const r = await runBin(['status', '--json', '--frobnicate'], {env: env()})
    expect(r.exitCode).toBe(2)
    const json = JSON.parse(r.stdout) as {error: {kind: string; exitCode: number; message: string}}
    expect(json.error).toMatchObject({kind: 'usage', exitCode: 2})
    expect(json.error.message).toContain('--frobnicate')
    noStack(r.stderr)
  })

  it('a malformed --base-url exits 2 before any request', async () => {
    const before = fx.srv.requests.length
    const r = await runBin(['status', '--base-url', 'localhost:4000'], {env: env()})
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe("Error: invalid proxy URL 'localhost:4000': only http:// and https:// are supported")
    noStack(r.stderr)
    expect(fx.srv.requests.length).toBe(before)
  })

  it('a wrong key exits 3 and is never printed', async () => {
    const wrong = 'sk-E2eWrongKeyNeverPrinted-1357'
    const r = await runBin(['status', '--debug'], {env: env({LITELLM_MASTER_KEY: wrong})})
    expect(r.exitCode).toBe(3)
    expect(r.stdout).toContain('rejected')
    expect(r.stdout + r.stderr).not.toContain(wrong)
  })

  it('an unreachable proxy exits 6', async () => {
    const r = await runBin(['status', '--json'], {env: env({LITELLM_PROXY_URL: `http://127.0.0.1:${await freePort()}`})})
    expect(r.exitCode).toBe(6)
    expect(JSON.parse(r.stdout)).toMatchObject({reachable: false, verdict: 'error'})
  })

  it('an HTML page exits 6 and says so', async () => {
    fx.srv.fault({path: '/health/liveliness', kind: 'html'})
    const r = await runBin(['status'], {env: env()})
    expect(r.exitCode).toBe(6)
    expect(r.stdout).toContain(`not a LiteLLM proxy: got an HTML page from ${fx.srv.url}`)
  })

  it('--debug shows requests on stderr but never the master key', async () => {
    const r = await runBin(['status', '--debug'], {env: env()})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/^debug: GET .*\/health\/liveliness -> 200/m)
    expect(r.stdout + r.stderr).not.toContain(fx.srv.masterKey)
  })

  it('a command error with --json keeps stdout pure JSON (logout of an unknown profile → 4)', async () => {
    const r = await runBin(['logout', '--profile', 'ghost', '--json'], {env: env()})
    expect(r.exitCode).toBe(4)
    expect(JSON.parse(r.stdout)).toEqual({
      error: {kind: 'not_found', message: "no profile named 'ghost'", exitCode: 4, suggestions: ['List them: keyward profiles']},
    })
  })
})

describe('Ctrl-C', () => {
  it('aborts the request in flight: exit 130, and with --json a pure JSON error', async () => {
    const {spawn} = await import('node:child_process')
    const {pinnedEnv} = await import('../helpers/spawn.js')
    fx.srv.fault({path: '/key/list', kind: 'slow', delayMs: 10_000})
    const seen = fx.srv.requests.length
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'keys', 'list', '--json'], {env: pinnedEnv(env()), stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    // Wait until the request is at the proxy, then press Ctrl-C.
    try {
      const atProxy = () => fx.srv.requests.slice(seen).some((q) => q.path === '/key/list')
      for (let i = 0; i < 200 && !atProxy(); i++) await new Promise((r) => setTimeout(r, 25))
      // Otherwise Ctrl-C would land before the request and the test would not test an abort in flight.
      expect(atProxy()).toBe(true)
      const started = Date.now()
      child.kill('SIGINT')
      const code = await closed
      expect(code).toBe(130)
      expect(Date.now() - started).toBeLessThan(5000)
      const err = JSON.parse(stdout) as {error: {kind: string; exitCode: number}}
      expect(err.error).toMatchObject({kind: 'interrupted', exitCode: 130})
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      fx.srv.clearFaults()
    }
  })
})

describe('unknown commands', () => {
  it('say so in one line, suggest the closest command, exit 2 (JSON with --json)', async () => {
    const r = await runBin(['keys', 'lst'], {env: env()})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: unknown command 'keys lst'\nTry this:\n {2}Did you mean: keyward keys list/)
    expect(r.stdout).toBe('')
    const j = await runBin(['kyes', '--json'], {env: env()})
    expect(j.exitCode).toBe(2)
    expect(JSON.parse(j.stdout)).toMatchObject({error: {kind: 'usage', exitCode: 2, suggestions: ['Did you mean: keyward keys', 'See the commands: keyward --help']}})
  })
})
