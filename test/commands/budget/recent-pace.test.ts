/** `budget check` forecasts with the recent pace from /user/daily/activity when it is faster. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import BudgetCheck from '../../../src/commands/budget/check.js'
import {runCommand} from '../../helpers/run-command.js'
import {hashKey, type SpendLogSeedRow, type TestServer} from '../../server/index.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {BudgetCheckResult} from '../../../src/contracts/budget.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEY = 'sk-recent-pace-test-key-000001'
// $60 spent from 2026-11-17 on (after a quiet start of the month): $10 a row, six rows.
const ROWS: SpendLogSeedRow[] = ['2026-11-17T09:00:00Z', '2026-11-17T15:00:00Z', '2026-11-18T09:00:00Z', '2026-11-19T09:00:00Z', '2026-11-20T08:00:00Z', '2026-11-20T10:00:00Z'].map((t, i) => ({
  startTime: t,
  request_id: `burn-${i}`,
  api_key: hashKey(KEY),
  spend: 10,
  metadata: {user_api_key_alias: 'burner'},
}))

describe('budget check: recent pace', () => {
  const fx = useTestServers({srv: {flavor: 'new', logs: {rows: ROWS}}, old: {flavor: 'old'}}, {now: NOW})
  beforeAll(() => {
    for (const s of [fx.srv, fx.old]) s.addKey({key: KEY, key_alias: 'burner', max_budget: 100, budget_duration: '30d', spend: 60, budget_reset_at: '2026-12-01T00:00:00+00:00'})
  })
  const check = (s: TestServer) => runCommand<BudgetCheckResult>(BudgetCheck, ['--forecast', '--threshold', '80,100', '--json'], fx.env(s))

  it('catches a key that started burning mid-month: forecast at the last days\' pace, exit 10', async () => {
    const r = await check(fx.srv)
    const k = JSON.parse(r.stdout).keys[0] as BudgetCheckResult['keys'][number]
    // Window average: $60 over 19.5 days is $3.08/day, which would reach $92 by the reset (no alert).
    // The last whole days of the window (from 2026-11-14): $60 over 6.5 days is $9.23/day.
    expect(k.pace).toBe('recent')
    expect(k.burnRatePerDay).toBeCloseTo(60 / 6.5, 6)
    expect(k.verdict).toBe('forecast')
    expect(k.runOutAt).toBe(new Date(NOW.getTime() + (40 / (60 / 6.5)) * 86_400_000).toISOString())
    expect(r.exitCode).toBe(10)
    expect(fx.srv.requests.filter((q) => q.path === '/user/daily/activity')).toHaveLength(1)
  })

  it('without daily activity (older proxy), uses the window average: no forecast alert', async () => {
    const r = await check(fx.old)
    const k = JSON.parse(r.stdout).keys[0] as BudgetCheckResult['keys'][number]
    expect(k.pace).toBe('window')
    expect(k.burnRatePerDay).toBeCloseTo(60 / 19.5, 6)
    expect(k.verdict).toBe('ok')
    expect(r.exitCode).toBe(0)
    expect(r.stderr).not.toMatch(/could not read recent daily spend/)
  })
})
