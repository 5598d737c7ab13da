/** `keys audit` on budget windows (budget_limits, #15 item 2): the monthly-reset rule per window (src/domain/audit.ts). */
import {describe, expect, it} from '@jest/globals'

import {KeyRowSchema, type KeyRow} from '../../src/core/wire.js'
import {auditKey, compareFindings, type AuditFinding} from '../../src/domain/audit.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const row = (r: Partial<KeyRow> & Record<string, unknown>): KeyRow => KeyRowSchema.parse({token: 'a'.repeat(64), key_name: 'sk-...abcd', spend: 0, ...r})
// What LiteLLM 1.108.0 stores per window: {budget_duration, max_budget, reset_at} (reset_at from get_budget_reset_time().isoformat()).
const win = (budget_duration: string, max_budget: number, reset_at?: string | null) =>
  ({budget_duration, max_budget, ...(reset_at === undefined ? {} : {reset_at})})
const keyWith = (...windows: Array<ReturnType<typeof win>>) =>
  row({key_alias: 'w', max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00+00:00', budget_limits: windows})
const FIX = 'keyward keys update w --limit 5/1d --limit 50/30d'

describe('auditKey: budget windows', () => {
  it('healthy windows (the day window at midnight, the monthly one on the 1st) give no finding', () => {
    expect(auditKey(keyWith(win('1d', 5, '2026-11-19T00:00:00+00:00'), win('30d', 50, '2026-12-01T00:00:00+00:00')), NOW)).toEqual([])
    // A rolling monthly reset (older computation, created + 30 days) near its end is fine too.
    expect(auditKey(keyWith(win('30d', 50, '2026-11-18T22:31:07.412000+00:00')), NOW)).toEqual([])
  })

  it('a monthly window whose reset is the next midnight resets DAILY: critical, naming the window, fix re-sends every window', () => {
    const f = auditKey(keyWith(win('1d', 5, '2026-11-19T00:00:00+00:00'), win('30d', 50, '2026-11-19T00:00:00+00:00')), NOW)
    expect(f).toEqual([
      {
        alias: 'w',
        keyName: 'sk-...abcd',
        hash: 'a'.repeat(64),
        code: 'resets-daily',
        severity: 'critical',
        message: 'monthly (30d) window (budget_limits) of $50.00 resets at 2026-11-19 00:00 UTC, in 14 h, not at the start of a month: the proxy resets it DAILY',
        fix: FIX,
        window: '30d',
      },
    ])
  })

  it('a reset without a zone (Python naive isoformat) is read as UTC', () => {
    const f = auditKey(keyWith(win('1d', 5, '2026-11-19T00:00:00'), win('30d', 50, '2026-11-19T00:00:00')), NOW)
    expect(f.map((x) => [x.code, x.window])).toEqual([['resets-daily', '30d']])
  })

  it('1mo counts as monthly; a reset more than a month away is misplaced', () => {
    const f = auditKey(row({key_alias: 'm', max_budget: 10, budget_limits: [win('1mo', 50, '2027-01-25T00:00:00+00:00')]}), NOW)
    expect(f).toMatchObject([{code: 'reset-misplaced', severity: 'warning', window: '1mo', fix: 'keyward keys update m --limit 50/1mo'}])
    expect(f[0]!.message).toBe("monthly (1mo) window (budget_limits) of $50.00's next reset is 2027-01-25 00:00 UTC, in 68 days: more than a month away")
  })

  it('a window without reset_at (of any duration) is never reset by the proxy', () => {
    for (const reset of [undefined, null, '', 'not a time']) {
      const f = auditKey(keyWith(win('1d', 5, reset), win('30d', 50, '2026-12-01T00:00:00+00:00')), NOW)
      expect(f).toMatchObject([{code: 'reset-unknown', severity: 'warning', window: '1d', fix: FIX}])
      expect(f[0]!.message).toBe('daily (1d) window (budget_limits) of $5.00 has no reset time (reset_at is empty): the proxy never resets it, so it is a lifetime limit')
    }
  })

  it('a reset more than an hour past is overdue; a few minutes past is the reset job not having run yet', () => {
    const f = auditKey(keyWith(win('1d', 5, '2026-11-18T00:00:00+00:00'), win('30d', 50, '2026-12-01T00:00:00+00:00')), NOW)
    expect(f).toMatchObject([{code: 'reset-overdue', severity: 'warning', window: '1d', fix: FIX}])
    expect(f[0]!.message).toBe("daily (1d) window (budget_limits) of $5.00 was due to reset at 2026-11-18 00:00 UTC, 10 h ago and has not been: the proxy's budget reset job may not be running")
    // A monthly window past due is overdue, not "resets daily".
    expect(auditKey(keyWith(win('30d', 50, '2026-11-01T00:00:00+00:00')), NOW).map((x) => x.code)).toEqual(['reset-overdue'])
    expect(auditKey(keyWith(win('1d', 5, '2026-11-18T10:10:00+00:00')), NOW)).toEqual([])
  })

  it('a day window reset a night away is right (only monthly windows have the daily-reset rule)', () => {
    expect(auditKey(keyWith(win('1d', 5, '2026-11-19T00:00:00+00:00'), win('7d', 20, '2026-11-19T00:00:00+00:00')), NOW)).toEqual([])
  })

  it('budget_limits stored as a JSON string is read the same', () => {
    const f = auditKey(row({key_alias: 'w', max_budget: 100, budget_limits: JSON.stringify([win('1d', 5, '2026-11-19T00:00:00Z'), win('30d', 50, '2026-11-19T00:00:00Z')])}), NOW)
    expect(f.map((x) => [x.code, x.window, x.fix])).toEqual([['resets-daily', '30d', FIX]])
  })

  it('a key limited by its windows alone is not "no budget"; one with neither still is', () => {
    expect(auditKey(row({key_alias: 'w', max_budget: null, budget_limits: [win('1d', 5, '2026-11-19T00:00:00Z')]}), NOW)).toEqual([])
    expect(auditKey(row({key_alias: 'w', max_budget: null, budget_limits: []}), NOW).map((x) => x.code)).toEqual(['no-budget'])
  })

  it('the key-level finding has window null and sorts before the same finding on a window', () => {
    const f = auditKey(row({key_alias: 'w', max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-11-19T00:00:00Z', budget_limits: [win('1mo', 60, '2026-11-19T00:00:00Z'), win('30d', 50, '2026-11-19T00:00:00Z')]}), NOW)
    const sorted = [...f].sort(compareFindings).map((x: AuditFinding) => [x.code, x.window])
    expect(sorted).toEqual([['resets-daily', null], ['resets-daily', '1mo'], ['resets-daily', '30d']])
  })
})
