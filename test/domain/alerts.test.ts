import {describe, expect, it} from '@jest/globals'

import {checkKey, dueAlerts, overallExitCode, stillValidMarkers, type KeyCheck} from '../../src/domain/alerts.js'
import {summarizeKey} from '../../src/domain/key-summary.js'

const now = new Date('2026-11-20T12:00:00Z')
const TH = [50, 80, 100]

function key(spend: number, extra: Record<string, unknown> = {}): KeyCheck {
  const row = {token: 'h'.repeat(64), key_alias: 'ci-bot', key_name: 'sk-...abcd', spend, max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00+00:00', models: [], ...extra}
  return checkKey(summarizeKey(row as never, now), {thresholds: TH, forecast: false, now, createdAt: '2026-01-01T00:00:00Z', ...(extra.forecast === true ? {forecast: true} : {})})
}

const none = new Set<string>()
const due = (c: KeyCheck, sent: Iterable<string> = [], problems: Iterable<string> = [], forecast = false) =>
  dueAlerts(c, new Set(sent), new Set(problems), {forecast, thresholds: TH}).map((a) => `${a.event}:${a.marker}:${a.covers.join(',')}`)

describe('checkKey', () => {
  it('verdicts and exit codes by % used', () => {
    expect(key(45)).toMatchObject({verdict: 'ok', threshold: null, exitCode: 0, windowId: '2026-12-01T00:00:00.000Z'})
    expect(key(50)).toMatchObject({verdict: 'threshold', threshold: 50, exitCode: 10})
    expect(key(82)).toMatchObject({verdict: 'threshold', threshold: 80, exitCode: 10})
    expect(key(100)).toMatchObject({verdict: 'exhausted', threshold: 100, exitCode: 11, problems: []})
    expect(key(101)).toMatchObject({verdict: 'exhausted', threshold: 100, exitCode: 11, problems: [{kind: 'over-budget'}]})
  })

  it('forecast verdict only with --forecast and a reliable pace', () => {
    // 40% of a calendar month in 19.5 days: about 62% by the reset.
    expect(key(40, {forecast: true}).verdict).toBe('ok')
    // A rolling window reset 25 days ahead, 40% spent in 5 days: runs out in 7.5 days.
    const fast = key(40, {forecast: true, budget_reset_at: '2026-12-15T12:00:00Z'})
    expect(fast).toMatchObject({verdict: 'forecast', exitCode: 10, forecastExceeds: true, runOutAt: '2026-11-28T00:00:00.000Z'})
    expect(key(40, {budget_reset_at: '2026-12-15T12:00:00Z'})).toMatchObject({verdict: 'ok', exitCode: 0, forecastExceeds: true})
  })

  it('problems: a blocked key keeps its budget verdict; a budget that resets nightly has its own verdict, exit 10', () => {
    expect(key(10, {blocked: true})).toMatchObject({verdict: 'ok', exitCode: 0, problems: [{kind: 'blocked'}]})
    expect(key(101, {blocked: true})).toMatchObject({verdict: 'exhausted', exitCode: 11})
    const trap = key(10, {budget_duration: 'monthly', budget_reset_at: '2026-11-21T00:00:00Z'})
    expect(trap).toMatchObject({verdict: 'resets-daily', exitCode: 10, problems: [{kind: 'reset-trap'}], window: {basis: 'daily-reset'}})
    expect(key(10, {budget_reset_at: '2026-11-21T00:00:00Z'}).problems.map((p) => p.kind)).toEqual(['reset-trap'])
    // LiteLLM 1.95+ store the word as sent but read it as 30d (_BUDGET_DURATION_WORD_ALIASES): a reset on
    // the 1st, weeks away, is no nightly trap, and the window is the calendar month (found by layer 1).
    const aliased = key(10, {budget_duration: 'monthly', budget_reset_at: '2026-12-01T00:00:00Z'})
    expect(aliased).toMatchObject({verdict: 'ok', exitCode: 0, problems: [], window: {basis: 'duration', start: '2026-11-01T00:00:00.000Z'}})
    expect(key(10, {budget_duration: 'weekly', budget_reset_at: '2026-11-23T00:00:00Z'}).problems).toEqual([])
    // On the last day of a month, a reset tomorrow is right.
    const lastDay = checkKey(summarizeKey({spend: 1, max_budget: 10, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z', models: []} as never, new Date('2026-11-30T12:00:00Z')), {thresholds: TH, forecast: false, now: new Date('2026-11-30T12:00:00Z')})
    expect(lastDay.problems).toEqual([])
  })

  it('a key without a budget', () => {
    expect(key(5, {max_budget: null})).toMatchObject({verdict: 'no-budget', exitCode: 0, burnRatePerDay: null})
  })

  it('overallExitCode is the worst key', () => {
    expect(overallExitCode([])).toBe(0)
    expect(overallExitCode([key(10), key(82), key(101)])).toBe(11)
    expect(overallExitCode([key(10), key(82)])).toBe(10)
  })
})

describe('dueAlerts', () => {
  it('the highest threshold crossed, once; lower ones are covered', () => {
    expect(due(key(45))).toEqual([])
    expect(due(key(82))).toEqual(['threshold_crossed:threshold:80:threshold:50,threshold:80'])
    expect(due(key(82), ['threshold:50', 'threshold:80'])).toEqual([])
    expect(due(key(82), ['threshold:50'])).toEqual(['threshold_crossed:threshold:80:threshold:50,threshold:80'])
  })

  it('exhausted: one critical alert covering all thresholds, then none', () => {
    const c = key(101)
    const [a] = dueAlerts(c, none, none, {forecast: false, thresholds: TH})
    expect(a).toMatchObject({event: 'budget_exhausted', threshold: 100, severity: 'critical', covers: ['exhausted', 'threshold:50', 'threshold:80', 'threshold:100']})
    expect(due(c, a.covers)).toEqual([])
  })

  it('a threshold above 100% still alerts after exhaustion', () => {
    const th = [50, 100, 150]
    const c = checkKey(summarizeKey({spend: 160, max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z', models: []} as never, now), {thresholds: th, forecast: false, now})
    expect(dueAlerts(c, new Set(['exhausted', 'threshold:50', 'threshold:100']), none, {forecast: false, thresholds: th}).map((a) => a.marker)).toEqual(['threshold:150'])
  })

  it('forecast: once per window, and covered by a threshold alert that carries it', () => {
    const fast = key(40, {forecast: true, budget_reset_at: '2026-12-15T12:00:00Z'})
    expect(due(fast, [], [], true)).toEqual(['forecast_exceeds:forecast:forecast'])
    expect(due(fast, ['forecast'], [], true)).toEqual([])
    expect(due(fast, [], [], false)).toEqual([])
    const crossing = key(60, {forecast: true, budget_reset_at: '2026-12-15T12:00:00Z'})
    expect(due(crossing, [], [], true)).toEqual(['threshold_crossed:threshold:50:threshold:50,forecast'])
  })

  it('problems are alerted once, independently of the budget', () => {
    const blocked = key(82, {blocked: true})
    expect(due(blocked)).toEqual(['threshold_crossed:threshold:80:threshold:50,threshold:80', 'budget_problem:problem:blocked:problem:blocked'])
    expect(due(blocked, ['threshold:80'], ['problem:blocked'])).toEqual([])
  })

  it('stillValidMarkers re-arms what no longer holds', () => {
    const c = key(60)
    expect(stillValidMarkers(c, ['threshold:50', 'threshold:80', 'exhausted', 'forecast', 'problem:blocked'])).toEqual(['threshold:50', 'forecast'])
    expect(stillValidMarkers(key(101, {blocked: true}), ['exhausted', 'threshold:100', 'problem:blocked'])).toEqual(['exhausted', 'threshold:100', 'problem:blocked'])
  })
})
