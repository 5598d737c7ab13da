/**
 * #11 item 14: SIGTERM and SIGHUP during an export are handled like Ctrl-C: the temporary file is
 * removed, the rows fetched so far are named, and the exit code is 143 / 129 (the built CLI).
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../../helpers/run-command.js'
import {pinnedEnv} from '../../helpers/spawn.js'
import {startTestServer, type TestServer} from '../../server/index.js'

let srv: TestServer
let dir: string
beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  srv = await startTestServer({logs: {generate: {count: 2400, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), seed: 5}}})
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-signals-'))
})
afterAll(async () => {
  await srv.close()
  await fs.rm(dir, {recursive: true, force: true})
})

describe.each([
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s during an export', (signal, code) => {
  it(`removes the temporary file, says how many rows were fetched, exits ${code}`, async () => {
    srv.clearFaults()
    const file = path.join(dir, `${signal}.csv`)
    // Page 2 hangs, so the export is surely running when the signal arrives.
    srv.fault({path: '/spend/logs/v2', kind: 'slow', delayMs: 15_000, skip: 1})
    const before = srv.requests.length
    const env = {LITELLM_PROXY_URL: srv.url, LITELLM_MASTER_KEY: srv.masterKey, KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir, KEYWARD_NOW: '2026-11-20T12:00:00Z'}
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--month', '2026-10', '--output', file], {cwd: ROOT, env: pinnedEnv(env), stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const done = new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)))
    const onPage2 = () => srv.requests.slice(before).some((r) => r.path === '/spend/logs/v2' && r.query.page === '2')
    for (let i = 0; i < 200 && !onPage2(); i++) await new Promise((r) => setTimeout(r, 50))
    let exitCode: number | null
    try {
      expect(onPage2()).toBe(true)
      expect((await fs.readdir(dir)).filter((f) => f.includes(signal))).toHaveLength(1) // the temporary file
      child.kill(signal)
      exitCode = await done
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(exitCode).toBe(code)
    expect(stderr).toMatch(new RegExp(`^Error: interrupted \\(${signal}\\) after 1,000 rows; .*${signal}\\.csv was not written$`, 'm'))
    expect((await fs.readdir(dir)).filter((f) => f.includes(signal))).toEqual([])
  })
})
