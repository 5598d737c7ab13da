/** Budget periods and LiteLLM durations (litellm-api.md §4): pure functions, clock as a parameter. */
import {describe, expect, it} from '@jest/globals'

import {isMonthlyDuration, isNearMonthBoundary, isWordDuration, verifyMonthlyReset} from '../../src/domain/monthly-reset.js'
import {budgetWindow, durationMs, durationParts, labelForDuration, parsePeriod, parseTimestamp, predictResetAt} from '../../src/domain/period.js'
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

  it('undefined without a reset time or for a duration LiteLLM cannot read; the words are read as its aliases', () => {
    expect(budgetWindow('30d', undefined, now)).toBeUndefined()
    for (const unreadable of ['30D', ' 30d', '1M', '1MO', '30min', 'fortnightly']) expect(budgetWindow(unreadable, d('2026-12-01T00:00:00Z'), now)).toBeUndefined()
    expect(budgetWindow('monthly', d('2026-12-01T00:00:00Z'), now)!.start).toEqual(d('2026-11-01T00:00:00Z'))
    expect(budgetWindow('Weekly', d('2026-11-16T00:00:00Z'), now)!.start).toEqual(d('2026-11-09T00:00:00Z'))
  })
})

describe('found by test/litellm layer 1 (keyward vs LiteLLM duration_parser)', () => {
  it("'1M' is refused, not read as one minute (LiteLLM reads neither 1M nor 1MO; M could mean month or minute)", () => {
    expect(() => parsePeriod('1M')).toThrow(InputError)
    expect(() => parsePeriod('30M')).toThrow(/1mo .*or .*30m|month|minute/)
    expect(parsePeriod('30m')).toEqual({duration: '30m', label: '30m'})
    expect(parsePeriod('1MO')).toEqual({duration: '1mo', label: 'monthly'})
  })

  it("a stored ' 30d' is not a duration LiteLLM reads: its regex is anchored at the first character, so the budget resets nightly", () => {
    expect(isWordDuration(' 30d')).toBe(true)
    expect(isWordDuration('30d ')).toBe(false)
    expect(isWordDuration('30D')).toBe(true)
  })

  it('budgetWindow does not depend on the machine time zone (7 days are 7 × 24 h of the proxy clock, not of the local one)', () => {
    const saved = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      // New York leaves DST on 2026-11-01: a local "minus 7 days" would land one hour off.
      expect(budgetWindow('7d', d('2026-11-02T00:00:00Z'), d('2026-11-01T12:00:00Z'))!.start).toEqual(d('2026-10-26T00:00:00Z'))
      expect(budgetWindow('1mo', d('2026-11-15T00:00:00Z'), d('2026-11-01T12:00:00Z'))!.start).toEqual(d('2026-10-15T00:00:00Z'))
    } finally {
      process.env.TZ = saved
    }
  })

  it('budgetWindow in the proxy time zone: a monthly reset on the 1st in Tokyo covers the calendar month there', () => {
    // 2028-03-01 00:00 in Tokyo is 2028-02-29 15:00 UTC; the window starts 2028-02-01 00:00 Tokyo.
    expect(budgetWindow('30d', d('2028-02-29T15:00:00Z'), d('2028-02-10T00:00:00Z'), 'Asia/Tokyo')).toEqual({start: d('2028-01-31T15:00:00Z'), end: d('2028-02-29T15:00:00Z')})
    // New York: the wall clock moves, so the window is 7 calendar days there (one of them 25 h long).
    expect(budgetWindow('7d', d('2026-11-02T05:00:00Z'), d('2026-11-01T12:00:00Z'), 'America/New_York')!.start).toEqual(d('2026-10-26T04:00:00Z'))
  })
})

describe('predictResetAt (LiteLLM get_next_standardized_reset_time, newest rules)', () => {
  const at = (duration: string, now: string, tz?: string) => predictResetAt(duration, d(now), tz)?.toISOString()

  it('days: 1d at the next midnight, 7d on the next Monday, 30d on the 1st, others from today', () => {
    expect(at('1d', '2028-02-28T23:59:59Z')).toBe('2028-02-29T00:00:00.000Z')
    expect(at('7d', '2028-02-27T10:00:00Z')).toBe('2028-02-28T00:00:00.000Z') // a Sunday
    expect(at('7d', '2028-02-28T00:00:00Z')).toBe('2028-03-06T00:00:00.000Z') // a Monday: the next one
    expect(at('1w', '2028-02-28T00:00:00Z')).toBe('2028-03-06T00:00:00.000Z')
    expect(at('30d', '2028-01-31T23:59:59Z')).toBe('2028-02-01T00:00:00.000Z')
    expect(at('1mo', '2028-12-31T12:00:00Z')).toBe('2029-01-01T00:00:00.000Z')
    expect(at('14d', '2028-02-20T08:00:00Z')).toBe('2028-03-05T00:00:00.000Z')
    expect(at('0d', '2028-02-20T08:00:00Z')).toBe('2028-02-20T08:00:00.000Z')
  })

  it('hours, minutes and seconds are aligned to the clock; 24h is the next midnight', () => {
    expect(at('1h', '2028-02-29T23:00:00Z')).toBe('2028-03-01T00:00:00.000Z')
    expect(at('24h', '2028-02-29T00:00:00Z')).toBe('2028-03-01T00:00:00.000Z')
    expect(at('5h', '2028-02-29T11:30:00Z')).toBe('2028-02-29T15:00:00.000Z')
    expect(at('30m', '2028-02-29T23:45:00Z')).toBe('2028-03-01T00:00:00.000Z')
    expect(at('45s', '2028-02-29T10:00:50Z')).toBe('2028-02-29T10:01:30.000Z')
  })

  it('the words are aliases on the newest proxies; anything else it cannot read resets at the next midnight', () => {
    expect(at('monthly', '2028-02-10T10:00:00Z')).toBe('2028-03-01T00:00:00.000Z')
    expect(at(' Weekly ', '2028-02-10T10:00:00Z')).toBe('2028-02-14T00:00:00.000Z')
    for (const garbage of ['30D', '1M', '1MO', '30min', '1month', '7days', ' 30d', '']) expect(at(garbage, '2028-02-10T10:00:00Z')).toBe('2028-02-11T00:00:00.000Z')
    expect(at('2mo', '2028-02-10T10:00:00Z')).toBeUndefined()
  })

  it('in the proxy time zone', () => {
    expect(at('30d', '2028-02-29T16:00:00Z', 'Asia/Tokyo')).toBe('2028-03-31T15:00:00.000Z') // already 1 March in Tokyo
    expect(at('1d', '2028-02-29T20:00:00Z', 'Asia/Kolkata')).toBe('2028-03-01T18:30:00.000Z')
    expect(at('1h', '2028-02-29T20:10:00Z', 'Asia/Kolkata')).toBe('2028-02-29T20:30:00.000Z')
    expect(at('7d', '2026-11-01T12:00:00Z', 'America/New_York')).toBe('2026-11-02T05:00:00.000Z')
    expect(at('1d', '2026-03-08T03:00:00Z', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z') // midnight EST, before the switch
    expect(at('1d', '2028-02-29T12:00:00Z', 'Not/AZone')).toBe('2028-03-01T00:00:00.000Z') // unknown zone: UTC, as LiteLLM
  })
})
