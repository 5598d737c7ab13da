/**
 * Budget periods and LiteLLM durations (litellm-api.md §4). Pure: the clock is a parameter.
 *
 * The trap: many LiteLLM versions store `"monthly"` but reset the budget every night. keyward never
 * sends a word: monthly→30d, weekly→7d, daily→1d, hourly→1h, and checks `budget_reset_at` afterwards.
 */
import {addDays, addHours, addMonths} from 'date-fns'

export const PERIOD_WORDS = {monthly: '30d', weekly: '7d', daily: '1d', hourly: '1h'} as const
export type PeriodWord = keyof typeof PERIOD_WORDS

/** One of the words LiteLLM 1.95+ reads as a period (case-insensitive): 'monthly', 'weekly', 'daily', 'hourly'. */
export function isPeriodWord(duration: string | null | undefined): boolean {
  return typeof duration === 'string' && Object.hasOwn(PERIOD_WORDS, duration.trim().toLowerCase())
}

export const DURATION_RE = /^(\d+)(s|m|h|d|w|mo)$/

export interface Period {
  /** What LiteLLM is sent, e.g. `30d`. */
  duration: string
  /** A human name: `monthly`, `weekly`, `daily`, `hourly`, or the duration itself. */
  label: string
}

export class InputError extends Error {
  constructor(
    message: string,
    readonly example?: string,
  ) {
    super(message)
    this.name = 'InputError'
  }
}

/** Parse `--period`: a word or a LiteLLM duration. Throws InputError with an example of what is right. */
export function parsePeriod(input: string): Period {
  const v = input.trim().toLowerCase()
  if (v in PERIOD_WORDS) return {duration: PERIOD_WORDS[v as PeriodWord], label: v}
  const m = DURATION_RE.exec(v)
  if (!m) {
    throw new InputError(
      `invalid period '${input}': use monthly, weekly, daily, hourly or a duration like 30d, 7d, 24h, 1mo`,
      '--period monthly',
    )
  }
  const n = Number(m[1])
  if (n <= 0) throw new InputError(`invalid period '${input}': it must be longer than zero`, '--period 30d')
  if (m[2] === 'mo' && n !== 1) {
    throw new InputError(`invalid period '${input}': LiteLLM resets monthly budgets only every 1 month`, '--period monthly')
  }
  return {duration: v, label: labelForDuration(v)}
}

/** The human name for a stored `budget_duration`. */
export function labelForDuration(duration: string | null | undefined): string {
  if (!duration) return '-'
  const d = duration.trim().toLowerCase()
  if (d === '30d' || d === '1mo') return 'monthly'
  if (d === '7d' || d === '1w') return 'weekly'
  if (d === '1d' || d === '24h') return 'daily'
  if (d === '1h' || d === '60m') return 'hourly'
  return duration
}

/** A stored duration that is a word (e.g. `monthly`): older proxies reset such budgets every night. */
export function isWordDuration(duration: string | null | undefined): boolean {
  return Boolean(duration) && !DURATION_RE.test(String(duration).trim())
}

/** Meant as a monthly budget: `30d`, `1mo`, or the word `monthly`. */
export function isMonthlyDuration(duration: string | null | undefined): boolean {
  const d = String(duration ?? '').trim().toLowerCase()
  return d === '30d' || d === '1mo' || d === 'monthly'
}

/** Parse a LiteLLM duration into a length, for windows and expiry. */
export function durationParts(duration: string): {n: number; unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo'} | undefined {
  const m = DURATION_RE.exec(duration.trim().toLowerCase())
  return m ? {n: Number(m[1]), unit: m[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'mo'} : undefined
}

/** Approximate length in milliseconds (a month counts as 30 days). */
export function durationMs(duration: string): number | undefined {
  const p = durationParts(duration)
  if (!p) return undefined
  const unitMs = {s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, mo: 30 * 86400e3}[p.unit]
  return p.n * unitMs
}

/**
 * Read a LiteLLM timestamp. Values without an offset are UTC (JS would read them as local time).
 * Returns undefined for null/garbage.
 */
export function parseTimestamp(value: string | null | undefined): Date | undefined {
  if (!value) return undefined
  let v = value.trim()
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) v = `${v.replace(' ', 'T')}Z`
  // Python may send microseconds; JS keeps milliseconds.
  v = v.replace(/(\.\d{3})\d+/, '$1')
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? undefined : d
}

export type ResetVerdict =
  | {status: 'ok'}
  | {status: 'unknown'; reason: string}
  | {status: 'resets-daily'; hoursUntilReset: number}

/**
 * Does a budget that is meant to be monthly really reset monthly? A monthly budget resets at the start
 * of a month (newer proxies) or about 30 days out (older ones). A reset less than ~25 h away means the
 * proxy will reset it every night, unless the reset is at a UTC month boundary that is near
 * (on the last day of a month, tomorrow's reset is right).
 */
export function verifyMonthlyReset(resetAt: Date | undefined, now: Date): ResetVerdict {
  if (!resetAt) return {status: 'unknown', reason: 'the proxy did not report budget_reset_at'}
  const hours = (resetAt.getTime() - now.getTime()) / 3600e3
  if (hours >= 25) return {status: 'ok'}
  if (isNearMonthBoundary(resetAt)) return {status: 'ok'}
  return {status: 'resets-daily', hoursUntilReset: Math.max(0, hours)}
}

/** Within ~a day and a half of a UTC month boundary. */
export function isNearMonthBoundary(d: Date): boolean {
  const startOfThis = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  const startOfNext = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  const t = d.getTime()
  const margin = 36 * 3600e3
  return t - startOfThis <= margin || startOfNext - t <= margin
}

/**
 * The budget window that ends at `resetAt`: for a monthly budget aligned to the 1st, the calendar
 * month before it; otherwise `resetAt - duration`.
 */
export function budgetWindow(duration: string | null | undefined, resetAt: Date | undefined, now: Date): {start: Date; end: Date} | undefined {
  if (!resetAt) return undefined
  const d = String(duration ?? '').trim().toLowerCase()
  const monthAligned = resetAt.getUTCDate() === 1 && resetAt.getUTCHours() === 0 && resetAt.getUTCMinutes() === 0
  let start: Date
  if (isMonthlyDuration(d) && monthAligned) {
    start = new Date(Date.UTC(resetAt.getUTCFullYear(), resetAt.getUTCMonth() - 1, 1))
  } else {
    const parts = durationParts(d)
    if (!parts) return undefined
    if (parts.unit === 'mo') start = addMonths(resetAt, -parts.n)
    else if (parts.unit === 'd' || parts.unit === 'w') start = addDays(resetAt, -(parts.unit === 'w' ? parts.n * 7 : parts.n))
    else if (parts.unit === 'h') start = addHours(resetAt, -parts.n)
    else start = new Date(resetAt.getTime() - (durationMs(d) ?? 0))
  }
  if (start.getTime() > now.getTime()) start = now
  return {start, end: resetAt}
}
