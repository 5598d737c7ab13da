/**
 * Alert decisions (src/domain/alerts.ts) at their edges, written to kill mutants that survived
 * (npm run mutation, issue #18): which markers count as "already sent", thresholds hit exactly,
 * exit codes per verdict, and what the messages say.
 */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {checkKey, checkLabel, dueAlerts, overallExitCode, stillValidMarkers, VERDICT_EXIT_CODE, type KeyCheck} from '../../src/domain/alerts.js'
import {summarizeKey} from '../../src/domain/key-summary.js'

const now = new Date('2026-11-20T12:00:00Z')
const TH = [50, 80, 100]

function key(spend: number, extra: Record<string, unknown> = {}, opts: {thresholds?: number[]; forecast?: boolean; createdAt?: string | null} = {}): KeyCheck {
  const row = {token: 'h'.repeat(64), key_alias: 'ci-bot', key_name: 'sk-...abcd', spend, max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00+00:00', models: [], ...extra}
  return checkKey(summarizeKey(row as never, now), {thresholds: opts.thresholds ?? TH, forecast: opts.forecast ?? false, now, createdAt: opts.createdAt})
}
const markers = (c: KeyCheck, sent: string[] = [], problems: string[] = [], forecast = false) =>
  dueAlerts(c, new Set(sent), new Set(problems), {forecast, thresholds: TH}).map((a) => a.marker)

describe('exit codes', () => {
  it('one code per verdict: 0 ok and no budget, 10 threshold, forecast and nightly reset, 11 exhausted', () => {
    expect(VERDICT_EXIT_CODE).toEqual({ok: 0, 'no-budget': 0, threshold: 10, forecast: 10, 'resets-daily': 10, exhausted: 11})
  })

  it('property: a key exit code is always its verdict code, and the overall one the worst of them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 200}), {minLength: 0, maxLength: 6}), (spends) => {
        const checks = spends.map((s) => key(s))
        for (const c of checks) expect(c.exitCode).toBe(VERDICT_EXIT_CODE[c.verdict])
        expect(overallExitCode(checks)).toBe(Math.max(0, ...checks.map((c) => c.exitCode)))
        for (const c of checks) expect(c.verdict).toBe(c.spent >= 100 ? 'exhausted' : c.spent >= 50 ? 'threshold' : 'ok')
      }),
      {numRuns: 40},
    )
  })
})

describe('checkKey details', () => {
  it('a threshold hit exactly counts; the highest one crossed is reported', () => {
    expect(key(80)).toMatchObject({threshold: 80, verdict: 'threshold'})
    expect(key(79.99)).toMatchObject({threshold: 50})
    expect(key(10, {}, {thresholds: []})).toMatchObject({threshold: null, verdict: 'ok'})
  })

  it('the nightly-reset problem names the duration and the hours to the reset; overspend names the amount', () => {
    const trap = key(10, {budget_reset_at: '2026-11-21T00:00:00Z'})
    expect(trap.problems).toEqual([{kind: 'reset-trap', message: "budget_duration '30d' makes the proxy reset this budget every night (next reset in 12 h): set it to 30d for a monthly budget"}])
    const word = key(10, {budget_duration: 'weekly', budget_reset_at: '2026-11-21T00:00:00Z'})
    expect(word.problems).toEqual([{kind: 'reset-trap', message: "budget_duration 'weekly' makes the proxy reset this budget every night: set it to 30d for a monthly budget"}])
    expect(word.verdict).toBe('resets-daily')
    expect(key(123.456).problems).toEqual([{kind: 'over-budget', message: 'spend is over the budget by $23.46 (the proxy enforces budgets with a delay)'}])
    expect(key(5, {blocked: true}).problems).toEqual([{kind: 'blocked', message: 'the key is blocked: every request with it is refused'}])
    // Without a budget there is nothing to reset: no trap.
    expect(key(5, {max_budget: null, budget_reset_at: '2026-11-21T00:00:00Z'}).problems).toEqual([])
  })

  it('a threshold or exhaustion outranks the nightly-reset verdict', () => {
    expect(key(60, {budget_reset_at: '2026-11-21T00:00:00Z'}).verdict).toBe('threshold')
    expect(key(100, {budget_reset_at: '2026-11-21T00:00:00Z'}).verdict).toBe('exhausted')
  })

  it('the window, its id and the pace as reported', () => {
    expect(key(10)).toMatchObject({window: {start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z', basis: 'duration'}, windowId: '2026-12-01T00:00:00.000Z', pace: 'window'})
    const lifetime = key(10, {budget_duration: null, budget_reset_at: null}, {createdAt: '2026-11-10T12:00:00Z'})
    expect(lifetime).toMatchObject({window: {start: '2026-11-10T12:00:00.000Z', end: null, basis: 'lifetime'}, windowId: 'lifetime', forecastPct: null, runOutAt: '2027-02-18T12:00:00.000Z'})
    expect(lifetime.burnRatePerDay).toBeCloseTo(1, 9)
    const unknown = key(10, {budget_reset_at: null})
    expect(unknown).toMatchObject({window: null, windowId: 'lifetime', pace: null, burnRatePerDay: null})
    // No period and no creation time: the window is unknown, and the reset time the proxy reported names it.
    expect(key(10, {budget_duration: null}, {createdAt: null})).toMatchObject({window: null, windowId: '2026-12-01T00:00:00.000Z'})
    const garbled = key(10, {budget_duration: '30D', budget_reset_at: 'not a date'})
    expect(garbled).toMatchObject({window: null, windowId: 'lifetime'})
    const noBudget = key(10, {max_budget: null})
    expect(noBudget).toMatchObject({verdict: 'no-budget', pace: null, forecastSpend: null, forecastPct: null, runOutAt: null, forecastReliable: false, forecastExceeds: false, threshold: null, exitCode: 0, budget: null})
  })

  it('forecast: reliable and exceeding is needed, and the forecast verdict needs --forecast', () => {
    // 40 spent in the first 12 h of a rolling window (reset 29.5 days out): exceeds, but a day has not passed.
    const early = key(40, {budget_reset_at: '2026-12-20T00:00:00Z'}, {forecast: true, createdAt: null})
    expect(early).toMatchObject({forecastReliable: false, forecastExceeds: false, verdict: 'ok'})
    const fast = key(40, {budget_reset_at: '2026-12-15T12:00:00Z'}, {forecast: true})
    expect(fast).toMatchObject({forecastReliable: true, forecastExceeds: true, verdict: 'forecast', exitCode: 10, pace: 'window'})
    expect(fast.runOutAt).toBe('2026-11-28T00:00:00.000Z')
  })

  it('a faster recent pace is used when the daily spend is given', () => {
    const c = checkKey(summarizeKey({spend: 39, max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z', models: []} as never, now), {thresholds: [], forecast: true, now, recentDays: [{date: '2026-11-14', spend: 65}]})
    expect(c).toMatchObject({pace: 'recent', forecastExceeds: true, verdict: 'forecast'})
    expect(c.burnRatePerDay).toBeCloseTo(10, 6)
  })
})

describe('dueAlerts: what counts as already sent', () => {
  it('only threshold markers with a number count as sent thresholds', () => {
    expect(markers(key(82), ['forecast', 'exhausted', 'threshold:', 'threshold:abc', 'problem:blocked'])).toEqual(['threshold:80'])
    expect(markers(key(82), ['threshold:80'])).toEqual([])
    // A higher threshold sent earlier (a larger budget before) still covers a lower one now.
    expect(markers(key(82), ['threshold:100'])).toEqual([])
    expect(markers(key(82), ['threshold:79'])).toEqual(['threshold:80'])
  })

  it('exhausted is sent once; after it only a threshold above 100% can alert, and as critical', () => {
    expect(markers(key(100))).toEqual(['exhausted'])
    expect(markers(key(100), ['exhausted', 'threshold:50', 'threshold:80', 'threshold:100'])).toEqual([])
    // The exhausted alert records the thresholds it covers; a state with only `exhausted` lacks them.
    expect(markers(key(100), ['exhausted'])).toEqual(['threshold:100'])
    expect(markers(key(100), ['threshold:100'])).toEqual(['exhausted'])
    const th = [50, 100, 150]
    const c = key(160, {}, {thresholds: th})
    const due = dueAlerts(c, new Set(['exhausted', 'threshold:100']), new Set(), {forecast: false, thresholds: th})
    expect(due).toEqual([{event: 'threshold_crossed', marker: 'threshold:150', covers: ['threshold:50', 'threshold:100', 'threshold:150'], threshold: 150, problem: null, severity: 'critical'}])
  })

  it('a threshold alert is a warning and carries the forecast only with --forecast', () => {
    const c = key(60, {budget_reset_at: '2026-12-15T12:00:00Z'}, {forecast: true})
    expect(dueAlerts(c, new Set(), new Set(), {forecast: true, thresholds: TH})).toEqual([{event: 'threshold_crossed', marker: 'threshold:50', covers: ['threshold:50', 'forecast'], threshold: 50, problem: null, severity: 'warning'}])
    expect(dueAlerts(c, new Set(), new Set(), {forecast: false, thresholds: TH})[0]!.covers).toEqual(['threshold:50'])
  })

  it('the forecast alert: once, only with --forecast, never for an exhausted key', () => {
    const fast = key(40, {budget_reset_at: '2026-12-15T12:00:00Z'}, {forecast: true})
    expect(dueAlerts(fast, new Set(), new Set(), {forecast: true, thresholds: TH})).toEqual([{event: 'forecast_exceeds', marker: 'forecast', covers: ['forecast'], threshold: null, problem: null, severity: 'warning'}])
    expect(markers(fast, ['threshold:50', 'exhausted'], [], true)).toEqual(['forecast'])
    expect(markers(fast, ['forecast'], [], true)).toEqual([])
    const notFast = key(40, {}, {forecast: true})
    expect(markers(notFast, [], [], true)).toEqual([])
  })

  it('the budget alert of an exhausted key is critical and covers the thresholds crossed', () => {
    expect(dueAlerts(key(100), new Set(), new Set(), {forecast: false, thresholds: TH})).toEqual([{event: 'budget_exhausted', marker: 'exhausted', covers: ['exhausted', 'threshold:50', 'threshold:80', 'threshold:100'], threshold: 100, problem: null, severity: 'critical'}])
  })

  it('problems: one alert each (a warning), not for overspend, not again once sent; none for budget without a budget', () => {
    const trap = key(101, {blocked: true, budget_reset_at: '2026-11-21T00:00:00Z'})
    const due = dueAlerts(trap, new Set(['exhausted', 'threshold:100']), new Set(['problem:blocked']), {forecast: false, thresholds: TH})
    expect(due).toEqual([{event: 'budget_problem', marker: 'problem:reset-trap', covers: ['problem:reset-trap'], threshold: null, problem: trap.problems.find((p) => p.kind === 'reset-trap'), severity: 'warning'}])
    const noBudget = key(5, {max_budget: null, blocked: true})
    expect(markers(noBudget)).toEqual(['problem:blocked'])
  })
})

describe('stillValidMarkers', () => {
  it('a threshold stays while the spend is at or above it; exhausted while exhausted; other markers stay', () => {
    expect(stillValidMarkers(key(80), ['threshold:80', 'threshold:81', 'threshold:x', 'exhausted', 'forecast', 'custom'])).toEqual(['threshold:80', 'forecast', 'custom'])
    expect(stillValidMarkers(key(5, {max_budget: null}), ['threshold:50', 'exhausted'])).toEqual([])
    expect(stillValidMarkers(key(10, {blocked: true}), ['problem:blocked', 'problem:reset-trap'])).toEqual(['problem:blocked'])
  })
})

describe('checkLabel', () => {
  it('alias, else the key name, else the start of the hash, else a placeholder', () => {
    expect(checkLabel({alias: 'a', keyName: 'sk-...x', hash: 'h'})).toBe('a')
    expect(checkLabel({alias: null, keyName: 'sk-...x', hash: 'h'})).toBe('sk-...x')
    expect(checkLabel({alias: null, keyName: null, hash: '0123456789abcdef'})).toBe('0123456789ab…')
    expect(checkLabel({alias: null, keyName: null, hash: null})).toBe('(unnamed key)')
  })
})
