import {describe, expect, it} from '@jest/globals'

import {DayKeyer, addDaysYmd, dayInZone, daysOf, formatSpendDateTime, parseTimeZone, resolveRange, withOptionalMonth, zonedDayStartMs} from '../../src/domain/spend-range.js'
import {InputError} from '../../src/core/errors.js'

const NOW = new Date('2026-11-20T12:00:00Z')

describe('resolveRange', () => {
  it('--month alone is the current month to date (UTC)', () => {
    const r = resolveRange({month: 'current'}, NOW)
    expect(r).toMatchObject({since: '2026-11-01', until: '2026-11-20', timezone: 'UTC'})
    expect(new Date(r.startMs).toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(new Date(r.endMs).toISOString()).toBe('2026-11-21T00:00:00.000Z')
  })

  it('nothing at all means the current month to date too', () => {
    expect(resolveRange({}, NOW)).toMatchObject({since: '2026-11-01', until: '2026-11-20'})
  })

  it('--month YYYY-MM is the whole month, leap years included', () => {
    expect(resolveRange({month: '2028-02'}, NOW)).toMatchObject({since: '2028-02-01', until: '2028-02-29'})
    expect(resolveRange({month: '2026-12'}, NOW)).toMatchObject({since: '2026-12-01', until: '2026-12-31'})
  })

  it('--last-month crosses the year boundary', () => {
    expect(resolveRange({lastMonth: true}, new Date('2027-01-03T00:30:00Z'))).toMatchObject({since: '2026-12-01', until: '2026-12-31'})
  })

  it('--since/--until are inclusive; --since alone runs to today', () => {
    const r = resolveRange({since: '2026-10-30', until: '2026-11-02'}, NOW)
    expect(r.endMs - r.startMs).toBe(4 * 86_400_000)
    expect(resolveRange({since: '2026-11-15'}, NOW)).toMatchObject({since: '2026-11-15', until: '2026-11-20'})
  })

  it('--since 20261101 as well as 2026-11-01; --until alone starts at the first of its month (#12)', () => {
    expect(resolveRange({since: '20261101'}, NOW)).toMatchObject({since: '2026-11-01', until: '2026-11-20'})
    expect(resolveRange({since: '20261001', until: '20261015'}, NOW)).toMatchObject({since: '2026-10-01', until: '2026-10-15'})
    expect(resolveRange({until: '2026-10-15'}, NOW)).toMatchObject({since: '2026-10-01', until: '2026-10-15'})
    expect(() => resolveRange({since: '2026-1101'}, NOW)).toThrow(InputError)
    expect(() => resolveRange({since: '20260230'}, NOW)).toThrow(InputError)
  })

  it('rejects bad input with InputError', () => {
    expect(() => resolveRange({month: '2026-13'}, NOW)).toThrow(InputError)
    expect(() => resolveRange({since: '2026-11-10', until: '2026-11-01'}, NOW)).toThrow(/after --until/)
    expect(() => resolveRange({month: '2026-10', lastMonth: true}, NOW)).toThrow(/only one/)
    expect(() => resolveRange({since: '2026-02-30'}, NOW)).toThrow(InputError)
  })

  it('a zone moves the day boundaries and "today"', () => {
    // 2026-11-20 16:00 UTC is already the 21st in Tokyo.
    const tokyo = resolveRange({month: 'current'}, new Date('2026-11-20T16:00:00Z'), 'Asia/Tokyo')
    expect(tokyo).toMatchObject({since: '2026-11-01', until: '2026-11-21', timezone: 'Asia/Tokyo'})
    expect(new Date(tokyo.startMs).toISOString()).toBe('2026-10-31T15:00:00.000Z')
    // Berlin leaves summer time on 2026-10-25: October has a 25-hour day.
    const oct = resolveRange({month: '2026-10'}, NOW, 'Europe/Berlin')
    expect(new Date(oct.startMs).toISOString()).toBe('2026-09-30T22:00:00.000Z')
    expect(new Date(oct.endMs).toISOString()).toBe('2026-10-31T23:00:00.000Z')
  })
})

describe('zones and days', () => {
  it('parses time zones', () => {
    expect(parseTimeZone('utc')).toBe('UTC')
    expect(parseTimeZone('Europe/Berlin')).toBe('Europe/Berlin')
    expect(() => parseTimeZone('Mars/Olympus')).toThrow(InputError)
  })

  it('finds zoned midnights, also on DST days', () => {
    expect(new Date(zonedDayStartMs('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(new Date(zonedDayStartMs('2026-03-30', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect(new Date(zonedDayStartMs('2026-11-05', 'America/New_York')).toISOString()).toBe('2026-11-05T05:00:00.000Z')
    expect(dayInZone(Date.parse('2026-11-05T04:59:59Z'), 'America/New_York')).toBe('2026-11-04')
  })

  it('formats the spend-log datetime and walks days', () => {
    expect(formatSpendDateTime(Date.parse('2026-11-01T00:00:00Z'))).toBe('2026-11-01 00:00:00')
    expect(addDaysYmd('2026-02-28', 1)).toBe('2026-03-01')
    expect(daysOf('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02'])
  })

  it('DayKeyer reads LiteLLM timestamp shapes and zones', () => {
    expect(DayKeyer.timeOf('2024-06-14T22:48:36.594000Z')).toBe(Date.parse('2024-06-14T22:48:36.594Z'))
    expect(DayKeyer.timeOf('2026-12-01T00:00:00+00:00')).toBe(Date.parse('2026-12-01T00:00:00Z'))
    // No offset: UTC, whatever the machine's zone.
    expect(DayKeyer.timeOf('2026-12-01 01:02:03')).toBe(Date.parse('2026-12-01T01:02:03Z'))
    const berlin = new DayKeyer('Europe/Berlin')
    expect(berlin.dayOf(Date.parse('2026-11-01T23:30:00Z'))).toBe('2026-11-02')
    expect(new DayKeyer('UTC').dayOf(Date.parse('2026-11-01T23:30:00Z'))).toBe('2026-11-01')
  })

  it('--month may stand alone before oclif parses', () => {
    expect(withOptionalMonth(['--month'])).toEqual(['--month', 'current'])
    expect(withOptionalMonth(['--month', '--key', 'x'])).toEqual(['--month', 'current', '--key', 'x'])
    expect(withOptionalMonth(['--month', '2026-10'])).toEqual(['--month', '2026-10'])
    expect(withOptionalMonth(['--month=2026-10'])).toEqual(['--month=2026-10'])
    expect(withOptionalMonth(['--', '--month'])).toEqual(['--', '--month'])
  })
})
