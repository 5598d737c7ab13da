/**
 * Budget rules a mutation run showed untested (issue 19): time zones of stored timestamps, month
 * windows after a 31-day month, "already sent" at an exact threshold, forecast reliability early in a
 * daily window, severities after exhaustion, and words stored on keys without a budget.
 */
import {describe, expect, it} from '@jest/globals'
import {execFileSync} from 'node:child_process'

import type {KeyRow} from '../../src/core/wire.js'
import {checkKey, dueAlerts} from '../../src/domain/alerts.js'
import {summarizeKey} from '../../src/domain/key-summary.js'
import {parseTimestamp} from '../../src/domain/period.js'

const check = (row: Partial<KeyRow>, now: Date, opts: {thresholds?: number[]; forecast?: boolean} = {}) =>
  checkKey(summarizeKey({token: 'h'.repeat(64), key_alias: 'agent', spend: 0, ...row} as KeyRow, now), {
    thresholds: opts.thresholds ?? [50, 80, 100],
    forecast: opts.forecast ?? false,
    now,
  })

/** The mutant Stryker has switched on in this process, to pass to a child process (none outside a mutation run). */
function strykerMutant(): Record<string, string> {
  const active = (globalThis as {__stryker__?: {activeMutant?: unknown}}).__stryker__?.activeMutant
  return active === undefined ? {} : {__STRYKER_ACTIVE_MUTANT__: String(active)}
}

describe('parseTimestamp reads a value without an offset as UTC, whatever TZ says', () => {
  // The test environment pins TZ=UTC, and a zone set inside a running process is not picked up
  // reliably: read the timestamps in a child process started with TZ=America/New_York.
  it('in America/New_York, 2024-06-14 22:48:36 is 22:48:36Z', () => {
    // Read once here too (TZ=UTC, so it proves little by itself): mutation testing runs a test for a mutant only
    // where the test ran that code in its own process.
    expect(parseTimestamp(' 2024-06-14 22:48 ')?.toISOString()).toBe('2024-06-14T22:48:00.000Z')
    const script = [
      "import {parseTimestamp} from './src/domain/period.ts'",
      "const r = ['2024-06-14 22:48:36', '2024-06-14T22:48:36.594000', '2024-06-14T22:48:36+02:00', '2024-06-14 22:48', ' 2024-06-14T22:48:36 '].map((v) => parseTimestamp(v)?.toISOString())",
      "console.log(JSON.stringify({local: new Date('2024-06-14T22:48:36').toISOString(), r}))",
    ].join('\n')
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      // Under `npm run mutation` the child runs the mutant this test is checking (Stryker's instrumented code
      // reads it from this variable); otherwise it is unset and changes nothing.
      env: {...process.env, TZ: 'America/New_York', NODE_OPTIONS: '', ...strykerMutant()},
      encoding: 'utf8',
    })
    const {local, r} = JSON.parse(out) as {local: string; r: string[]}
    // The zone really took effect: JS alone reads the value as New York time.
    expect(local).toBe('2024-06-15T02:48:36.000Z')
    expect(r).toEqual(['2024-06-14T22:48:36.000Z', '2024-06-14T22:48:36.594Z', '2024-06-14T20:48:36.000Z', '2024-06-14T22:48:00.000Z', '2024-06-14T22:48:36.000Z'])
  })
})

describe('budget windows', () => {
  it('a 30d key resetting 2027-01-01 (after 31-day December) has its window start on 2026-12-01, not 30 days back', () => {
    const c = check({max_budget: 100, budget_duration: '30d', budget_reset_at: '2027-01-01T00:00:00+00:00', spend: 10}, new Date('2026-12-15T12:00:00Z'))
    expect(c.window).toMatchObject({start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z', basis: 'duration'})
  })
})

describe('forecast reliability in a daily window', () => {
  const resetAt = '2026-11-21T00:00:00+00:00'
  const at = (h: number) => new Date(Date.parse('2026-11-20T00:00:00Z') + h * 3600e3)

  it('3 h into a 1d window with a fast pace: reliable, and the verdict is forecast', () => {
    const c = check({max_budget: 10, budget_duration: '1d', budget_reset_at: resetAt, spend: 3}, at(3), {forecast: true})
    expect(c.forecastReliable).toBe(true)
    expect(c.forecastExceeds).toBe(true)
    expect(c.verdict).toBe('forecast')
    expect(c.exitCode).toBe(10)
    // The same key without --forecast is simply ok.
    expect(check({max_budget: 10, budget_duration: '1d', budget_reset_at: resetAt, spend: 3}, at(3)).verdict).toBe('ok')
  })

  it('the boundary is a tenth of the window: 2.4 h is reliable, 2.3 h is not', () => {
    const row = {max_budget: 10, budget_duration: '1d', budget_reset_at: resetAt, spend: 3}
    expect(check(row, at(2.4), {forecast: true}).forecastReliable).toBe(true)
    const early = check(row, at(2.3), {forecast: true})
    expect(early.forecastReliable).toBe(false)
    expect(early.verdict).toBe('ok')
  })
})

describe('alerts already sent', () => {
  const now = new Date('2026-11-20T12:00:00Z')
  const row = {max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00+00:00'}

  it('spend exactly $80.00 of $100 with thresholds 50,80 and the 80% alert delivered: nothing is due', () => {
    const c = check({...row, spend: 80}, now, {thresholds: [50, 80]})
    expect(c.threshold).toBe(80)
    expect(c.verdict).toBe('threshold')
    const opts = {forecast: false, thresholds: [50, 80]}
    expect(dueAlerts(c, new Set(), new Set(), opts).map((a) => a.marker)).toEqual(['threshold:80'])
    expect(dueAlerts(c, new Set(['threshold:50', 'threshold:80']), new Set(), opts)).toEqual([])
    // An 80% alert covers 50% too: only 50% delivered still leaves 80% due.
    expect(dueAlerts(c, new Set(['threshold:50']), new Set(), opts).map((a) => a.marker)).toEqual(['threshold:80'])
  })

  it('a 150% threshold crossed after exhaustion is critical', () => {
    const c = check({...row, spend: 151}, now, {thresholds: [80, 100, 150]})
    expect(c.verdict).toBe('exhausted')
    const due = dueAlerts(c, new Set(['exhausted', 'threshold:80', 'threshold:100']), new Set(), {forecast: false, thresholds: [80, 100, 150]})
    expect(due).toEqual([expect.objectContaining({event: 'threshold_crossed', threshold: 150, severity: 'critical'})])
  })

  it('a threshold below exhaustion is a warning', () => {
    const c = check({...row, spend: 85}, now, {thresholds: [80, 100]})
    expect(dueAlerts(c, new Set(), new Set(), {forecast: false, thresholds: [80, 100]})).toEqual([expect.objectContaining({severity: 'warning', threshold: 80})])
  })
})

describe('reset trap', () => {
  const now = new Date('2026-11-20T12:00:00Z')

  it('a key without a budget stored with budget_duration "monthly" raises no reset-trap problem', () => {
    const c = check({max_budget: null, budget_duration: 'monthly', budget_reset_at: '2026-11-21T00:00:00+00:00', spend: 3}, now)
    expect(c.verdict).toBe('no-budget')
    expect(c.problems).toEqual([])
    expect(c.exitCode).toBe(0)
  })

  it('the same word on a key with a budget is a reset trap (exit 10)', () => {
    const c = check({max_budget: 50, budget_duration: 'monthly', budget_reset_at: '2026-11-21T00:00:00+00:00', spend: 3}, now)
    expect(c.problems.map((p) => p.kind)).toEqual(['reset-trap'])
    expect(c.exitCode).toBe(10)
  })
})
