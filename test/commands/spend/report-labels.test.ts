/** Issue 12 items 7 and 10: a report says what it covers (range, zone, budget window), and keeps empty days. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import SpendReport from '../../../src/commands/spend/report.js'
import type {SpendReport as Doc} from '../../../src/domain/spend-report.js'
import {runCommand} from '../../helpers/run-command.js'
import {useTestServers} from '../../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEY = {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'}
// Spend only from 10 to 19 October: the other days of the month have none.
const fx = useTestServers({srv: {flavor: 'new', logs: {generate: {count: 300, start: new Date('2026-10-10T00:00:00Z'), end: new Date('2026-10-20T00:00:00Z'), keys: [KEY], seed: 9}}}}, {now: NOW})
beforeAll(() => {
  fx.srv.addKey({key: KEY.key, key_alias: KEY.alias, max_budget: 50, budget_duration: '30d', spend: 0})
})
const run = (argv: string[]) => runCommand<Doc>(SpendReport, argv, fx.env(fx.srv))

async function withStderrTty<T>(fn: () => Promise<T>): Promise<T> {
  const err = process.stderr as {isTTY?: boolean}
  const saved = Object.getOwnPropertyDescriptor(err, 'isTTY')
  Object.defineProperty(err, 'isTTY', {value: true, configurable: true, writable: true})
  try {
    return await fn()
  } finally {
    if (saved) Object.defineProperty(err, 'isTTY', saved)
    else delete (err as Record<string, unknown>).isTTY
  }
}

describe('what a report covers', () => {
  it('--last-month --key: the budget line is labelled as the current window, and the range\'s own spend is shown', async () => {
    const r = await run(['--last-month', '--key', 'openclaw', '--no-chart'])
    expect(r.exitCode).toBe(0)
    const first = r.stdout.split('\n')[0]
    expect(first).toMatch(/current budget window/)
    expect(first).toMatch(/spent \$0\.00/)
    const total = r.result!.totals.spend
    expect(total).toBeGreaterThan(0)
    expect(r.stdout).toMatch(new RegExp(`2026-10-01 to 2026-10-31: \\$${total.toFixed(2)}`))
  })

  it('daily tables have a row for every day, zero where nothing was spent', async () => {
    const r = await run(['--month', '2026-10', '--json'])
    const days = r.result!.rows.map((x) => x.group)
    expect(days).toHaveLength(31)
    expect(days[0]).toBe('2026-10-01')
    expect(days.at(-1)).toBe('2026-10-31')
    expect(r.result!.rows.find((x) => x.group === '2026-10-01')).toMatchObject({requests: 0, spend: 0})
    const table = await run(['--month', '2026-10', '--no-chart'])
    expect(table.stdout).toMatch(/│ 2026-10-01 +│ +0 │/)
  })

  it('--tz: the day column names the zone; a header line gives range and zone on a terminal (JSON has them too)', async () => {
    const r = await withStderrTty(() => run(['--month', '2026-10', '--tz', 'Asia/Tokyo', '--no-chart']))
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/│ Day \(Asia\/Tokyo\) +│/)
    expect(r.stderr).toMatch(/(^|\u001b\[K)spend 2026-10-01 to 2026-10-31 \(Asia\/Tokyo\), by day/m)
    const piped = await run(['--month', '2026-10', '--tz', 'Asia/Tokyo', '--no-chart'])
    expect(piped.stderr).not.toMatch(/^spend 2026-10-01/m)
    const json = await run(['--month', '2026-10', '--tz', 'Asia/Tokyo', '--json'])
    expect(json.result!.range).toEqual({since: '2026-10-01', until: '2026-10-31', timezone: 'Asia/Tokyo'})
  })
})

describe('progress on long reports (#12 item 6)', () => {
  it('reading spend logs shows a progress line on a terminal, cleared before the table', async () => {
    const r = await withStderrTty(() => run(['--month', '2026-10', '--by', 'user', '--no-chart']))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/\r\u001b\[Kreading spend logs: 300 rows, 1 page, /)
    // Cleared at the end: the last thing on the progress line is the clear sequence.
    expect(r.stderr.slice(r.stderr.lastIndexOf('reading spend logs'))).toMatch(/\r\u001b\[K/)
  })

  it('no progress line when stderr is not a terminal', async () => {
    const r = await run(['--month', '2026-10', '--by', 'user', '--no-chart'])
    expect(r.stderr).not.toMatch(/reading spend logs/)
  })
})

describe('--by week and --by month (#12, what users expect)', () => {
  it('--by monthly: one row per calendar month of the range, the sums adding up', async () => {
    const r = await run(['--since', '20260928', '--until', '2026-11-03', '--by', 'monthly', '--json'])
    expect(r.exitCode).toBe(0)
    expect(r.result!.groupBy).toBe('month')
    expect(r.result!.rows.map((x) => x.group)).toEqual(['2026-09', '2026-10', '2026-11'])
    expect(r.result!.rows[1]!.spend).toBeCloseTo(r.result!.totals.spend, 6)
    expect(r.result!.rows[0]!.spend).toBe(0)
  })

  it('--by week: weeks start on Monday, as many rows as weeks touched', async () => {
    const r = await run(['--month', '2026-10', '--by', 'week', '--json'])
    expect(r.result!.rows.map((x) => x.group)).toEqual(['2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26'])
    const sum = r.result!.rows.reduce((s, x) => s + x.requests, 0)
    expect(sum).toBe(r.result!.totals.requests)
    const table = await run(['--month', '2026-10', '--by', 'weekly', '--no-chart'])
    expect(table.stdout).toMatch(/│ Week \(from Monday\) +│/)
  })
})
