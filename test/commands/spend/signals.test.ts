/**
 * #11 item 14: SIGTERM and SIGHUP during an export are handled like Ctrl-C: the temporary file is
 * removed, the rows fetched so far are named, and the exit code is 143 / 129 (the built CLI).
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../../helpers/run-command.js'
import {pinnedEnv} from '../../helpers/spawn.js'
import {useTestServers} from '../../helpers/test-server.js'

const fx = useTestServers({srv: {logs: {generate: {count: 2400, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), seed: 5}}}})
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
})

describe.each([
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s during an export', (signal, code) => {
  it(`removes the temporary file, says how many rows were fetched, exits ${code}`, async () => {
    const file = path.join(fx.dir, `${signal}.csv`)
    // Page 2 hangs, so the export is surely running when the signal arrives.
    fx.srv.fault({path: '/spend/logs/v2', kind: 'slow', delayMs: 15_000, skip: 1})
    const before = fx.srv.requests.length
    const env = fx.env(fx.srv, {KEYWARD_NOW: '2026-11-20T12:00:00Z'})
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--month', '2026-10', '--output', file], {cwd: ROOT, env: pinnedEnv(env), stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const done = new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)))
    const onPage2 = () => fx.srv.requests.slice(before).some((r) => r.path === '/spend/logs/v2' && r.query.page === '2')
    for (let i = 0; i < 200 && !onPage2(); i++) await new Promise((r) => setTimeout(r, 50))
    let exitCode: number | null
    try {
      expect(onPage2()).toBe(true)
      expect((await fs.readdir(fx.dir)).filter((f) => f.includes(signal))).toHaveLength(1) // the temporary file
      child.kill(signal)
      exitCode = await done
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(exitCode).toBe(code)
    expect(stderr).toMatch(new RegExp(`^Error: interrupted \\(${signal}\\) after 1,000 rows; .*${signal}\\.csv was not written$`, 'm'))
    expect((await fs.readdir(fx.dir)).filter((f) => f.includes(signal))).toEqual([])
  })
})
