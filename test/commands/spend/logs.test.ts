import {beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import SpendLogsCmd from '../../../src/commands/spend/logs.js'
import type {SpendLogsResult} from '../../../src/contracts/spend.js'
import {DEFAULT_LOG_COLUMNS} from '../../../src/domain/spend-export.js'
import {runCommand} from '../../helpers/run-command.js'
import {hashKey, type SpendLogRow, type TestServer} from '../../server/index.js'
import {dangerous, parseCsv} from './parse-csv.js'
import {useTestServers} from '../../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [
  {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'},
  {alias: 'ci-bot', key: 'sk-test-ci-bot-00000000002'},
  {alias: "=cmd|' /C calc'!A0", key: 'sk-test-hostile-0000000004'},
]
// 2,500 rows in October (plus some either side): three pages of 1000, or 25+ of 100.
const LOGS = {generate: {count: 2700, start: new Date('2026-09-30T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z'), keys: KEYS, seed: 11}}

const inOctober = (r: SpendLogRow) => r.startTime >= '2026-10-01T00:00:00.000Z' && r.startTime < '2026-11-01T00:00:00.000Z'

describe('spend logs', () => {
  // The clock is pinned before the keys are added: their budget_reset_at is computed from it.
  const fx = useTestServers({new: {flavor: 'new', logs: LOGS}, old: {flavor: 'old', logs: LOGS}}, {now: NOW})
  beforeAll(() => {
    for (const srv of [fx.new, fx.old]) for (const k of KEYS) srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
  })

  const logs = (srv: TestServer, args: string[]) => runCommand<SpendLogsResult>(SpendLogsCmd, args, fx.env(srv))
  const leftovers = async () => (await fs.readdir(fx.dir)).filter((f) => f.endsWith('.tmp'))

  it('exports one CSV row per request, oldest first, with no cell a spreadsheet would execute', async () => {
    const file = path.join(fx.dir, 'october.csv')
    const res = await logs(fx.new, ['--month', '2026-10', '--output', file])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).toBe('')
    const raw = [...fx.new.spendRows()].filter(inOctober)
    expect(raw.length).toBeGreaterThan(2000)
    expect(res.result).toMatchObject({output: file, format: 'csv', rows: raw.length, source: 'spend-logs-v2', complete: true})
    expect(res.stderr).toContain(`exported ${raw.length.toLocaleString('en-US')} rows`)

    const text = await fs.readFile(file, 'utf8')
    const records = parseCsv(text)
    expect(records[0]).toEqual([...DEFAULT_LOG_COLUMNS])
    const body = records.slice(1)
    expect(body.map((r) => r[0])).toEqual(raw.map((r) => r.request_id))
    const col = (name: string) => DEFAULT_LOG_COLUMNS.indexOf(name)
    for (const rec of body) {
      expect(rec).toHaveLength(DEFAULT_LOG_COLUMNS.length)
      expect(rec.filter(dangerous)).toEqual([])
      expect(rec[col('spend')]).toMatch(/^\d+(\.\d+)?$/) // plain decimals, no exponent
    }
    // Hostile values are kept, neutralised with a leading quote.
    expect(body.some((r) => r[col('key_alias')] === "'=cmd|' /C calc'!A0")).toBe(true)
    const micros = body.reduce((s, r) => s + Math.round(Number(r[col('spend')]) * 1e6), 0)
    expect(micros).toBe(raw.reduce((s, r) => s + Math.round(r.spend * 1e6), 0))
    expect(await leftovers()).toEqual([])

    const pages = fx.new.requests.filter((r) => r.path === '/spend/logs/v2')
    expect(pages.map((r) => r.query.page)).toEqual(['1', '2', '3', '4']) // until an empty page
    expect(pages.every((r) => r.query.page_size === '1000' && r.query.sort_order === 'asc')).toBe(true)
    expect(pages[0]!.query).toMatchObject({start_date: '2026-10-01 00:00:00', end_date: '2026-11-01 00:00:00'})
  })

  it('an old proxy (/spend/logs/ui, at most 100 a page) produces the same file', async () => {
    const a = path.join(fx.dir, 'new.csv')
    const b = path.join(fx.dir, 'old.csv')
    expect((await logs(fx.new, ['--month', '2026-10', '--output', a])).exitCode).toBe(0)
    const before = fx.old.requests.length
    const res = await logs(fx.old, ['--month', '2026-10', '--output', b])
    expect(res.exitCode).toBe(0)
    expect(res.result!.source).toBe('spend-logs-ui')
    // Identical, except that older proxies log master-key traffic under the key's hash (§8).
    const fromNew = (await fs.readFile(a, 'utf8')).replaceAll('litellm_proxy_master_key', hashKey(fx.old.masterKey))
    expect(await fs.readFile(b, 'utf8')).toBe(fromNew)
    const sizes = fx.old.requests.slice(before).filter((r) => r.path === '/spend/logs/ui').map((r) => r.query.page_size)
    expect(sizes[0]).toBe('1000')
    expect(sizes.slice(1).every((s) => s === '100')).toBe(true)
  })

  it('a page that keeps failing leaves no file, says how many rows were fetched, and exits 6', async () => {
    const file = path.join(fx.dir, 'failed.csv')
    fx.new.fault({path: '/spend/logs/v2', kind: 'status503', skip: 2, times: 10})
    try {
      const res = await logs(fx.new, ['--month', '2026-10', '--output', file])
      expect(res.exitCode).toBe(6)
      expect(res.stderr).toMatch(/export stopped after 2,000 rows in 2 pages; .*failed\.csv was not written/)
      await expect(fs.access(file)).rejects.toThrow()
      expect(await leftovers()).toEqual([])
    } finally {
      fx.new.clearFaults()
    }
    const json = await logs(fx.new, ['--month', '2026-10', '--output', file, '--json'])
    expect(json.exitCode).toBe(0)
    // After the fault is gone, the same export completes; --json prints its summary.
    expect(JSON.parse(json.stdout)).toMatchObject({rows: [...fx.new.spendRows()].filter(inOctober).length, complete: true, format: 'csv', output: file})
  })

  it('streams JSON lines to stdout with key, status and column filters', async () => {
    const before = fx.new.requests.length
    const res = await logs(fx.new, ['--month', '2026-10', '--key', KEYS[1]!.key, '--status', 'failure', '--format', 'jsonl', '--columns', 'request_id,status,spend,key_alias'])
    expect(res.exitCode).toBe(0)
    const lines = res.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const raw = [...fx.new.spendRows()].filter((r) => inOctober(r) && r.api_key === hashKey(KEYS[1]!.key) && r.status === 'failure')
    expect(raw.length).toBeGreaterThan(0)
    expect(lines).toEqual(raw.map((r) => ({request_id: r.request_id, status: 'failure', spend: 0, key_alias: 'ci-bot'})))
    const sent = fx.new.requests.slice(before)
    expect(sent.find((r) => r.path === '/spend/logs/v2')!.query).toMatchObject({api_key: hashKey(KEYS[1]!.key), status_filter: 'failure'})
    expect(JSON.stringify(sent.map((r) => r.query))).not.toContain(KEYS[1]!.key)
  })

  it('a text table keeps terminal escapes out', async () => {
    const res = await logs(fx.new, ['--since', '2026-10-01', '--until', '2026-10-03', '--format', 'table'])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).not.toMatch(/\u001b/)
    const rows = [...fx.new.spendRows()].filter((r) => r.startTime >= '2026-10-01' && r.startTime < '2026-10-04')
    expect(rows.length).toBeGreaterThan(0)
    expect(res.stdout.trimEnd().split('\n')).toHaveLength(rows.length + 2)
  })

  it('rejects bad input before any export starts', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['--month', '2026-13'], 2, /invalid month/],
      [['--since', '2026-10-05', '--until', '2026-10-01'], 2, /after --until/],
      [['--columns', 'request_id,password'], 2, /unknown column 'password'/],
      [['--status', 'ok'], 2, /unknown status/],
      [['--month', '2026-10', '--output', path.join(fx.dir, 'nope', 'x.csv')], 2, /does not exist/],
      [['--month', '2026-10', '--json'], 2, /need --output FILE/],
    ]
    for (const [args, code, message] of cases) {
      const before = fx.new.requests.length
      const res = await logs(fx.new, args)
      expect({args, exitCode: res.exitCode}).toEqual({args, exitCode: code})
      expect(res.stderr + res.stdout).toMatch(message)
      expect(fx.new.requests.length).toBe(before)
    }
    const before = fx.new.requests.length
    const file = path.join(fx.dir, 'unknown-key.csv')
    const res = await logs(fx.new, ['--month', '2026-10', '--key', 'nobody', '--output', file])
    expect(res.exitCode).toBe(4)
    expect(res.stderr).toMatch(/no key with alias 'nobody'/)
    expect(fx.new.requests.slice(before).some((r) => r.path.startsWith('/spend/'))).toBe(false)
    await expect(fs.access(file)).rejects.toThrow()
  })
})
