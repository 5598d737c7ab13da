/** Issue 12 item 13: the output format follows the file's extension; a contradiction is refused (exit 2). */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'

import SpendLogs from '../../../src/commands/spend/logs.js'
import SpendReport from '../../../src/commands/spend/report.js'
import {runCommand} from '../../helpers/run-command.js'
import {forgetRequests, useTestServers} from '../../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [{alias: 'openclaw', key: 'sk-test-openclaw-0000000001'}]
const fx = useTestServers({srv: {flavor: 'new', logs: {generate: {count: 40, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-10-31T00:00:00Z'), keys: KEYS, seed: 3}}}}, {now: NOW})
beforeAll(() => {
  for (const k of KEYS) fx.srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
})

describe('format from the file extension', () => {
  it('spend logs --output x.json writes JSON lines, not CSV, and says so', async () => {
    const file = path.join(fx.dir, 'x.json')
    const r = await runCommand(SpendLogs, ['--month', '2026-10', '--output', file], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(40)
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()
    expect(r.stderr).toMatch(/JSON lines/)
  })

  it('"(1 page)", not "(1 pages)"', async () => {
    const r = await runCommand(SpendLogs, ['--month', '2026-10', '--output', path.join(fx.dir, 'one.csv')], fx.env(fx.srv))
    expect(r.stderr).toMatch(/exported 40 rows \(1 page\)/)
  })

  it('spend report -o rep.csv --format json is refused (exit 2), nothing written or sent', async () => {
    forgetRequests(fx.srv)
    const file = path.join(fx.dir, 'rep.csv')
    const r = await runCommand(SpendReport, ['--month', '2026-10', '-o', file, '--format', 'json'], fx.env(fx.srv))
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: --format json contradicts the file name .*rep\.csv/m)
    expect(r.stderr).toMatch(/rep\.json/)
    expect(existsSync(file)).toBe(false)
    expect(fx.srv.requests).toHaveLength(0)
  })

  it('spend logs -o x.csv --format jsonl is refused too; a matching --format is fine', async () => {
    const bad = await runCommand(SpendLogs, ['--month', '2026-10', '-o', path.join(fx.dir, 'y.csv'), '--format', 'jsonl'], fx.env(fx.srv))
    expect(bad.exitCode).toBe(2)
    const good = await runCommand(SpendReport, ['--month', '2026-10', '-o', path.join(fx.dir, 'rep.json'), '--format', 'json'], fx.env(fx.srv))
    expect(good.exitCode).toBe(0)
    expect(() => JSON.parse(readFileSync(path.join(fx.dir, 'rep.json'), 'utf8'))).not.toThrow()
  })
})
