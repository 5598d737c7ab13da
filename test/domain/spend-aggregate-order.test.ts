/**
 * What `spend report` shows, exactly: the order of its rows and of the chart's days whatever order the
 * proxy sends them in, the `--by error` labels, and daily activity's placeholders for days the proxy
 * did not break down. Written for the mutants of src/domain/spend-aggregate.ts that survived the tests of
 * spend-aggregate.test.ts and spend-aggregate-rules.test.ts (npm run mutation, issue #18).
 */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {sortRows, SpendAggregator, type DailyLike, type DailyMetricsLike, type GroupBy, type SpendGroupRow} from '../../src/domain/spend-aggregate.js'
import {fact} from '../helpers/spend-facts.js'

const m = (spend: number, requests: number): DailyMetricsLike => ({spend, prompt_tokens: 0, completion_tokens: 0, api_requests: requests, failed_requests: 0})
const day = (date: string, metrics: DailyMetricsLike, breakdown: DailyLike['breakdown'] = null): DailyLike => ({date, metrics, breakdown})
const rowsOf = (a: SpendAggregator) => a.result().rows.map((r) => [r.group, r.label, r.requests, r.spend])
const at = (iso: string) => Date.parse(iso)

describe('order', () => {
  it('the chart has its days in date order, whatever order the rows came in', () => {
    const logs = new SpendAggregator('model', null)
    for (const d of ['2026-11-09', '2026-11-02', '2026-11-30', '2026-11-02', '2026-11-10']) logs.addLog(fact({ms: at(`${d}T12:00:00Z`)}))
    expect([...logs.result().daily]).toEqual([
      ['2026-11-02', 2],
      ['2026-11-09', 1],
      ['2026-11-10', 1],
      ['2026-11-30', 1],
    ])
    const daily = new SpendAggregator('day', null)
    for (const d of ['2026-11-05', '2026-11-03', '2026-11-04']) daily.addDaily(day(d, m(Number(d.slice(-1)), 1)))
    expect([...daily.result().daily]).toEqual([
      ['2026-11-03', 3],
      ['2026-11-04', 4],
      ['2026-11-05', 5],
    ])
    expect(daily.result().rows.map((r) => r.group)).toEqual(['2026-11-03', '2026-11-04', '2026-11-05'])
  })

  it('property: days, weeks and months come out in date order; other groups by spend, then label, then id, for any input order', () => {
    const reference = (groupBy: GroupBy, rows: SpendGroupRow[]) =>
      [...rows].sort((a, b) => {
        if (['day', 'week', 'month'].includes(groupBy)) return a.group < b.group ? -1 : 1
        return b.spend - a.spend || (a.label === b.label ? 0 : a.label < b.label ? -1 : 1) || (a.group < b.group ? -1 : 1)
      })
    const row = (group: string, label: string, spend: number): SpendGroupRow => ({group, label, spend, requests: 1, failed: 0, inputTokens: 0, outputTokens: 0})
    fc.assert(
      fc.property(
        // Up to 120 rows: V8 sorts short arrays by insertion and longer ones by merging runs, which asks the
        // comparator different questions; distinct ids, as the aggregator's groups always are.
        fc.uniqueArray(fc.record({day: fc.integer({min: 0, max: 3000}), label: fc.constantFrom('a', 'b', 'c', 'ci-bot'), cents: fc.integer({min: 0, max: 3})}), {
          selector: (r) => r.day,
          minLength: 2,
          maxLength: 120,
        }),
        fc.constantFrom<GroupBy>('day', 'month', 'model', 'key'),
        (specs, groupBy) => {
          const rows = specs.map((s) => row(groupBy === 'day' || groupBy === 'month' ? new Date(Date.UTC(2020, 0, 1) + s.day * 86_400_000).toISOString().slice(0, 10) : `g${String(s.day).padStart(4, '0')}`, s.label, s.cents / 100))
          const want = reference(groupBy, rows).map((r) => r.group)
          expect(sortRows(groupBy, [...rows]).map((r) => r.group)).toEqual(want)
          expect(sortRows(groupBy, [...rows].reverse()).map((r) => r.group)).toEqual(want)
        },
      ),
      {numRuns: 60},
    )
  })

  it('two keys with the same alias and the same spend are listed by key hash, not by which was seen first', () => {
    const [k1, k2] = ['1'.repeat(64), '2'.repeat(64)]
    for (const order of [
      [k1, k2],
      [k2, k1],
    ]) {
      const a = new SpendAggregator('key', null)
      for (const apiKey of order) a.addLog(fact({apiKey, alias: 'openclaw'}))
      expect(a.result().rows.map((r) => r.group)).toEqual([k1, k2])
    }
  })

  it('equal spend sorts by label, the smaller first, for any input order', () => {
    for (const order of [
      ['beta', 'alpha', 'gamma'],
      ['gamma', 'beta', 'alpha'],
      ['alpha', 'gamma', 'beta'],
    ]) {
      const a = new SpendAggregator('model', null)
      for (const model of order) a.addLog(fact({model}))
      a.addLog(fact({model: 'zeta', spend: 5}))
      expect(a.result().rows.map((r) => r.label)).toEqual(['zeta', 'alpha', 'beta', 'gamma'])
    }
  })
})

describe('--by error', () => {
  it('groups failures by error type and model; a failure without details and a success are named', () => {
    const a = new SpendAggregator('error', null)
    a.addLog(fact({failed: true, errorType: 'RateLimitError', spend: 0}))
    a.addLog(fact({failed: true, errorType: 'RateLimitError', spend: 0}))
    a.addLog(fact({failed: true, errorType: 'RateLimitError', model: 'claude', spend: 0}))
    a.addLog(fact({failed: true, errorType: null, spend: 0}))
    a.addLog(fact({failed: true, errorType: '', model: null, spend: 0}))
    a.addLog(fact({failed: false, spend: 3}))
    expect(a.result().rows.map((r) => [r.group, r.label, r.requests, r.failed])).toEqual([
      ['(succeeded)\u001fgpt-4o', '(succeeded) · gpt-4o', 1, 0],
      ['(no error details)\u001f(unknown)', '(no error details) · (unknown)', 1, 1],
      ['(no error details)\u001fgpt-4o', '(no error details) · gpt-4o', 1, 1],
      ['RateLimitError\u001fclaude', 'RateLimitError · claude', 1, 1],
      ['RateLimitError\u001fgpt-4o', 'RateLimitError · gpt-4o', 2, 2],
    ])
  })
})

describe('daily activity without a breakdown', () => {
  // A day the proxy did not break down still counts under a placeholder when it had requests or spend
  // (spend without a request is a manual adjustment; requests without spend, a free model); an empty day adds no row.
  const cases: Array<[string, DailyMetricsLike, boolean]> = [
    ['requests, no spend', m(0, 3), true],
    ['spend, no requests', m(0.5, 0), true],
    ['a refund (negative spend)', m(-0.25, 0), true],
    ['nothing', m(0, 0), false],
  ]

  it.each(cases)('by model, provider and key: %s', (_name, metrics, counted) => {
    for (const [groupBy, label] of [
      ['model', '(unknown)'],
      ['provider', '(unknown)'],
      ['key', '(unknown key)'],
    ] as const) {
      for (const breakdown of [null, {}, {models: {}, providers: {}, api_keys: {}}]) {
        const a = new SpendAggregator(groupBy, null)
        a.addDaily(day('2026-11-03', metrics, breakdown))
        expect(rowsOf(a)).toEqual(counted ? [['', label, metrics.api_requests, metrics.spend]] : [])
      }
    }
  })

  it.each(cases)('by day with a model breakdown: %s', (_name, metrics, counted) => {
    const a = new SpendAggregator('day', 'model')
    a.addDaily(day('2026-11-03', metrics, null))
    const [row] = a.result().rows
    expect(row!.breakdown!.map((b) => [b.group, b.label, b.requests, b.spend])).toEqual(counted ? [['', '(unknown)', metrics.api_requests, metrics.spend]] : [])
  })

  it('the placeholder names a model or provider the proxy sent as an empty name, also when it comes first', () => {
    const a = new SpendAggregator('model', null)
    a.addDaily(day('2026-11-03', m(1, 1), {models: {'': {metrics: m(1, 1)}}}))
    a.addDaily(day('2026-11-04', m(2, 1), {models: {'gpt-4o': {metrics: m(2, 1)}}}))
    expect(rowsOf(a)).toEqual([
      ['gpt-4o', 'gpt-4o', 1, 2],
      ['', '(unknown)', 1, 1],
    ])
    const p = new SpendAggregator('provider', null)
    p.addDaily(day('2026-11-03', m(1, 1), {providers: {'': {metrics: m(1, 1)}}}))
    expect(rowsOf(p)).toEqual([['', '(unknown)', 1, 1]])
    const w = new SpendAggregator('week', 'model')
    w.addDaily(day('2026-11-03', m(1, 1), {models: {'': {metrics: m(1, 1)}}}))
    expect(w.result().rows[0]!.breakdown!.map((b) => [b.group, b.label])).toEqual([['', '(unknown)']])
  })

  it('by key, an entry without metadata is named by its hash', () => {
    const a = new SpendAggregator('key', null)
    a.addDaily(day('2026-11-03', m(1, 1), {api_keys: {['c'.repeat(64)]: {metrics: m(1, 1)}, ['d'.repeat(64)]: {metrics: m(1, 1), metadata: null}}}))
    expect(rowsOf(a)).toEqual([
      ['c'.repeat(64), 'cccccccccc…', 1, 1],
      ['d'.repeat(64), 'dddddddddd…', 1, 1],
    ])
  })

  it('by month, days of one month make one row, in month order', () => {
    const a = new SpendAggregator('month', 'model')
    a.addDaily(day('2026-11-30', m(1, 1), {models: {'gpt-4o': {metrics: m(1, 1)}}}))
    a.addDaily(day('2026-10-31', m(2, 1), {models: {'gpt-4o': {metrics: m(2, 1)}}}))
    a.addDaily(day('2026-11-01', m(4, 1), {models: {claude: {metrics: m(4, 1)}}}))
    const rows = a.result().rows
    expect(rows.map((r) => [r.group, r.spend])).toEqual([
      ['2026-10', 2],
      ['2026-11', 5],
    ])
    expect(rows[1]!.breakdown!.map((b) => [b.label, b.spend])).toEqual([
      ['claude', 4],
      ['gpt-4o', 1],
    ])
  })
})
