/**
 * Spend aggregation rules (src/domain/spend-aggregate.ts) at their edges, written to kill mutants
 * that survived (npm run mutation, issue #18): week and month groups, labels of keys, models, users,
 * teams and providers, daily activity fallbacks, sorting, and exact money sums.
 */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {InputError} from '../../src/core/errors.js'
import {breakdownFor, chooseSpendSource, ExactSum, GROUP_BY, parseGroupBy, periodOf, sortRows, SpendAggregator, spendKeyLabel, type DailyLike, type LogFacts, type SpendGroupRow} from '../../src/domain/spend-aggregate.js'
import {fact} from '../helpers/spend-facts.js'
import {roundUsd as round6} from '../../src/domain/money.js'

const metrics = (spend: number, requests = 1) => ({spend, prompt_tokens: 2, completion_tokens: 1, api_requests: requests, failed_requests: 0})
const labels = (a: SpendAggregator) => a.result().rows.map((r) => [r.label, r.spend])

describe('groups and labels', () => {
  it('periodOf: a week starts on Monday (also for a Sunday and a Monday), a month is YYYY-MM', () => {
    expect(periodOf('week', '2026-11-04')).toBe('2026-11-02') // Wednesday
    expect(periodOf('week', '2026-11-08')).toBe('2026-11-02') // Sunday
    expect(periodOf('week', '2026-11-02')).toBe('2026-11-02') // Monday
    expect(periodOf('week', '2026-03-01')).toBe('2026-02-23')
    expect(periodOf('month', '2026-11-04')).toBe('2026-11')
    expect(periodOf('day', '2026-11-04')).toBe('2026-11-04')
    expect(periodOf('model', '2026-11-04')).toBe('2026-11-04')
  })

  it('parseGroupBy: every grouping and word, with blanks; the error names them all with an example', () => {
    for (const g of GROUP_BY) expect(parseGroupBy(` ${g.toUpperCase()} `)).toBe(g)
    expect(parseGroupBy('daily')).toBe('day')
    let err: unknown
    try {
      parseGroupBy('hourly')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InputError)
    expect(err).toMatchObject({message: `unknown grouping 'hourly' for --by: use one of ${GROUP_BY.join(', ')}`, example: '--by model'})
    expect(() => parseGroupBy('toString')).toThrow(InputError)
  })

  it('breakdownFor: by key under a model, by model under anything else', () => {
    expect(breakdownFor('model')).toBe('key')
    expect(breakdownFor('day')).toBe('model')
    expect(breakdownFor('key')).toBe('model')
  })

  it('spendKeyLabel: alias, master key (literal or hash), unknown, short hash as is, long hash cut', () => {
    expect(spendKeyLabel('h', 'alias')).toBe('alias')
    expect(spendKeyLabel('litellm_proxy_master_key', null)).toBe('(master key)')
    expect(spendKeyLabel('m'.repeat(64), null, 'm'.repeat(64))).toBe('(master key)')
    expect(spendKeyLabel('m'.repeat(64), null, 'x'.repeat(64))).toBe('mmmmmmmmmm…')
    expect(spendKeyLabel('', null)).toBe('(unknown key)')
    expect(spendKeyLabel('123456789012', null)).toBe('123456789012')
    expect(spendKeyLabel('1234567890123', null)).toBe('1234567890…')
  })

  it('log rows without a model, user, team or provider are grouped under a named placeholder', () => {
    const by = (g: 'model' | 'user' | 'team' | 'provider', f: Partial<LogFacts>) => {
      const a = new SpendAggregator(g, null)
      a.addLog(fact(f))
      return a.result().rows.map((r) => [r.group, r.label])
    }
    expect(by('model', {model: null})).toEqual([['', '(unknown)']])
    expect(by('model', {model: 'm1'})).toEqual([['m1', 'm1']])
    expect(by('user', {user: ''})).toEqual([['', '(none)']])
    expect(by('user', {user: 'u7'})).toEqual([['u7', 'u7']])
    expect(by('team', {team: null})).toEqual([['', '(none)']])
    expect(by('team', {team: 't7'})).toEqual([['t7', 't7']])
    expect(by('provider', {provider: undefined})).toEqual([['', '(unknown)']])
    expect(by('provider', {provider: 'azure'})).toEqual([['azure', 'azure']])
    const key = new SpendAggregator('key', null)
    key.addLog(fact({apiKey: null}))
    expect(key.result().rows.map((r) => [r.group, r.label])).toEqual([['', '(unknown key)']])
  })

  it('a later row with the alias names a key first seen without one; an alias, once known, stays', () => {
    const a = new SpendAggregator('key', null)
    a.addLog(fact({alias: null}))
    a.addLog(fact({alias: 'ci-bot'}))
    a.addLog(fact({alias: 'renamed'}))
    a.addLog(fact({alias: null}))
    expect(a.result().rows.map((r) => [r.label, r.requests])).toEqual([['ci-bot', 4]])
  })

  it('week and month groups of log rows, with a breakdown and failure counts', () => {
    const a = new SpendAggregator('week', 'model')
    a.addLog(fact({ms: Date.parse('2026-11-02T00:00:00Z'), failed: true}))
    a.addLog(fact({ms: Date.parse('2026-11-08T23:59:59Z'), model: 'claude', spend: 2}))
    a.addLog(fact({ms: Date.parse('2026-11-09T00:00:00Z')}))
    const r = a.result()
    expect(r.rows.map((x) => [x.group, x.requests, x.failed, x.spend])).toEqual([
      ['2026-11-02', 2, 1, 3],
      ['2026-11-09', 1, 0, 1],
    ])
    expect(r.rows[0]!.breakdown!.map((b) => [b.label, b.spend])).toEqual([
      ['claude', 2],
      ['gpt-4o', 1],
    ])
    expect([...r.daily]).toEqual([
      ['2026-11-02', 1],
      ['2026-11-08', 2],
      ['2026-11-09', 1],
    ])
    const m = new SpendAggregator('month', null)
    m.addLog(fact({ms: Date.parse('2026-10-31T23:00:00Z')}))
    m.addLog(fact({ms: Date.parse('2026-11-01T00:00:00Z')}))
    expect(m.result().rows.map((x) => x.group)).toEqual(['2026-10', '2026-11'])
    expect(m.result().rows[0]!.breakdown).toBeUndefined()
  })
})

describe('daily activity', () => {
  const day = (date: string, spend: number, breakdown: DailyLike['breakdown']): DailyLike => ({date, metrics: metrics(spend, 2), breakdown})

  it('by model: model_groups when there are any, else models; none at all falls back to (unknown) unless the day is empty', () => {
    const a = new SpendAggregator('model', null)
    a.addDaily(day('2026-11-01', 3, {model_groups: {'gpt-4o': {metrics: metrics(3)}}, models: {'openai/gpt-4o': {metrics: metrics(3)}}}))
    a.addDaily(day('2026-11-02', 1, {model_groups: {}, models: {'openai/x': {metrics: metrics(1)}}}))
    a.addDaily(day('2026-11-03', 0.5, null))
    a.addDaily({date: '2026-11-04', metrics: {...metrics(0), api_requests: 0}, breakdown: {}})
    a.addDaily(day('2026-11-05', 0.25, {models: {'': {metrics: metrics(0.25)}}}))
    expect(labels(a)).toEqual([
      ['gpt-4o', 3],
      ['openai/x', 1],
      ['(unknown)', 0.75],
    ])
    expect(a.result().totals).toEqual({requests: 8, failed: 0, inputTokens: 10, outputTokens: 5, spend: 4.75})
    // A day with requests but no spend still counts its requests.
    const b = new SpendAggregator('model', null)
    b.addDaily({date: '2026-11-04', metrics: {...metrics(0), api_requests: 3}, breakdown: null})
    expect(b.result().rows.map((r) => [r.label, r.requests])).toEqual([['(unknown)', 3]])
  })

  it('by provider and by key (alias from metadata only when it is text)', () => {
    const p = new SpendAggregator('provider', null)
    p.addDaily(day('2026-11-01', 3, {providers: {openai: {metrics: metrics(2)}, '': {metrics: metrics(1)}}}))
    expect(labels(p)).toEqual([
      ['openai', 2],
      ['(unknown)', 1],
    ])
    const k = new SpendAggregator('key', null)
    k.addDaily(day('2026-11-01', 3, {api_keys: {['a'.repeat(64)]: {metrics: metrics(2), metadata: {key_alias: 'bot'}}, ['b'.repeat(64)]: {metrics: metrics(1), metadata: {key_alias: 7}}}}))
    k.addDaily(day('2026-11-02', 1, {}))
    expect(labels(k)).toEqual([
      ['bot', 2],
      ['(unknown key)', 1],
      ['bbbbbbbbbb…', 1],
    ])
  })

  it('by week with a model breakdown; days without a breakdown get (unknown); other groupings need the logs', () => {
    const w = new SpendAggregator('week', 'model')
    w.addDaily(day('2026-11-03', 3, {models: {'gpt-4o': {metrics: metrics(2)}, '': {metrics: metrics(1)}}}))
    w.addDaily(day('2026-11-04', 1, null))
    w.addDaily({date: '2026-11-05', metrics: {...metrics(0), api_requests: 0}, breakdown: null})
    const r = w.result()
    expect(r.rows.map((x) => [x.group, x.spend])).toEqual([['2026-11-02', 4]])
    expect(r.rows[0]!.breakdown!.map((b) => [b.group, b.label, b.spend])).toEqual([
      ['', '(unknown)', 2],
      ['gpt-4o', 'gpt-4o', 2],
    ])
    expect([...r.daily]).toEqual([
      ['2026-11-03', 3],
      ['2026-11-04', 1],
      ['2026-11-05', 0],
    ])
    const noBreakdown = new SpendAggregator('day', null)
    noBreakdown.addDaily(day('2026-11-03', 3, {models: {'gpt-4o': {metrics: metrics(3)}}}))
    expect(noBreakdown.result().rows[0]!.breakdown).toBeUndefined()
    expect(() => new SpendAggregator('user', null).addDaily(day('2026-11-03', 1, null))).toThrow('daily activity cannot group by user')
    expect(() => new SpendAggregator('team', null).addDaily(day('2026-11-03', 1, null))).toThrow('daily activity cannot group by team')
  })
})

describe('sorting and sums', () => {
  const r = (group: string, label: string, spend: number): SpendGroupRow => ({group, label, spend, requests: 0, failed: 0, inputTokens: 0, outputTokens: 0})

  it('time groups by date; others by spend, largest first, then by label', () => {
    expect(sortRows('month', [r('2026-11', 'x', 1), r('2026-09', 'y', 9), r('2026-10', 'z', 5), r('2026-10', 'w', 5)]).map((x) => x.group)).toEqual(['2026-09', '2026-10', '2026-10', '2026-11'])
    expect(sortRows('model', [r('a', 'b', 1), r('c', 'c', 5), r('d', 'a', 1), r('e', 'a', 1)]).map((x) => `${x.label}${x.spend}`)).toEqual(['c5', 'a1', 'a1', 'b1'])
  })

  it('ExactSum ignores non-finite values and keeps small values next to large ones', () => {
    const s = new ExactSum()
    s.add(1e16)
    s.add(1)
    s.add(Number.NaN)
    s.add(Number.POSITIVE_INFINITY)
    s.add(-1e16)
    expect(s.value).toBe(1)
    const t = new ExactSum()
    t.add(1)
    t.add(1e100)
    t.add(1)
    t.add(-1e100)
    expect(t.value).toBe(2)
  })

  it('roundUsd rounds to 6 decimals and never gives -0', () => {
    expect(round6(1.0000004)).toBe(1)
    expect(round6(1.0000006)).toBe(1.000001)
    expect(Object.is(round6(-0.0000004), 0)).toBe(true)
    expect(round6(-2.5e-6)).toBe(-0.000002)
  })

  it('property: grouped totals equal the sum of the rows, whatever the grouping', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({cents: fc.integer({min: 0, max: 100_000}), model: fc.constantFrom('a', 'b', 'c', null), day: fc.integer({min: 0, max: 40})}), {maxLength: 40}),
        fc.constantFrom(...GROUP_BY),
        (rows, by) => {
          const a = new SpendAggregator(by, null)
          for (const x of rows) a.addLog(fact({spend: x.cents / 100, model: x.model, ms: Date.parse('2026-11-01T12:00:00Z') + x.day * 86_400_000}))
          const res = a.result()
          const cents = rows.reduce((n, x) => n + x.cents, 0)
          expect(res.totals.spend).toBe(cents / 100)
          expect(res.totals.requests).toBe(rows.length)
          expect(round6(res.rows.reduce((n, x) => n + x.spend, 0))).toBeCloseTo(cents / 100, 6)
          expect(res.rows.reduce((n, x) => n + x.requests, 0)).toBe(rows.length)
        },
      ),
      {numRuns: 50},
    )
  })
})

describe('chooseSpendSource for every grouping', () => {
  const all = {dailyActivity: true, spendLogsV2: true, spendLogsUi: true, legacySpendLogs: true}
  it('daily activity for day, week, month, model, key and provider in UTC; breakdowns only under time groups', () => {
    for (const g of ['day', 'week', 'month', 'model', 'key', 'provider'] as const) expect(chooseSpendSource(all, {groupBy: g, breakdown: false, timezone: 'UTC'})).toBe('daily-activity')
    for (const g of ['user', 'team'] as const) expect(chooseSpendSource(all, {groupBy: g, breakdown: false, timezone: 'UTC'})).toBe('spend-logs-v2')
    expect(chooseSpendSource(all, {groupBy: 'week', breakdown: true, timezone: 'UTC'})).toBe('daily-activity')
    expect(chooseSpendSource(all, {groupBy: 'month', breakdown: true, timezone: 'UTC'})).toBe('daily-activity')
    expect(chooseSpendSource(all, {groupBy: 'key', breakdown: true, timezone: 'UTC'})).toBe('spend-logs-v2')
    expect(chooseSpendSource({...all, dailyActivity: false}, {groupBy: 'day', breakdown: false, timezone: 'UTC'})).toBe('spend-logs-v2')
  })
})
