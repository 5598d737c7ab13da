/**
 * The edges of the reset rules (src/domain/period.ts), written to kill the mutants Stryker found
 * surviving (npm run mutation, issue #18): blanks and capitals in durations, the 10-year bound, the
 * 25 h and 36 h margins of the daily-reset warning, and properties of the predicted reset dates.
 */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {InputError} from '../../src/core/errors.js'
import {
  budgetWindow,
  checkDurationBound,
  durationMs,
  durationParts,
  isPeriodWord,
  labelForDuration,
  parsePeriod,
  parseTimestamp,
  predictResetAt,
  refuseCapitalM,
} from '../../src/domain/period.js'
import {isMonthlyDuration, isNearMonthBoundary, isWordDuration, verifyMonthlyReset, wordResetsNightly} from '../../src/domain/monthly-reset.js'

const d = (s: string) => new Date(s)
const H = 3600e3
const DAY = 24 * H
/** Instants from 2000 to 2100, whole milliseconds. */
const instant = fc.integer({min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1)}).map((ms) => new Date(ms))

function thrown(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    if (e instanceof InputError) return e
    throw e
  }
  throw new Error('did not throw')
}

describe('words and durations with blanks and capitals', () => {
  it('isPeriodWord reads the four words whatever their case and blanks, and nothing else', () => {
    for (const w of ['monthly', ' Monthly ', 'WEEKLY', 'daily', 'hourly\t']) expect(isPeriodWord(w)).toBe(true)
    for (const w of ['30d', 'month', 'yearly', '', null, undefined, 'toString', 'constructor']) expect(isPeriodWord(w)).toBe(false)
  })

  it('labels stored durations after trimming and lowercasing, but shows anything else as stored', () => {
    expect(labelForDuration(' 30D ')).toBe('monthly')
    expect(labelForDuration('1MO')).toBe('monthly')
    expect(labelForDuration('7d')).toBe('weekly')
    expect(labelForDuration(' 1W')).toBe('weekly')
    expect(labelForDuration('1d')).toBe('daily')
    expect(labelForDuration('24H')).toBe('daily')
    expect(labelForDuration('1h')).toBe('hourly')
    expect(labelForDuration('60M')).toBe('hourly')
    expect(labelForDuration('45D')).toBe('45D')
    expect(labelForDuration('')).toBe('-')
    expect(labelForDuration(undefined)).toBe('-')
  })

  it('durationParts and durationMs read every unit, after trimming and lowercasing', () => {
    expect(durationParts(' 12H ')).toEqual({n: 12, unit: 'h'})
    expect(durationParts('1MO')).toEqual({n: 1, unit: 'mo'})
    expect(durationParts('30 d')).toBeUndefined()
    expect(durationParts('x30d')).toBeUndefined()
    expect(durationParts('30dx')).toBeUndefined()
    expect(durationMs('7s')).toBe(7e3)
    expect(durationMs('7m')).toBe(7 * 60e3)
    expect(durationMs('7h')).toBe(7 * H)
    expect(durationMs('7d')).toBe(7 * DAY)
    expect(durationMs('7w')).toBe(49 * DAY)
    expect(durationMs('2mo')).toBe(60 * DAY)
    expect(durationMs(' 2D')).toBe(2 * DAY)
  })

  it('isWordDuration: empty is no word; a leading blank or a capital is not a duration LiteLLM reads; a trailing blank is', () => {
    expect(isWordDuration('')).toBe(false)
    expect(isWordDuration(undefined)).toBe(false)
    expect(isWordDuration('1MO')).toBe(true)
    expect(isWordDuration('1mo')).toBe(false)
    expect(isWordDuration('30d\t')).toBe(false)
    expect(isWordDuration('x30d')).toBe(true)
    expect(isWordDuration('30dx')).toBe(true)
  })

  it('isMonthlyDuration trims and lowercases every spelling', () => {
    expect(isMonthlyDuration(' MONTHLY ')).toBe(true)
    expect(isMonthlyDuration(' 1Mo')).toBe(true)
    expect(isMonthlyDuration('30d')).toBe(true)
    expect(isMonthlyDuration('weekly')).toBe(false)
    expect(isMonthlyDuration(null)).toBe(false)
  })

  it('parsePeriod sends the trimmed lowercase duration and names words by their label', () => {
    expect(parsePeriod(' 30D ')).toEqual({duration: '30d', label: 'monthly'})
    expect(parsePeriod('HOURLY')).toEqual({duration: '1h', label: 'hourly'})
    expect(parsePeriod('1W')).toEqual({duration: '1w', label: 'weekly'})
    expect(parsePeriod('1s')).toEqual({duration: '1s', label: '1s'})
  })

  it('parsePeriod refuses words that are not the four, and durations with other units, with the example', () => {
    for (const bad of ['toString', 'yearly', '30dd', 'd30', '1 mo']) {
      const e = thrown(() => parsePeriod(bad))
      expect(e.message).toBe(`invalid period '${bad}': use monthly, weekly, daily, hourly or a duration like 30d, 7d, 24h, 1mo`)
      expect(e.example).toBe('--period monthly')
    }
    const zero = thrown(() => parsePeriod('0h'))
    expect(zero.message).toBe("invalid period '0h': it must be longer than zero")
    expect(zero.example).toBe('--period 30d')
    const months = thrown(() => parsePeriod('3mo'))
    expect(months.message).toBe("invalid period '3mo': LiteLLM resets monthly budgets only every 1 month")
    expect(months.example).toBe('--period monthly')
  })

  it('refuseCapitalM: 1M (also with blanks) is refused and the message says both readings', () => {
    const e = thrown(() => refuseCapitalM(' 30M ', 'period', '--period monthly'))
    expect(e.message).toBe("invalid period ' 30M ': M is ambiguous; write 30mo for months or 30m for minutes")
    expect(e.example).toBe('--period monthly')
    expect(() => refuseCapitalM('30m', 'period', 'x')).not.toThrow()
    expect(() => refuseCapitalM('1MO', 'period', 'x')).not.toThrow()
    expect(() => refuseCapitalM('x1M', 'period', 'x')).not.toThrow()
  })
})

describe('the 10-year bound (a larger duration breaks the proxy)', () => {
  it('3653 days pass, one more day is refused, in any unit, with blanks and capitals', () => {
    expect(parsePeriod('3653d').duration).toBe('3653d')
    expect(parsePeriod('521w').duration).toBe('521w')
    expect(parsePeriod('87672h').duration).toBe('87672h')
    for (const over of ['3654d', ' 3654D ', '522w', '87673h', '5260321m', '315619201s']) {
      const e = thrown(() => parsePeriod(over))
      expect(e.message).toBe(`invalid period '${over}': it must be at most 10 years (3653d)`)
      expect(e.example).toBe('--period 30d')
    }
  })

  it('more than 7 digits is refused even when the value is small; 7 digits of seconds pass', () => {
    expect(() => checkDurationBound('00000001d', 'expiry', '--expires 30d')).toThrow(/at most 10 years/)
    expect(() => checkDurationBound('9999999s', 'expiry', '--expires 30d')).not.toThrow()
    expect(() => checkDurationBound('0000001d', 'expiry', '--expires 30d')).not.toThrow()
    expect(() => checkDurationBound('garbage', 'expiry', '--expires 30d')).not.toThrow()
    const e = thrown(() => checkDurationBound('122mo', 'expiry', '--expires 30d'))
    expect(e.message).toBe("invalid expiry '122mo': it must be at most 10 years (3653d)")
    expect(e.example).toBe('--expires 30d')
    expect(() => checkDurationBound('121mo', 'expiry', '--expires 30d')).not.toThrow()
  })
})

describe('parseTimestamp', () => {
  it('adds the missing UTC offset also without seconds, with a fraction and around blanks', () => {
    expect(parseTimestamp('2026-11-10T12:30')?.toISOString()).toBe('2026-11-10T12:30:00.000Z')
    expect(parseTimestamp(' 2026-11-10 12:30:05.5 ')?.toISOString()).toBe('2026-11-10T12:30:05.500Z')
    expect(parseTimestamp('2026-11-10T12:30:05.123456+02:00')?.toISOString()).toBe('2026-11-10T10:30:05.123Z')
    expect(parseTimestamp('2026-11-10T12:30:05.12')?.toISOString()).toBe('2026-11-10T12:30:05.120Z')
  })

  it('a blank-padded timestamp without offset is UTC on a machine in another zone too (JS would read it as local time)', () => {
    const saved = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      expect(parseTimestamp(' 2026-11-10 12:30:05 ')?.toISOString()).toBe('2026-11-10T12:30:05.000Z')
    } finally {
      process.env.TZ = saved
    }
  })
})

describe('the daily-reset warning for a monthly budget', () => {
  const now = d('2026-11-10T12:00:00Z')

  it('25 h away is the edge: at 25 h the reset is fine, just under it the budget resets nightly', () => {
    expect(verifyMonthlyReset(new Date(now.getTime() + 25 * H), now)).toEqual({status: 'ok'})
    expect(verifyMonthlyReset(new Date(now.getTime() + 25 * H - 1), now)).toEqual({status: 'resets-daily', hoursUntilReset: 25 - 1 / H})
    expect(verifyMonthlyReset(new Date(now.getTime() + 6 * H), now)).toEqual({status: 'resets-daily', hoursUntilReset: 6})
  })

  it('the month-boundary margin is 36 h, inclusive, on both sides of the 1st', () => {
    const first = Date.UTC(2026, 11, 1)
    expect(isNearMonthBoundary(new Date(first + 36 * H))).toBe(true)
    expect(isNearMonthBoundary(new Date(first + 36 * H + 1))).toBe(false)
    expect(isNearMonthBoundary(new Date(first - 36 * H))).toBe(true)
    expect(isNearMonthBoundary(new Date(first - 36 * H - 1))).toBe(false)
  })

  it('property: near the boundary means within 36 h of the nearest UTC 1st', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const y = t.getUTCFullYear()
        const m = t.getUTCMonth()
        const distance = Math.min(t.getTime() - Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1) - t.getTime())
        expect(isNearMonthBoundary(t)).toBe(distance <= 36 * H)
      }),
      {numRuns: 60},
    )
  })

  it('property: the reset LiteLLM computes for 30d and 1mo never raises the warning; for what it cannot read it does except near the 1st', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom('30d', '1mo', 'monthly'), (now, duration) => {
        expect(verifyMonthlyReset(predictResetAt(duration, now), now)).toEqual({status: 'ok'})
      }),
      {numRuns: 60},
    )
    fc.assert(
      fc.property(instant, fc.constantFrom('30D', ' 30d', '1MO', '1M', '30min'), (now, duration) => {
        const resetAt = predictResetAt(duration, now)!
        const verdict = verifyMonthlyReset(resetAt, now)
        expect(verdict.status).toBe(isNearMonthBoundary(resetAt) ? 'ok' : 'resets-daily')
      }),
      {numRuns: 60},
    )
  })
})

describe('wordResetsNightly: a stored word on old and new proxies', () => {
  const now = d('2026-11-10T12:00:00Z')
  const inH = (h: number) => new Date(now.getTime() + h * H)

  it('a duration LiteLLM reads is never the word trap', () => {
    expect(wordResetsNightly('30d', inH(2), now)).toBe(false)
    expect(wordResetsNightly(null, inH(2), now)).toBe(false)
  })

  it('daily resets nightly as meant; monthly/weekly/hourly are the trap unless the reset is 25 h or more away', () => {
    expect(wordResetsNightly('daily', inH(2), now)).toBe(false)
    expect(wordResetsNightly(' Daily ', inH(2), now)).toBe(false)
    expect(wordResetsNightly('monthly', inH(25), now)).toBe(false)
    expect(wordResetsNightly(' MONTHLY', inH(25), now)).toBe(false)
    expect(wordResetsNightly('monthly', inH(25 - 1 / 3600), now)).toBe(true)
    expect(wordResetsNightly('weekly', inH(12), now)).toBe(true)
    expect(wordResetsNightly('hourly', inH(0.5), now)).toBe(true)
    expect(wordResetsNightly('monthly', undefined, now)).toBe(true)
  })

  it('a word that is none of LiteLLM aliases resets nightly however far its reset is', () => {
    expect(wordResetsNightly('fortnightly', inH(24 * 10), now)).toBe(true)
    expect(wordResetsNightly('30D', inH(24 * 10), now)).toBe(true)
  })
})

describe('budgetWindow edges', () => {
  const now = d('2026-11-10T12:00:00Z')

  it('a 30d reset on the 1st with seconds is rolling (computed as now + 30d), not a calendar month', () => {
    expect(budgetWindow('30d', d('2026-12-01T00:00:30Z'), now)!.start).toEqual(d('2026-11-01T00:00:30Z'))
    expect(budgetWindow('30d', d('2026-12-01T00:00:00.500Z'), now)!.start).toEqual(d('2026-11-01T00:00:00.500Z'))
    // A calendar reset at budget_reset_time (a whole minute) is still the month before.
    expect(budgetWindow('30d', d('2026-12-01T09:30:00Z'), now)!.start).toEqual(d('2026-11-01T09:30:00Z'))
    // 30d reset on the 1st of March: February (29 days in 2028), not 30 days.
    expect(budgetWindow('30d', d('2028-03-01T00:00:00Z'), d('2028-02-10T00:00:00Z'))!.start).toEqual(d('2028-02-01T00:00:00Z'))
    expect(budgetWindow('31d', d('2028-03-01T00:00:00Z'), d('2028-02-10T00:00:00Z'))!.start).toEqual(d('2028-01-30T00:00:00Z'))
  })

  it('seconds, a multi-month mo and an unknown zone', () => {
    expect(budgetWindow('90s', d('2026-11-10T12:00:30Z'), now)!.start).toEqual(d('2026-11-10T11:59:00Z'))
    expect(budgetWindow('2mo', d('2026-12-15T00:00:00Z'), now)!.start).toEqual(d('2026-10-15T00:00:00Z'))
    expect(budgetWindow('24h', d('2026-11-11T00:00:00Z'), now, 'Not/AZone')!.start).toEqual(d('2026-11-10T00:00:00Z'))
    expect(budgetWindow('daily', d('2026-11-11T00:00:00Z'), now)!.start).toEqual(d('2026-11-10T00:00:00Z'))
    expect(budgetWindow('30x', d('2026-11-11T00:00:00Z'), now)).toBeUndefined()
    expect(budgetWindow(null, d('2026-11-11T00:00:00Z'), now)).toBeUndefined()
  })

  it('property: a rolling Nd window is N days before its end, never after now', () => {
    fc.assert(
      fc.property(instant, fc.integer({min: 1, max: 400}).filter((n) => n !== 30), fc.integer({min: -5 * DAY, max: 5 * DAY}), (end, n, offset) => {
        const nowAt = new Date(end.getTime() - n * DAY + offset)
        const w = budgetWindow(`${n}d`, end, nowAt)!
        expect(w.end).toBe(end)
        expect(w.start.getTime()).toBe(Math.min(end.getTime() - n * DAY, nowAt.getTime()))
      }),
      {numRuns: 60},
    )
  })
})

describe('predictResetAt edges and properties (LiteLLM newest rules)', () => {
  const at = (duration: string, now: string) => predictResetAt(duration, d(now))?.toISOString()

  it('zero of any unit is now; weeks count 7 days; the carry of minutes into hours', () => {
    expect(at('0h', '2028-02-20T08:12:13Z')).toBe('2028-02-20T08:12:13.000Z')
    expect(at('0s', '2028-02-20T08:12:13Z')).toBe('2028-02-20T08:12:13.000Z')
    expect(at('0w', '2028-02-20T08:12:13Z')).toBe('2028-02-20T08:12:13.000Z')
    expect(at('2w', '2028-02-20T08:00:00Z')).toBe('2028-03-05T00:00:00.000Z')
    expect(at('30m', '2028-02-20T10:45:10Z')).toBe('2028-02-20T11:00:00.000Z')
    expect(at('15m', '2028-02-20T10:07:10Z')).toBe('2028-02-20T10:15:00.000Z')
    expect(at('2h', '2028-02-20T23:30:00Z')).toBe('2028-02-21T00:00:00.000Z')
    expect(at('1s', '2028-02-20T10:59:59.400Z')).toBe('2028-02-20T11:00:00.000Z')
    expect(at('7d', '2028-02-28T10:00:00Z')).toBe('2028-03-06T00:00:00.000Z') // Monday morning: next Monday
    expect(at('7d', '2028-03-05T23:00:00Z')).toBe('2028-03-06T00:00:00.000Z') // Sunday night: tomorrow
    expect(at('5y', '2028-02-20T08:00:00Z')).toBe('2028-02-21T00:00:00.000Z')
    expect(at('1mo', '2028-02-20T08:00:00Z')).toBe('2028-03-01T00:00:00.000Z')
  })

  it('property: 1d is the next UTC midnight; 30d and 1mo the next 1st; 7d the next Monday, within a week', () => {
    fc.assert(
      fc.property(instant, (now) => {
        const t = now.getTime()
        const nextMidnight = Math.floor(t / DAY) * DAY + DAY
        expect(predictResetAt('1d', now)!.getTime()).toBe(nextMidnight)
        expect(predictResetAt('24h', now)!.getTime()).toBe(nextMidnight)
        const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
        expect(predictResetAt('30d', now)!.getTime()).toBe(first)
        expect(predictResetAt('1mo', now)!.getTime()).toBe(first)
        const monday = predictResetAt('7d', now)!
        expect(monday.getUTCDay()).toBe(1)
        expect(monday.getTime() % DAY).toBe(0)
        expect(monday.getTime()).toBeGreaterThan(t)
        expect(monday.getTime() - t).toBeLessThanOrEqual(7 * DAY)
      }),
      {numRuns: 60},
    )
  })

  it('property: Nh, Nm and Ns land on the next step of the clock after now (steps counted from midnight), one step away at most', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(['h', H] as const, ['m', 60e3] as const, ['s', 1e3] as const), fc.integer({min: 1, max: 23}), (now, [unit, stepMs], n) => {
        const t = now.getTime()
        const r = predictResetAt(`${n}${unit}`, now)!.getTime()
        expect(r).toBeGreaterThan(t)
        // Within the hour (minutes, seconds) or the day (hours), steps start at its beginning.
        const base = unit === 'h' ? Math.floor(t / DAY) * DAY : unit === 'm' ? Math.floor(t / H) * H : Math.floor(t / 60e3) * 60e3
        expect(r).toBe(base + (Math.floor((t - base) / (n * stepMs)) + 1) * n * stepMs)
      }),
      {numRuns: 60},
    )
  })
})
