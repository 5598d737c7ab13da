/** Pure audit rules (src/domain/audit.ts). */
import {describe, expect, it} from '@jest/globals'

import {KeyRowSchema, type KeyRow} from '../../src/core/wire.js'
import {auditKey, auditKeys, parseAuditCodes} from '../../src/domain/audit.js'
import {monthlyResetState} from '../../src/domain/monthly-reset.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const row = (r: Partial<KeyRow> & Record<string, unknown>): KeyRow => KeyRowSchema.parse({token: 'a'.repeat(64), key_name: 'sk-...abcd', spend: 0, ...r})
const codes = (r: KeyRow, now = NOW) => auditKey(r, now).map((f) => f.code)

describe('monthlyResetState', () => {
  it.each([
    ['the 1st of next month', '2026-12-01T00:00:00Z', NOW, 'ok'],
    ['a rolling reset 30 days out', '2026-12-18T10:20:00Z', NOW, 'ok'],
    ['a rolling reset that is simply near its end', '2026-11-18T22:31:07.412Z', NOW, 'ok'],
    ['next midnight in mid-month', '2026-11-19T00:00:00Z', NOW, 'daily'],
    ['next midnight on the last day of a month', '2026-12-01T00:00:00Z', new Date('2026-11-30T15:00:00Z'), 'ok'],
    ['a reset two months away', '2027-01-25T00:00:00Z', NOW, 'misplaced'],
  ])('%s → %s', (_what, at, now, state) => {
    expect(monthlyResetState(new Date(at), now)).toBe(state)
  })
  it('no reset time is unknown', () => {
    expect(monthlyResetState(undefined, NOW)).toBe('unknown')
  })
})

describe('auditKey', () => {
  it('finds nothing wrong with a healthy monthly key', () => {
    expect(codes(row({key_alias: 'ok', max_budget: 10, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00+00:00'}))).toEqual([])
  })

  it('a word that is not monthly gets the matching word as fix', () => {
    const [f] = auditKey(row({key_alias: 'w', max_budget: 10, budget_duration: 'weekly', budget_reset_at: '2026-11-19T00:00:00Z'}), NOW)
    expect(f).toMatchObject({code: 'word-duration', severity: 'critical', fix: 'keyward keys update w --period weekly'})
    expect(f.message).toMatch(/resets it DAILY/)
  })

  it('an unparseable duration is named as such', () => {
    const [f] = auditKey(row({key_alias: 'm', max_budget: 10, budget_duration: '30min', budget_reset_at: '2026-12-01T00:00:00Z'}), NOW)
    expect(f.code).toBe('word-duration')
    expect(f.message).toMatch(/^budget_duration '30min' is not a LiteLLM duration: many LiteLLM versions reset such budgets every night$/)
  })

  it('a monthly budget without a reset time is reported', () => {
    expect(codes(row({key_alias: 'u', max_budget: 10, budget_duration: '30d', budget_reset_at: null}))).toEqual(['reset-unknown'])
  })

  it('a budget of 0 with no spend is not over budget; spend equal to the budget is', () => {
    expect(codes(row({key_alias: 'z', max_budget: 0, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z'}))).toEqual([])
    expect(codes(row({key_alias: 'e', max_budget: 5, spend: 5, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z'}))).toEqual(['over-budget'])
  })

  it('fix commands are safe to paste: quoted aliases, hashes for keys without one', () => {
    const quoted = auditKey(row({key_alias: "it's", max_budget: null}), NOW)[0]
    expect(quoted.fix).toBe(`keyward keys update 'it'\\''s' --budget <USD> --period monthly`)
    const noAlias = auditKey(row({key_alias: null, max_budget: null}), NOW)[0]
    expect(noAlias.fix).toBe(`keyward keys update ${'a'.repeat(64)} --budget <USD> --period monthly`)
    const dash = auditKey(row({key_alias: '--yes', max_budget: null}), NOW)[0]
    expect(dash.fix).toBe(`keyward keys update ${'a'.repeat(64)} --budget <USD> --period monthly`)
  })

  it('uses the money formatter it is given', () => {
    const [f] = auditKey(row({key_alias: 'o', max_budget: 1000, spend: 1500, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z'}), NOW, {formatUsd: (n) => `USD ${n}`})
    expect(f.message).toMatch(/^spent USD 1500 of its USD 1000 budget \(150%\)/)
  })
})

describe('auditKeys', () => {
  it('sorts by severity, then alias, and counts', () => {
    const r = auditKeys(
      [
        row({key_alias: 'b', max_budget: null}),
        row({key_alias: 'a', max_budget: 10, budget_duration: 'monthly', budget_reset_at: '2026-11-19T00:00:00Z', blocked: true}),
        row({key_alias: 'a2', max_budget: null}),
      ],
      NOW,
    )
    expect(r.findings.map((f) => `${f.severity}:${f.alias}:${f.code}`)).toEqual(['critical:a:word-duration', 'warning:a2:no-budget', 'warning:b:no-budget', 'info:a:blocked'])
    expect(r.counts).toEqual({critical: 1, warning: 2, info: 1})
    expect(r.checked).toBe(3)
  })

  it('parseAuditCodes accepts known codes only', () => {
    expect(parseAuditCodes('blocked, EXPIRED')).toEqual(['blocked', 'expired'])
    expect(() => parseAuditCodes('blocked,nope')).toThrow(/unknown finding 'nope'/)
  })
})
