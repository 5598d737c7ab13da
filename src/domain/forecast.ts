/**
 * Budget windows, burn rate and forecasts. Pure: the clock is a parameter.
 *
 * The pace is spend in the current window divided by the time elapsed in it (a key's `spend` is the
 * spend since the last reset), or the pace of the last 7 whole days of the window when that is faster
 * (from `/user/daily/activity`): an agent that starts burning money mid-month is caught by its recent
 * pace, not diluted by quiet weeks. A forecast made very early in a window is
 * noisy (one request in the first minute would "forecast" thousands of dollars), so it only counts
 * as reliable once `min(1 day, 10% of the window)` has passed.
 */
import {resetsNightly, type ResetVerdict} from './monthly-reset.js'
import {budgetWindow} from './period.js'

const DAY_MS = 86_400_000

export interface Window {
  start: Date
  /** When the budget resets; null for a budget that never resets (no `budget_duration`). */
  end: Date | null
  /** How the window was found. */
  basis: 'duration' | 'daily-reset' | 'lifetime'
}

export interface WindowInput {
  duration: string | null
  resetAt: Date | undefined
  createdAt: Date | undefined
  resetCheck: ResetVerdict | null
  now: Date
}

/**
 * The current budget window. A budget whose duration is a word (`monthly` on older proxies) or that
 * is meant to be monthly but resets within a day really resets every night: its window is the day
 * before `budget_reset_at`. A budget without a duration never resets: its window runs from the key's
 * creation. Undefined when it cannot be known (a duration but no `budget_reset_at`).
 */
export function currentWindow(input: WindowInput): Window | undefined {
  const {duration, resetAt, createdAt, resetCheck, now} = input
  if (!duration) {
    if (!createdAt) return undefined
    return {start: createdAt.getTime() > now.getTime() ? now : createdAt, end: null, basis: 'lifetime'}
  }
  if (!resetAt) return undefined
  if (resetsNightly(duration, resetCheck, resetAt, now)) {
    const start = new Date(Math.min(resetAt.getTime() - DAY_MS, now.getTime()))
    return {start, end: resetAt, basis: 'daily-reset'}
  }
  const w = budgetWindow(duration, resetAt, now)
  return w ? {start: w.start, end: w.end, basis: 'duration'} : undefined
}

export interface ForecastInput {
  spent: number
  budget: number
  window: Window | undefined
  now: Date
  /** USD per day over the recent days of this window (see recentPacePerDay), when known. */
  recentRatePerDay?: number | null
}

/**
 * The pace of the last (up to) 7 days of a window from daily spend totals (UTC dates). Only whole days
 * that began inside the window count, so spend from before the last reset never does; null until a
 * full day of the window has passed.
 */
export function recentPacePerDay(days: ReadonlyArray<{date: string; spend: number}>, window: Window | undefined, now: Date): number | null {
  if (!window) return null
  const windowStart = window.start.getTime()
  const firstDay = Math.ceil(windowStart / DAY_MS) * DAY_MS
  const from = Math.max(firstDay, Math.floor(now.getTime() / DAY_MS) * DAY_MS - 6 * DAY_MS)
  const elapsed = now.getTime() - from
  if (elapsed < DAY_MS) return null
  const fromDate = new Date(from).toISOString().slice(0, 10)
  const spend = days.filter((d) => d.date >= fromDate).reduce((sum, d) => sum + d.spend, 0)
  return (spend / elapsed) * DAY_MS
}

export interface Forecast {
  /** Time elapsed in the window, and its length (null for a window that never ends). */
  elapsedMs: number | null
  windowMs: number | null
  /** USD per day at the current pace; null when the window is unknown. */
  burnRatePerDay: number | null
  /** Which pace the forecast uses: the whole window's, or the recent days' (faster). */
  pace: 'window' | 'recent'
  /** Spend at the window's end at the current pace; null without an end. */
  forecastSpend: number | null
  forecastPct: number | null
  /** When the budget runs out at the current pace: null when already exhausted, never, or unknown. */
  runOutAt: Date | null
  /** The budget is forecast to run out before the window resets (and is not exhausted yet). */
  exceedsBeforeReset: boolean
  /** Enough of the window has passed for the pace to mean something. */
  reliable: boolean
}

/** The least time into a window before a forecast is trusted. */
export function minForecastElapsedMs(windowMs: number | null): number {
  return windowMs === null ? DAY_MS : Math.min(DAY_MS, windowMs * 0.1)
}

export function forecastSpend(input: ForecastInput): Forecast {
  const {spent, budget, window, now} = input
  const none: Forecast = {elapsedMs: null, windowMs: null, burnRatePerDay: null, pace: 'window', forecastSpend: null, forecastPct: null, runOutAt: null, exceedsBeforeReset: false, reliable: false}
  if (!window) return none
  const t = now.getTime()
  const start = window.start.getTime()
  const end = window.end?.getTime() ?? null
  const windowMs = end === null ? null : Math.max(0, end - start)
  // After the reset time the proxy's reset job may not have run yet: the window is simply over.
  const elapsedMs = Math.max(0, end === null ? t - start : Math.min(t, end) - start)
  const reliable = elapsedMs > 0 && elapsedMs >= minForecastElapsedMs(windowMs)
  const windowRatePerMs = elapsedMs > 0 ? spent / elapsedMs : spent > 0 ? Number.POSITIVE_INFINITY : 0
  const recentRatePerMs = (input.recentRatePerDay ?? 0) / DAY_MS
  const pace: Forecast['pace'] = recentRatePerMs > windowRatePerMs ? 'recent' : 'window'
  const ratePerMs = Math.max(windowRatePerMs, recentRatePerMs)
  const burnRatePerDay = Number.isFinite(ratePerMs) ? ratePerMs * DAY_MS : null
  let projected: number | null = null
  if (end !== null) {
    const left = Math.max(0, end - t)
    projected = Number.isFinite(ratePerMs) ? spent + ratePerMs * left : null
  }
  const exhausted = spent >= budget
  let runOutAt: Date | null = null
  if (!exhausted && ratePerMs > 0 && Number.isFinite(ratePerMs)) runOutAt = new Date(t + (budget - spent) / ratePerMs)
  const exceedsBeforeReset = !exhausted && end !== null && runOutAt !== null && runOutAt.getTime() < end
  return {
    elapsedMs,
    windowMs,
    burnRatePerDay,
    pace,
    forecastSpend: projected,
    forecastPct: projected === null ? null : budget > 0 ? (projected / budget) * 100 : null,
    runOutAt,
    exceedsBeforeReset,
    reliable,
  }
}
