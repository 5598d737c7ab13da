/**
 * The edges of the forecast (src/domain/forecast.ts) that change what `budget check` says, written to
 * kill mutants that survived (npm run mutation, issue #18): when a forecast becomes reliable, when
 * a budget is exhausted, when the recent pace wins, when a run-out is "before the reset".
 */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {currentWindow, forecastSpend, minForecastElapsedMs, recentPacePerDay, type Window} from '../../src/domain/forecast.js'

const DAY = 86_400_000
const now = new Date('2026-11-20T12:00:00Z')
const ago = (ms: number) => new Date(now.getTime() - ms)
const ahead = (ms: number) => new Date(now.getTime() + ms)
const win = (startAgo: number, endAhead: number | null): Window => ({start: ago(startAgo), end: endAhead === null ? null : ahead(endAhead), basis: endAhead === null ? 'lifetime' : 'duration'})

describe('reliable: min(1 day, 10% of the window) must have passed', () => {
  it('exactly the minimum is reliable, a millisecond less is not (30-day window: one day)', () => {
    expect(forecastSpend({spent: 1, budget: 100, window: win(DAY, 29 * DAY), now}).reliable).toBe(true)
    expect(forecastSpend({spent: 1, budget: 100, window: win(DAY - 1, 29 * DAY), now}).reliable).toBe(false)
  })

  it('a short window needs 10% of it (a 1-hour window: 6 minutes); a lifetime window a day', () => {
    expect(forecastSpend({spent: 1, budget: 100, window: win(360e3, 3600e3 - 360e3), now}).reliable).toBe(true)
    expect(forecastSpend({spent: 1, budget: 100, window: win(360e3 - 1, 3600e3 - 360e3 + 1), now}).reliable).toBe(false)
    expect(minForecastElapsedMs(null)).toBe(DAY)
    expect(forecastSpend({spent: 1, budget: 100, window: win(DAY, null), now}).reliable).toBe(true)
    expect(forecastSpend({spent: 1, budget: 100, window: win(DAY - 1, null), now}).reliable).toBe(false)
  })

  it('a zero-length window is never reliable', () => {
    expect(minForecastElapsedMs(0)).toBe(0)
    expect(forecastSpend({spent: 1, budget: 100, window: {start: now, end: now, basis: 'duration'}, now}).reliable).toBe(false)
  })

  it('property: reliable exactly when elapsed > 0 and elapsed >= min(1 day, 10% of the window)', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 40 * DAY}), fc.integer({min: 0, max: 40 * DAY}), (elapsed, left) => {
        const f = forecastSpend({spent: 5, budget: 100, window: win(elapsed, left), now})
        expect(f.elapsedMs).toBe(elapsed)
        expect(f.windowMs).toBe(elapsed + left)
        expect(f.reliable).toBe(elapsed > 0 && elapsed >= Math.min(DAY, (elapsed + left) * 0.1))
      }),
      {numRuns: 100},
    )
  })
})

describe('exhausted, run-out and "before the reset"', () => {
  it('spend equal to the budget is exhausted: no run-out date, not forecast to exceed', () => {
    const f = forecastSpend({spent: 100, budget: 100, window: win(10 * DAY, 20 * DAY), now})
    expect(f.runOutAt).toBeNull()
    expect(f.exceedsBeforeReset).toBe(false)
    expect(f.forecastPct).toBeCloseTo(300, 9)
  })

  it('running out exactly at the reset is not "before the reset"; a millisecond earlier is', () => {
    // 50 spent in 10 days (5/day), 50 left: runs out in exactly 10 days.
    const exact = forecastSpend({spent: 50, budget: 100, window: win(10 * DAY, 10 * DAY), now})
    expect(exact.runOutAt).toEqual(ahead(10 * DAY))
    expect(exact.exceedsBeforeReset).toBe(false)
    const sooner = forecastSpend({spent: 50, budget: 100, window: win(10 * DAY, 10 * DAY + 1), now})
    expect(sooner.exceedsBeforeReset).toBe(true)
  })

  it('spend in no time at all: no pace, no forecast, no run-out (and nothing spent: a pace of 0)', () => {
    const f = forecastSpend({spent: 5, budget: 100, window: win(0, 30 * DAY), now})
    expect(f).toMatchObject({elapsedMs: 0, burnRatePerDay: null, forecastSpend: null, forecastPct: null, runOutAt: null, exceedsBeforeReset: false, pace: 'window'})
    const zero = forecastSpend({spent: 0, budget: 100, window: win(0, 30 * DAY), now})
    expect(zero).toMatchObject({burnRatePerDay: 0, forecastSpend: 0, forecastPct: 0, runOutAt: null})
  })

  it('a budget of zero has no percentage', () => {
    expect(forecastSpend({spent: 0, budget: 0, window: win(DAY, DAY), now}).forecastPct).toBeNull()
  })

  it('a window whose end is before its start counts as empty', () => {
    const f = forecastSpend({spent: 1, budget: 100, window: {start: ahead(DAY), end: ahead(DAY / 2), basis: 'duration'}, now})
    expect(f.windowMs).toBe(0)
    expect(f.elapsedMs).toBe(0)
  })

  it('equal paces count as the window pace', () => {
    const f = forecastSpend({spent: 10, budget: 100, window: win(10 * DAY, 20 * DAY), now, recentRatePerDay: 1})
    expect(f.pace).toBe('window')
    expect(f.burnRatePerDay).toBeCloseTo(1, 9)
  })

  it('property: the forecast is the spend plus the pace times what is left; the run-out is when the rest is spent at that pace', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 30 * DAY}),
        fc.integer({min: 0, max: 30 * DAY}),
        fc.double({min: 0.01, max: 1000, noNaN: true}),
        fc.double({min: 0.01, max: 1000, noNaN: true}),
        (elapsed, left, spent, budget) => {
          const f = forecastSpend({spent, budget, window: win(elapsed, left), now})
          const rate = spent / elapsed
          expect(f.burnRatePerDay).toBeCloseTo(rate * DAY, 6)
          expect(f.forecastSpend).toBeCloseTo(spent + rate * left, 6)
          expect(f.forecastPct).toBeCloseTo(((spent + rate * left) / budget) * 100, 4)
          if (spent >= budget) {
            expect(f.runOutAt).toBeNull()
            expect(f.exceedsBeforeReset).toBe(false)
          } else {
            const runOut = now.getTime() + (budget - spent) / rate
            expect(Math.abs(f.runOutAt!.getTime() - runOut)).toBeLessThanOrEqual(1)
            expect(f.exceedsBeforeReset).toBe(f.runOutAt!.getTime() < now.getTime() + left)
          }
        },
      ),
      {numRuns: 100},
    )
  })
})

describe('currentWindow edges', () => {
  it('a key created in the future (clock skew) starts its lifetime window now', () => {
    expect(currentWindow({duration: null, resetAt: undefined, createdAt: ahead(DAY), resetCheck: null, now})).toEqual({start: now, end: null, basis: 'lifetime'})
    expect(currentWindow({duration: '', resetAt: undefined, createdAt: ago(DAY), resetCheck: null, now})).toEqual({start: ago(DAY), end: null, basis: 'lifetime'})
  })

  it('a nightly-reset window is the day before the reset, never starting after now', () => {
    const soon = ahead(3600e3)
    expect(currentWindow({duration: 'monthly', resetAt: soon, createdAt: undefined, resetCheck: null, now})).toEqual({start: ago(DAY - 3600e3), end: soon, basis: 'daily-reset'})
    const late = ahead(2 * DAY)
    expect(currentWindow({duration: '30d', resetAt: late, createdAt: undefined, resetCheck: {status: 'resets-daily', hoursUntilReset: 48}, now})).toEqual({start: now, end: late, basis: 'daily-reset'})
  })

  it('a duration with no window LiteLLM could read is unknown', () => {
    expect(currentWindow({duration: '30D', resetAt: ahead(10 * DAY), createdAt: undefined, resetCheck: {status: 'ok'}, now})?.basis).toBe('daily-reset')
    expect(currentWindow({duration: '30d', resetAt: ahead(10 * DAY), createdAt: undefined, resetCheck: {status: 'unknown', reason: 'x'}, now})?.basis).toBe('duration')
  })
})

describe('recentPacePerDay edges', () => {
  const window = {start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z'), basis: 'duration' as const}

  it('exactly one whole day of the window is enough; the days counted are the last 7 (from 6 days before today)', () => {
    const w = {...window, start: new Date('2026-11-19T12:00:00Z')}
    // From 2026-11-20 00:00 to 2026-11-21 00:00 is exactly one day.
    expect(recentPacePerDay([{date: '2026-11-20', spend: 3}], w, new Date('2026-11-21T00:00:00Z'))).toBeCloseTo(3, 9)
    expect(recentPacePerDay([{date: '2026-11-20', spend: 3}], w, new Date('2026-11-20T23:59:59.999Z'))).toBeNull()
    // Today 2026-11-20: the days from 2026-11-14 count, 2026-11-13 does not.
    expect(recentPacePerDay([{date: '2026-11-13', spend: 100}, {date: '2026-11-14', spend: 6.5}], window, now)).toBeCloseTo(1, 9)
    expect(recentPacePerDay([], undefined, now)).toBeNull()
  })

  it('a window starting exactly at midnight counts that day', () => {
    const w = {...window, start: new Date('2026-11-19T00:00:00Z')}
    expect(recentPacePerDay([{date: '2026-11-19', spend: 3}], w, now)).toBeCloseTo(2, 9)
  })
})
