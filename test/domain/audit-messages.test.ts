/**
 * `keys audit` findings (src/domain/audit.ts) word for word and at their edges, written to kill
 * mutants that survived (npm run mutation, issue #18): what each finding says, its severity and fix,
 * the reset-time rules behind "resets DAILY", and the order of the report.
 */
import {describe, expect, it} from '@jest/globals'

import {KeyRowSchema, type KeyRow} from '../../src/core/wire.js'
import {AUDIT_CODES, auditKey, auditKeys, compareFindings, parseAuditCodes, type AuditFinding} from '../../src/domain/audit.js'
import {monthlyResetState} from '../../src/domain/monthly-reset.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const row = (r: Partial<KeyRow> & Record<string, unknown>): KeyRow => KeyRowSchema.parse({token: 'a'.repeat(64), key_name: 'sk-...abcd', spend: 0, ...r})
const one = (r: Partial<KeyRow> & Record<string, unknown>, now = NOW) => {
  const found = auditKey(row(r), now)
  expect(found).toHaveLength(1)
  return found[0]!
}

describe('monthlyResetState edges', () => {
  const inH = (h: number) => new Date(NOW.getTime() + h * 3600e3)

  it('a reset within 25 h counts as the nightly fallback only on a whole quarter hour', () => {
    expect(monthlyResetState(new Date('2026-11-19T00:15:00Z'), NOW)).toBe('daily')
    expect(monthlyResetState(new Date('2026-11-19T00:45:00Z'), NOW)).toBe('daily')
    expect(monthlyResetState(new Date('2026-11-19T00:07:00Z'), NOW)).toBe('ok')
    expect(monthlyResetState(new Date('2026-11-19T00:00:01Z'), NOW)).toBe('ok')
    expect(monthlyResetState(new Date('2026-11-19T00:00:00.001Z'), NOW)).toBe('ok')
  })

  it('more than 33 days away is misplaced; 33 days is not', () => {
    expect(monthlyResetState(inH(33 * 24), NOW)).toBe('ok')
    expect(monthlyResetState(inH(33 * 24 + 1), NOW)).toBe('misplaced')
  })
})

describe('finding texts, severities and fixes', () => {
  it('a word the proxy resets nightly: critical, DAILY, with the next reset and the matching word', () => {
    const f = one({key_alias: 'w', max_budget: 10, budget_duration: 'Monthly', budget_reset_at: '2026-11-19T00:00:00Z'})
    expect(f).toEqual({
      alias: 'w',
      keyName: 'sk-...abcd',
      hash: 'a'.repeat(64),
      code: 'word-duration',
      severity: 'critical',
      message: "budget_duration 'Monthly' is a word: this proxy resets it DAILY (next reset 2026-11-19 00:00 UTC, in 14 h)",
      fix: 'keyward keys update w --period monthly',
      window: null,
    })
  })

  it('a word a newer proxy reads (reset weeks away): only a warning, saying older releases reset nightly', () => {
    const f = one({key_alias: 'w', max_budget: 10, budget_duration: 'weekly', budget_reset_at: '2026-11-23T00:00:00Z'})
    expect(f.severity).toBe('warning')
    expect(f.message).toBe("budget_duration 'weekly' is a word: this proxy reads it (next reset 2026-11-23 00:00 UTC, in 5 days), but LiteLLM before 1.95 resets such budgets every night")
    expect(f.fix).toBe('keyward keys update w --period weekly')
  })

  it('a word 25 h or more away, or without a reset time, is not "DAILY"', () => {
    const far = one({key_alias: 'w', max_budget: 10, budget_duration: 'hourly', budget_reset_at: '2026-11-19T11:20:00Z'})
    expect(far.message).toMatch(/this proxy reads it \(next reset 2026-11-19 11:20 UTC, in 25 h\)/)
    const none = one({key_alias: 'w', max_budget: 10, budget_duration: 'daily', budget_reset_at: null})
    expect(none).toMatchObject({severity: 'critical', message: "budget_duration 'daily' is a word: many LiteLLM versions reset such budgets every night", fix: 'keyward keys update w --period daily'})
  })

  it('an unread word near the month boundary or not on a quarter hour is not "DAILY" but still critical', () => {
    const f = one({key_alias: 'w', max_budget: 10, budget_duration: 'fortnightly', budget_reset_at: '2026-11-19T00:00:00Z'})
    expect(f.message).toMatch(/^budget_duration 'fortnightly' is a word: this proxy resets it DAILY/)
    const odd = one({key_alias: 'w', max_budget: 10, budget_duration: 'fortnightly', budget_reset_at: '2026-11-19T00:07:00Z'})
    expect(odd).toMatchObject({severity: 'critical', message: "budget_duration 'fortnightly' is a word: many LiteLLM versions reset such budgets every night", fix: 'keyward keys update w --period monthly'})
  })

  it('the fix word follows what was meant', () => {
    const fixFor = (duration: string) => one({key_alias: 'w', max_budget: 10, budget_duration: duration, budget_reset_at: null}).fix.split(' ').pop()
    expect(fixFor('month')).toBe('monthly')
    expect(fixFor('1month')).toBe('monthly')
    expect(fixFor('Weeks')).toBe('weekly')
    expect(fixFor('day')).toBe('daily')
    expect(fixFor('dailyish')).toBe('daily')
    expect(fixFor('hours')).toBe('hourly')
    expect(fixFor('30D')).toBe('monthly')
    expect(fixFor('biweekly')).toBe('monthly')
  })

  it('what it is: a word, or not a LiteLLM duration', () => {
    expect(one({key_alias: 'w', max_budget: 10, budget_duration: ' 30d', budget_reset_at: null}).message).toMatch(/^budget_duration ' 30d' is not a LiteLLM duration: /)
    expect(one({key_alias: 'w', max_budget: 10, budget_duration: '30D', budget_reset_at: null}).message).toMatch(/^budget_duration '30D' is not a LiteLLM duration: /)
    expect(one({key_alias: 'w', max_budget: 10, budget_duration: ' Fortnightly ', budget_reset_at: null}).message).toMatch(/^budget_duration ' Fortnightly ' is a word: /)
  })

  it('a monthly budget the proxy resets daily, one reset too far, one without a reset: texts and fixes', () => {
    expect(one({key_alias: 'm', max_budget: 10, budget_duration: '30d', budget_reset_at: '2026-11-19T00:00:00Z'})).toMatchObject({
      code: 'resets-daily',
      severity: 'critical',
      message: 'monthly (30d) budget of $10.00 resets at 2026-11-19 00:00 UTC, in 14 h, not at the start of a month: the proxy resets it DAILY',
      fix: 'keyward keys update m --period monthly',
    })
    expect(one({key_alias: 'm', max_budget: 10, budget_duration: '1mo', budget_reset_at: '2027-01-25T00:00:00Z'})).toMatchObject({
      code: 'reset-misplaced',
      severity: 'warning',
      message: "monthly (1mo) budget's next reset is 2027-01-25 00:00 UTC, in 68 days: more than a month away",
      fix: 'keyward keys update m --period monthly',
    })
    expect(one({key_alias: 'm', max_budget: 10, budget_duration: '30d', budget_reset_at: null})).toMatchObject({
      code: 'reset-unknown',
      severity: 'warning',
      message: 'monthly (30d) budget has no reset time (budget_reset_at is empty): the proxy may never reset it',
      fix: 'keyward keys update m --period monthly',
    })
    // Without a budget a monthly period limits nothing: only "no budget".
    expect(auditKey(row({key_alias: 'm', max_budget: null, budget_duration: '30d', budget_reset_at: '2026-11-19T00:00:00Z'}), NOW).map((f) => f.code)).toEqual(['no-budget'])
    // Not monthly: no reset rule applies.
    expect(auditKey(row({key_alias: 'm', max_budget: 10, budget_duration: '7d', budget_reset_at: '2026-11-19T00:00:00Z'}), NOW)).toEqual([])
  })

  it('no budget, over budget (with and without a reset), expired and blocked', () => {
    expect(one({key_alias: 'n', max_budget: null, spend: 3.5})).toMatchObject({code: 'no-budget', severity: 'warning', message: "'n' has no budget: its spend is unlimited ($3.50 so far)", fix: 'keyward keys update n --budget <USD> --period monthly'})
    expect(one({key_alias: null, key_name: null, max_budget: null})).toMatchObject({message: 'a key without alias has no budget: its spend is unlimited ($0.00 so far)'})
    expect(one({key_alias: null, key_name: 'sk-...wxyz', max_budget: null}).message).toMatch(/^sk-\.\.\.wxyz has no budget/)
    expect(one({key_alias: 'o', max_budget: 10, spend: 12, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z'})).toMatchObject({
      code: 'over-budget',
      severity: 'warning',
      message: 'spent $12.00 of its $10.00 budget (120%): requests are refused until the reset (2026-12-01 00:00 UTC, in 13 days)',
      fix: 'keyward keys update o --budget <USD above $12.00>',
    })
    expect(one({key_alias: 'o', max_budget: 10, spend: 10}).message).toBe('spent $10.00 of its $10.00 budget (100%): requests are refused until the budget is raised')
    expect(one({key_alias: 'o', max_budget: 0, spend: 1}).message).toBe('spent $1.00 of its $0.00 budget: requests are refused until the budget is raised')
    expect(auditKey(row({key_alias: 'o', max_budget: 10, spend: 9.99}), NOW)).toEqual([])
    expect(one({key_alias: 'x', max_budget: 10, expires: '2026-11-16T10:20:00Z'})).toMatchObject({
      code: 'expired',
      severity: 'info',
      message: 'expired on 2026-11-16 10:20 UTC, 2 days ago',
      fix: 'keyward keys delete x --yes   (or renew: keyward keys update x --expires 90d)',
    })
    expect(one({key_alias: 'x', max_budget: 10, expires: '2026-11-01T10:20:00Z'}).message).toBe('expired on 2026-11-01 10:20 UTC, 17 days ago')
    expect(one({key_alias: 'x', max_budget: 10, expires: '2026-11-16T11:20:00Z'}).message).toBe('expired on 2026-11-16 11:20 UTC, 47 h ago')
    expect(one({key_alias: 'b', max_budget: 10, blocked: true})).toMatchObject({code: 'blocked', severity: 'info', message: "'b' is blocked: the proxy refuses its requests", fix: 'keyward keys unblock b   (or remove it: keyward keys delete b --yes)'})
  })

  it('names the CLI it is given in fixes', () => {
    expect(auditKey(row({key_alias: 'n', max_budget: null}), NOW, {bin: 'npx keyward'})[0]!.fix).toBe('npx keyward keys update n --budget <USD> --period monthly')
  })
})

describe('order, counts and codes', () => {
  const f = (severity: AuditFinding['severity'], alias: string | null, hash: string | null, code: AuditFinding['code']): AuditFinding => ({alias, keyName: null, hash, code, severity, message: '', fix: '', window: null})

  it('severity first, then alias (none last), then hash (none last), then the code order', () => {
    const list = [
      f('info', 'a', 'h1', 'blocked'),
      f('warning', null, null, 'no-budget'),
      f('warning', null, 'h2', 'no-budget'),
      f('warning', null, 'h1', 'no-budget'),
      f('warning', 'b', 'h1', 'no-budget'),
      f('warning', 'a', 'h1', 'no-budget'),
      f('warning', 'a', 'h1', 'over-budget'),
      f('critical', 'z', 'h9', 'word-duration'),
    ]
    expect([...list].sort(compareFindings).map((x) => `${x.severity}:${x.alias}:${x.hash}:${x.code}`)).toEqual([
      'critical:z:h9:word-duration',
      'warning:a:h1:over-budget',
      'warning:a:h1:no-budget',
      'warning:b:h1:no-budget',
      'warning:null:h1:no-budget',
      'warning:null:h2:no-budget',
      'warning:null:null:no-budget',
      'info:a:h1:blocked',
    ])
    expect(compareFindings(list[0]!, list[0]!)).toBe(0)
  })

  it('ignored codes are left out of findings and counts; every key is counted as checked', () => {
    const r = auditKeys([row({key_alias: 'a', max_budget: null, blocked: true}), row({key_alias: 'b', max_budget: 10})], NOW, {ignore: ['blocked']})
    expect(r).toMatchObject({checked: 2, counts: {critical: 0, warning: 1, info: 0}})
    expect(r.findings.map((x) => x.code)).toEqual(['no-budget'])
    expect(auditKeys([], NOW)).toEqual({checked: 0, findings: [], counts: {critical: 0, warning: 0, info: 0}})
  })

  it('parseAuditCodes: every known code, blanks and empty parts skipped; the error lists them with an example', () => {
    expect(parseAuditCodes(AUDIT_CODES.join(','))).toEqual([...AUDIT_CODES])
    expect(parseAuditCodes(' blocked ,, ')).toEqual(['blocked'])
    expect(parseAuditCodes('')).toEqual([])
    let err: unknown
    try {
      parseAuditCodes('nope')
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({message: `unknown finding 'nope': use one of ${AUDIT_CODES.join(', ')}`, example: '--ignore blocked,expired'})
  })
})
