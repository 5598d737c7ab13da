/** The owner of "a monthly budget must not reset daily": the decisions every command and alert share. */
import {describe, expect, it} from '@jest/globals'

import {dailyResetRisk, monthlyResetCheck, resetsNightly, storedWordReading} from '../../src/domain/monthly-reset.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const tonight = new Date('2026-11-19T00:00:00Z')
const firstOfMonth = new Date('2026-12-01T00:00:00Z')
const rolling = new Date('2026-11-19T03:17:42.123Z')

describe('monthlyResetCheck', () => {
  it('judges monthly budgets only: a reset tonight is the trap, the 1st is right, none reported is unknown', () => {
    expect(monthlyResetCheck('30d', tonight, NOW)).toMatchObject({status: 'resets-daily'})
    expect(monthlyResetCheck('monthly', firstOfMonth, NOW)).toEqual({status: 'ok'})
    expect(monthlyResetCheck('1mo', undefined, NOW)).toMatchObject({status: 'unknown'})
    expect(monthlyResetCheck('7d', tonight, NOW)).toBeNull()
    expect(monthlyResetCheck(null, tonight, NOW)).toBeNull()
  })
})

describe('resetsNightly', () => {
  it('a monthly budget reset tonight, or a stored word this proxy resets at midnight; not a real 1d budget', () => {
    expect(resetsNightly('30d', monthlyResetCheck('30d', tonight, NOW), tonight, NOW)).toBe(true)
    expect(resetsNightly('weekly', null, tonight, NOW)).toBe(true)
    expect(resetsNightly('weekly', null, new Date('2026-11-23T00:00:00Z'), NOW)).toBe(false)
    expect(resetsNightly('1d', null, tonight, NOW)).toBe(false)
    expect(resetsNightly('30d', monthlyResetCheck('30d', firstOfMonth, NOW), firstOfMonth, NOW)).toBe(false)
  })
})

describe('dailyResetRisk', () => {
  it('after a create any reset within ~25 h warns; for an existing key only one that looks like the nightly fallback', () => {
    const night = {resetCheck: monthlyResetCheck('30d', tonight, NOW)}
    expect(dailyResetRisk(night, tonight, NOW)).toBe(true)
    expect(dailyResetRisk(night, tonight, NOW, {existing: true})).toBe(true)
    // A rolling reset (created + 30 days, not on a quarter hour) can be near without being wrong.
    const near = {resetCheck: monthlyResetCheck('30d', rolling, NOW)}
    expect(dailyResetRisk(near, rolling, NOW)).toBe(true)
    expect(dailyResetRisk(near, rolling, NOW, {existing: true})).toBe(false)
    expect(dailyResetRisk({resetCheck: monthlyResetCheck('30d', firstOfMonth, NOW)}, firstOfMonth, NOW)).toBe(false)
  })
})

describe('storedWordReading', () => {
  it('a stored word reset tonight on the hour is nightly; reset on the 1st a proxy that read it; no reset unknown', () => {
    expect(storedWordReading('monthly', tonight, NOW)).toBe('nightly')
    expect(storedWordReading('monthly', firstOfMonth, NOW)).toBe('read-as-period')
    expect(storedWordReading('fortnightly', firstOfMonth, NOW)).toBe('unknown')
    expect(storedWordReading('monthly', undefined, NOW)).toBe('unknown')
  })
})
