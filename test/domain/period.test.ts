/** Budget periods and LiteLLM durations (litellm-api.md §4): pure functions, clock as a parameter. */
import {describe, expect, it} from '@jest/globals'

import {budgetWindow, durationMs, durationParts, isMonthlyDuration, isNearMonthBoundary, isWordDuration, labelForDuration, parsePeriod, parseTimestamp, verifyMonthlyReset} from '../../src/domain/period.js'
import {InputError} from '../../src/core/errors.js'

const d = (s: string) => new Date(s)

describe('parsePeriod', () => {
  it.each([
    ['monthly', '30d', 'monthly'],
    ['Monthly', '30d', 'monthly'],
    [' weekly ', '7d', 'weekly'],
    ['daily', '1d', 'daily'],
    ['hourly', '1h', 'hourly'],
    ['30d', '30d', 'monthly'],
    ['1mo', '1mo', 'monthly'],
    ['7d', '7d', 'weekly'],
    ['24h', '24h', 'daily'],
    ['90s', '90s', '90s'],
    ['2w', '2w', '2w'],
    ['14d', '14d', '14d'],
  ])('%s → sends %s (%s); never a word', (input, duration, label) => {
    expect(parsePeriod(input)).toEqual({duration, label})
  })

  it.each([['month'], ['30'], ['1y'], ['30 d'], ['-1d'], ['30min'], [''], ['1.5d']])('rejects %p with an example', (input) => {
    let err: unknown
    try {
      parsePeriod(input)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).message).toContain(`invalid period '${input}'`)
    expect((err as InputError).example).toBe('--period monthly')
  })

  it('rejects zero and multi-month periods', () => {
    expect(() => parsePeriod('0d')).toThrow("invalid period '0d': it must be longer than zero")
    expect(() => parsePeriod('2mo')).toThrow('only every 1 month')
  })
})

describe('duration helpers', () => {
  it('labels stored durations', () => {
    expect(labelForDuration('30d')).toBe('monthly')
    expect(labelForDuration('1mo')).toBe('monthly')
    expect(labelForDuration('1w')).toBe('weekly')
    expect(labelForDuration('24h')).toBe('daily')
    expect(labelForDuration('60m')).toBe('hourly')
    expect(labelForDuration('45d')).toBe('45d')
    expect(labelForDuration(null)).toBe('-')
    expect(labelForDuration('monthly')).toBe('monthly')
  })

  it('spots words stored as durations (the nightly-reset trap)', () => {
    expect(isWordDuration('monthly')).toBe(true)
    expect(isWordDuration('30d')).toBe(false)
    expect(isWordDuration(null)).toBe(false)
    expect(isMonthlyDuration('monthly')).toBe(true)
    expect(isMonthlyDuration(' 30D ')).toBe(true)
    expect(isMonthlyDuration('1mo')).toBe(true)
    expect(isMonthlyDuration('31d')).toBe(false)
    expect(isMonthlyDuration(undefined)).toBe(false)
  })

  it('measures durations', () => {
    expect(durationParts('12h')).toEqual({n: 12, unit: 'h'})
    expect(durationParts('1mo')).toEqual({n: 1, unit: 'mo'})
    expect(durationParts('monthly')).toBeUndefined()
    expect(durationMs('90s')).toBe(90_000)
    expect(durationMs('2w')).toBe(14 * 86_400_000)
    expect(durationMs('1mo')).toBe(30 * 86_400_000)
    expect(durationMs('x')).toBeUndefined()
  })
})

describe('parseTimestamp', () => {
  it('reads LiteLLM timestamps; no offset means UTC, microseconds are cut to milliseconds', () => {
    expect(parseTimestamp('2026-12-01T00:00:00+00:00')?.toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(parseTimestamp('2024-06-14T22:48:36.594000Z')?.toISOString()).toBe('2024-06-14T22:48:36.594Z')
    expect(parseTimestamp('2024-06-14T22:48:36.594123')?.toISOString()).toBe('2024-06-14T22:48:36.594Z')
    expect(parseTimestamp('2024-06-14 22:48:36')?.toISOString()).toBe('2024-06-14T22:48:36.000Z')
    expect(parseTimestamp('2026-12-01T02:00:00+02:00')?.toISOString()).toBe('2026-12-01T00:00:00.000Z')
  })

  it('returns undefined for null and garbage', () => {
    expect(parseTimestamp(null)).toBeUndefined()
    expect(parseTimestamp('')).toBeUndefined()
    expect(parseTimestamp('not a date')).toBeUndefined()
  })
})

describe('verifyMonthlyReset', () => {
  const now = d('2026-11-10T12:00:00Z')

  it('a reset weeks away is fine', () => {
    expect(verifyMonthlyReset(d('2026-12-01T00:00:00Z'), now)).toEqual({status: 'ok'})
    expect(verifyMonthlyReset(d('2026-12-10T12:00:00Z'), now)).toEqual({status: 'ok'})
  })

  it('a reset tomorrow mid-month means the proxy resets it every night', () => {
    expect(verifyMonthlyReset(d('2026-11-11T00:00:00Z'), now)).toEqual({status: 'resets-daily', hoursUntilReset: 12})
  })

  it('a reset in the past counts as zero hours away', () => {
    expect(verifyMonthlyReset(d('2026-11-10T00:00:00Z'), now)).toEqual({status: 'resets-daily', hoursUntilReset: 0})
  })

  it('on the last day of a month, tomorrow’s reset at the boundary is right', () => {
    expect(verifyMonthlyReset(d('2026-12-01T00:00:00Z'), d('2026-11-30T20:00:00Z'))).toEqual({status: 'ok'})
  })

  it('unknown when the proxy did not report budget_reset_at', () => {
    expect(verifyMonthlyReset(undefined, now)).toEqual({status: 'unknown', reason: 'the proxy did not report budget_reset_at'})
  })

  it('boundary margin is about a day and a half either side of the 1st (UTC)', () => {
    expect(isNearMonthBoundary(d('2026-12-01T00:00:00Z'))).toBe(true)
    expect(isNearMonthBoundary(d('2026-11-29T13:00:00Z'))).toBe(true)
    expect(isNearMonthBoundary(d('2026-11-29T11:00:00Z'))).toBe(false)
    expect(isNearMonthBoundary(d('2026-12-02T11:00:00Z'))).toBe(true)
    expect(isNearMonthBoundary(d('2026-12-02T13:00:00Z'))).toBe(false)
    expect(isNearMonthBoundary(d('2026-11-15T00:00:00Z'))).toBe(false)
  })
})

describe('budgetWindow', () => {
  const now = d('2026-11-10T12:00:00Z')

  it('a monthly budget reset on the 1st covers the calendar month before it', () => {
    expect(budgetWindow('30d', d('2026-12-01T00:00:00Z'), now)).toEqual({start: d('2026-11-01T00:00:00Z'), end: d('2026-12-01T00:00:00Z')})
    expect(budgetWindow('1mo', d('2027-01-01T00:00:00Z'), d('2026-12-31T00:00:00Z'))).toEqual({start: d('2026-12-01T00:00:00Z'), end: d('2027-01-01T00:00:00Z')})
  })

  it('a rolling window is resetAt minus the duration', () => {
    expect(budgetWindow('30d', d('2026-11-25T08:00:00Z'), now)).toEqual({start: d('2026-10-26T08:00:00Z'), end: d('2026-11-25T08:00:00Z')})
    expect(budgetWindow('7d', d('2026-11-12T00:00:00Z'), now)).toEqual({start: d('2026-11-05T00:00:00Z'), end: d('2026-11-12T00:00:00Z')})
    expect(budgetWindow('2w', d('2026-11-20T00:00:00Z'), now)!.start).toEqual(d('2026-11-06T00:00:00Z'))
    expect(budgetWindow('24h', d('2026-11-11T00:00:00Z'), now)!.start).toEqual(d('2026-11-10T00:00:00Z'))
    expect(budgetWindow('90m', d('2026-11-10T13:00:00Z'), now)!.start).toEqual(d('2026-11-10T11:30:00Z'))
  })

  it('never starts in the future', () => {
    expect(budgetWindow('1h', d('2026-11-10T14:00:00Z'), now)).toEqual({start: now, end: d('2026-11-10T14:00:00Z')})
  })

  it('undefined without a reset time or with a word duration off the 1st', () => {
    expect(budgetWindow('30d', undefined, now)).toBeUndefined()
    expect(budgetWindow('monthly', d('2026-11-11T00:00:00Z'), now)).toBeUndefined()
  })
})
