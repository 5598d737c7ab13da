import {describe, expect, it} from '@jest/globals'

import {currentWindow, forecastSpend, minForecastElapsedMs, recentPacePerDay} from '../../src/domain/forecast.js'

const DAY = 86_400_000
const now = new Date('2026-11-20T12:00:00Z')
const at = (days: number) => new Date(now.getTime() + days * DAY)

describe('currentWindow', () => {
  it('a 30d budget aligned to the 1st is the calendar month', () => {
    const w = currentWindow({duration: '30d', resetAt: new Date('2026-12-01T00:00:00Z'), createdAt: undefined, resetCheck: {status: 'ok'}, now})
    expect(w).toEqual({start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z'), basis: 'duration'})
  })

  it('a rolling 30d budget is the 30 days before the reset', () => {
    const w = currentWindow({duration: '30d', resetAt: at(25), createdAt: undefined, resetCheck: {status: 'ok'}, now})
    expect(w).toEqual({start: at(-5), end: at(25), basis: 'duration'})
  })

  it('a word duration or a monthly budget that resets within a day is a daily window', () => {
    const resetAt = new Date('2026-11-21T00:00:00Z')
    expect(currentWindow({duration: 'monthly', resetAt, createdAt: undefined, resetCheck: {status: 'resets-daily', hoursUntilReset: 12}, now})).toEqual({start: new Date('2026-11-20T00:00:00Z'), end: resetAt, basis: 'daily-reset'})
    expect(currentWindow({duration: '30d', resetAt, createdAt: undefined, resetCheck: {status: 'resets-daily', hoursUntilReset: 12}, now})?.basis).toBe('daily-reset')
  })

  it('a word the proxy read as its alias (LiteLLM 1.95+: monthly → 30d, reset weeks away) is that period, not a day', () => {
    expect(currentWindow({duration: 'monthly', resetAt: new Date('2026-12-01T00:00:00Z'), createdAt: undefined, resetCheck: {status: 'ok'}, now})).toEqual({start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z'), basis: 'duration'})
    expect(currentWindow({duration: 'weekly', resetAt: new Date('2026-11-23T00:00:00Z'), createdAt: undefined, resetCheck: null, now})).toEqual({start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z'), basis: 'duration'})
    // Within a day it cannot be told from the nightly fallback: still a daily window.
    expect(currentWindow({duration: 'weekly', resetAt: new Date('2026-11-21T00:00:00Z'), createdAt: undefined, resetCheck: null, now})?.basis).toBe('daily-reset')
  })

  it('no duration: the window runs from the key creation and never ends; no reset time: unknown', () => {
    expect(currentWindow({duration: null, resetAt: undefined, createdAt: at(-10), resetCheck: null, now})).toEqual({start: at(-10), end: null, basis: 'lifetime'})
    expect(currentWindow({duration: null, resetAt: undefined, createdAt: undefined, resetCheck: null, now})).toBeUndefined()
    expect(currentWindow({duration: '7d', resetAt: undefined, createdAt: at(-10), resetCheck: null, now})).toBeUndefined()
  })
})

describe('forecastSpend', () => {
  it('40% five days into a 30-day window runs out 7.5 days from now, 240% at the reset', () => {
    const f = forecastSpend({spent: 40, budget: 100, window: {start: at(-5), end: at(25), basis: 'duration'}, now})
    expect(f.burnRatePerDay).toBeCloseTo(8, 9)
    expect(f.forecastSpend).toBeCloseTo(240, 9)
    expect(f.forecastPct).toBeCloseTo(240, 9)
    expect(f.runOutAt).toEqual(at(7.5))
    expect(f.exceedsBeforeReset).toBe(true)
    expect(f.reliable).toBe(true)
  })

  it('a slow pace runs out after the reset', () => {
    const f = forecastSpend({spent: 10, budget: 100, window: {start: at(-10), end: at(20), basis: 'duration'}, now})
    expect(f.forecastSpend).toBeCloseTo(30, 9)
    expect(f.runOutAt).toEqual(at(90))
    expect(f.exceedsBeforeReset).toBe(false)
  })

  it('exhausted: no run-out date, not "forecast to exceed"', () => {
    const f = forecastSpend({spent: 120, budget: 100, window: {start: at(-10), end: at(20), basis: 'duration'}, now})
    expect(f.runOutAt).toBeNull()
    expect(f.exceedsBeforeReset).toBe(false)
    expect(f.forecastSpend).toBeCloseTo(360, 9)
  })

  it('nothing spent: no run-out date', () => {
    const f = forecastSpend({spent: 0, budget: 100, window: {start: at(-1), end: at(29), basis: 'duration'}, now})
    expect(f).toMatchObject({burnRatePerDay: 0, forecastSpend: 0, runOutAt: null, exceedsBeforeReset: false})
  })

  it('too early in the window the forecast is not reliable', () => {
    const early = forecastSpend({spent: 5, budget: 100, window: {start: new Date(now.getTime() - 3600e3), end: at(30), basis: 'duration'}, now})
    expect(early.exceedsBeforeReset).toBe(true)
    expect(early.reliable).toBe(false)
    expect(minForecastElapsedMs(30 * DAY)).toBe(DAY)
    expect(minForecastElapsedMs(DAY)).toBe(DAY / 10)
    const atStart = forecastSpend({spent: 5, budget: 100, window: {start: now, end: at(30), basis: 'duration'}, now})
    expect(atStart).toMatchObject({burnRatePerDay: null, forecastSpend: null, runOutAt: null, reliable: false})
  })

  it('after the reset time (the proxy has not reset yet) the window is over', () => {
    const f = forecastSpend({spent: 50, budget: 100, window: {start: at(-31), end: at(-1), basis: 'duration'}, now})
    expect(f.elapsedMs).toBe(30 * DAY)
    expect(f.forecastSpend).toBe(50)
    expect(f.exceedsBeforeReset).toBe(false)
  })

  it('a lifetime budget has a run-out date but no spend at reset', () => {
    const f = forecastSpend({spent: 20, budget: 100, window: {start: at(-10), end: null, basis: 'lifetime'}, now})
    expect(f).toMatchObject({burnRatePerDay: 2, forecastSpend: null, runOutAt: at(40), exceedsBeforeReset: false, reliable: true})
  })

  it('an unknown window gives nothing', () => {
    expect(forecastSpend({spent: 20, budget: 100, window: undefined, now})).toMatchObject({burnRatePerDay: null, runOutAt: null, reliable: false})
  })
})

describe('recent pace', () => {
  const now = new Date('2026-11-20T12:00:00Z')
  const window = {start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z'), basis: 'duration' as const}

  it('is the spend of the last up to 7 whole days of the window per day', () => {
    const days = [
      {date: '2026-11-10', spend: 100}, // before the last 7 days: not counted
      {date: '2026-11-14', spend: 13},
      {date: '2026-11-18', spend: 26},
      {date: '2026-11-20', spend: 26},
    ]
    // From 2026-11-14 00:00 to 2026-11-20 12:00 is 6.5 days; 65 USD in that time.
    expect(recentPacePerDay(days, window, now)).toBeCloseTo(10, 6)
  })

  it('never counts a day that began before the window (spend from before the reset)', () => {
    const w = {start: new Date('2026-11-18T06:00:00Z'), end: new Date('2026-12-18T06:00:00Z'), basis: 'duration' as const}
    const days = [
      {date: '2026-11-18', spend: 500},
      {date: '2026-11-19', spend: 3},
      {date: '2026-11-20', spend: 3},
    ]
    // Counted from 2026-11-19 00:00: 1.5 days, 6 USD.
    expect(recentPacePerDay(days, w, now)).toBeCloseTo(4, 6)
    // Less than a whole day of the window: unknown.
    expect(recentPacePerDay(days, {...w, start: new Date('2026-11-19T18:00:00Z')}, now)).toBeNull()
  })

  it('the forecast follows the recent pace when it is faster than the window average', () => {
    const slow = forecastSpend({spent: 39, budget: 100, window, now, recentRatePerDay: null})
    expect(slow.pace).toBe('window')
    expect(slow.burnRatePerDay).toBeCloseTo(2, 6) // 39 USD over 19.5 days
    const fast = forecastSpend({spent: 39, budget: 100, window, now, recentRatePerDay: 10})
    expect(fast.pace).toBe('recent')
    expect(fast.burnRatePerDay).toBeCloseTo(10, 6)
    expect(fast.forecastSpend).toBeCloseTo(39 + 10 * 10.5, 6)
    expect(fast.runOutAt?.toISOString()).toBe('2026-11-26T14:24:00.000Z') // 61 USD at 10/day: 6.1 days
    expect(fast.exceedsBeforeReset).toBe(true)
    expect(slow.exceedsBeforeReset).toBe(false)
  })
})
