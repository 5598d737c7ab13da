/** Issue 12 item 13: the output format follows the file's extension; a contradiction is refused (exit 2). */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import SpendLogs from '../../../src/commands/spend/logs.js'
import SpendReport from '../../../src/commands/spend/report.js'
import {runCommand} from '../../helpers/run-command.js'
import {startTestServer, type TestServer} from '../../server/index.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [{alias: 'openclaw', key: 'sk-test-openclaw-0000000001'}]
let srv: TestServer
let dir: string

beforeAll(async () => {
  srv = await startTestServer({flavor: 'new', logs: {generate: {count: 40, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-10-31T00:00:00Z'), keys: KEYS, seed: 3}}})
  srv.setNow(NOW)
  for (const k of KEYS) srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-format-'))
})
afterAll(async () => {
  await srv.close()
  await fs.rm(dir, {recursive: true, force: true})
})
const env = () => ({
  LITELLM_PROXY_URL: srv.url,
  LITELLM_MASTER_KEY: srv.masterKey,
  KEYWARD_CONFIG_DIR: dir,
  KEYWARD_DATA_DIR: dir,
  KEYWARD_NOW: NOW.toISOString(),
})

describe('format from the file extension', () => {
  it('spend logs --output x.json writes JSON lines, not CSV, and says so', async () => {
    const file = path.join(dir, 'x.json')
    const r = await runCommand(SpendLogs, ['--month', '2026-10', '--output', file], env())
    expect(r.exitCode).toBe(0)
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(40)
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()
    expect(r.stderr).toMatch(/JSON lines/)
  })

  it('"(1 page)", not "(1 pages)"', async () => {
    const r = await runCommand(SpendLogs, ['--month', '2026-10', '--output', path.join(dir, 'one.csv')], env())
    expect(r.stderr).toMatch(/exported 40 rows \(1 page\)/)
  })

  it('spend report -o rep.csv --format json is refused (exit 2), nothing written or sent', async () => {
    srv.requests.length = 0
    const file = path.join(dir, 'rep.csv')
    const r = await runCommand(SpendReport, ['--month', '2026-10', '-o', file, '--format', 'json'], env())
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: --format json contradicts the file name .*rep\.csv/m)
    expect(r.stderr).toMatch(/rep\.json/)
    expect(existsSync(file)).toBe(false)
    expect(srv.requests).toHaveLength(0)
  })

  it('spend logs -o x.csv --format jsonl is refused too; a matching --format is fine', async () => {
    const bad = await runCommand(SpendLogs, ['--month', '2026-10', '-o', path.join(dir, 'y.csv'), '--format', 'jsonl'], env())
    expect(bad.exitCode).toBe(2)
    const good = await runCommand(SpendReport, ['--month', '2026-10', '-o', path.join(dir, 'rep.json'), '--format', 'json'], env())
    expect(good.exitCode).toBe(0)
    expect(() => JSON.parse(readFileSync(path.join(dir, 'rep.json'), 'utf8'))).not.toThrow()
  })
})
