// End to end: the built CLI (bin/run.js, needs `npm run build`) as a child process against the test server.
import {beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../../helpers/run-command.js'
import {pinnedEnv, runBin, type SpawnResult} from '../../helpers/spawn.js'
import {useTestServers} from '../../helpers/test-server.js'
import {dangerous, parseCsv} from './parse-csv.js'

const NOW = '2026-11-20T12:00:00Z'
const KEYS = [
  {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'},
  {alias: 'ci-bot', key: 'sk-test-ci-bot-00000000002'},
]

describe('spend logs (built CLI)', () => {
  const fx = useTestServers(
    {srv: {logs: {generate: {count: 2400, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), keys: KEYS, seed: 3}}}},
    {now: new Date(NOW)}, // budget_reset_at follows the clock
  )

  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
    for (const k of KEYS) fx.srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
  })

  const env = () => fx.env(fx.srv)
  const files = async () => (await fs.readdir(fx.dir)).filter((f) => f.endsWith('.csv') || f.endsWith('.tmp'))

  it('exports a month to a CSV file', async () => {
    const file = path.join(fx.dir, 'october.csv')
    const res = await runBin(['spend', 'logs', '--month', '2026-10', '--output', file], {env: env()})
    expect(res.stderr).toMatch(/^exported 2,400 rows \(3 pages\) to .*october\.csv in [\d.]+ s\n$/)
    expect(res.exitCode).toBe(0)
    expect(res.stdout).toBe('')
    const records = parseCsv(await fs.readFile(file, 'utf8'))
    expect(records).toHaveLength(2401)
    expect(new Set(records.slice(1).map((r) => r[0])).size).toBe(2400)
    expect(records.flat().filter(dangerous)).toEqual([])
    expect(res.stderr + res.stdout).not.toContain(fx.srv.masterKey)
    await fs.rm(file)
  })

  it('a page failing after retries leaves no file and exits 6', async () => {
    const file = path.join(fx.dir, 'failing.csv')
    fx.srv.fault({path: '/spend/logs/v2', kind: 'status503', skip: 2, times: 10})
    const res = await runBin(['spend', 'logs', '--month', '2026-10', '--output', file], {env: env()})
    expect(res.exitCode).toBe(6)
    expect(res.stderr).toMatch(/export stopped after 2,000 rows in 2 pages/)
    expect(await files()).toEqual([])
  })

  it('Ctrl-C leaves no file, says how many rows were fetched, and exits 130', async () => {
    const file = path.join(fx.dir, 'interrupted.csv')
    // Page 2 hangs, so the export is surely running when Ctrl-C arrives.
    fx.srv.fault({path: '/spend/logs/v2', kind: 'slow', delayMs: 15_000, skip: 1})
    const before = fx.srv.requests.length
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--month', '2026-10', '--output', file], {cwd: ROOT, env: pinnedEnv(env()), stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const done = new Promise<SpawnResult>((resolve) => child.on('close', (exitCode, signal) => resolve({stdout: '', stderr, exitCode, signal})))
    const onPage2 = () => fx.srv.requests.slice(before).some((r) => r.path === '/spend/logs/v2' && r.query.page === '2')
    for (let i = 0; i < 200 && !onPage2(); i++) await new Promise((r) => setTimeout(r, 50))
    let res: SpawnResult
    try {
      // Otherwise Ctrl-C could arrive before the export started and prove nothing about an interrupted one.
      expect(onPage2()).toBe(true)
      expect(await files()).toHaveLength(1) // the temporary file exists while the export runs
      child.kill('SIGINT')
      res = await done
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(res.exitCode).toBe(130)
    expect(res.stderr).toMatch(/interrupted after [\d,]+ rows; .*interrupted\.csv was not written/)
    expect(await files()).toEqual([])
  })

  it('stops quietly, exit 0, when the reader of stdout goes away (| head)', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--month', '2026-10'], {cwd: ROOT, env: pinnedEnv(env()), stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    let first = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.stdout.setEncoding('utf8').once('data', (d: string) => {
      first = d
      child.stdout.destroy()
    })
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    expect(first).toMatch(/^request_id,startTime,/)
    expect(exitCode).toBe(0)
    expect(stderr).toBe('')
  })
})
