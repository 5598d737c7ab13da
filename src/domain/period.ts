/**
 * Budget periods and LiteLLM durations (litellm-api.md §4). Pure: the clock is a parameter.
 *
 * The trap: many LiteLLM versions store `"monthly"` but reset the budget every night. keyward never
 * sends a word: monthly→30d, weekly→7d, daily→1d, hourly→1h, and checks `budget_reset_at` afterwards.
 */
import {instantOf, isKnownTimeZone, normalise, shiftMonths, wallMs, wallTime, weekday, type WallTime} from './wall-clock.js'

import {InputError} from '../core/errors.js'
import {hasOwnKey} from '../core/own.js'

export const PERIOD_WORDS = {monthly: '30d', weekly: '7d', daily: '1d', hourly: '1h'} as const
export type PeriodWord = keyof typeof PERIOD_WORDS

/** One of the words LiteLLM 1.95+ reads as a period (case-insensitive): 'monthly', 'weekly', 'daily', 'hourly'. */
export function isPeriodWord(duration: string | null | undefined): boolean {
  return typeof duration === 'string' && Object.hasOwn(PERIOD_WORDS, duration.trim().toLowerCase())
}

export const DURATION_RE = /^(\d+)(s|m|h|d|w|mo)$/

/** The longest duration keyward sends: 10 years. A larger one breaks the proxy (its date arithmetic overflows and every later /key/list answers 500). */
export const MAX_DURATION_DAYS = 3653
const UNIT_MS = {s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, mo: 30 * 86400e3} as const

/** A duration longer than 10 years (or with more digits than any sane one) is refused. */
export function checkDurationBound(input: string, what: string, example: string): void {
  const m = DURATION_RE.exec(input.trim().toLowerCase())
  if (!m) return
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]
  if (m[1].length > 7 || !Number.isFinite(ms) || ms > MAX_DURATION_DAYS * 86400e3) {
    throw new InputError(`invalid ${what} '${input}': it must be at most 10 years (${MAX_DURATION_DAYS}d)`, example)
  }
}

export interface Period {
  /** What LiteLLM is sent, e.g. `30d`. */
  duration: string
  /** A human name: `monthly`, `weekly`, `daily`, `hourly`, or the duration itself. */
  label: string
}

/** Parse `--period`: a word or a LiteLLM duration. Throws InputError with an example of what is right. */
export function parsePeriod(input: string): Period {
  refuseCapitalM(input, 'period', '--period monthly')
  const v = input.trim().toLowerCase()
  if (hasOwnKey(PERIOD_WORDS, v)) return {duration: PERIOD_WORDS[v], label: v}
  const m = DURATION_RE.exec(v)
  if (!m) {
    throw new InputError(
      `invalid period '${input}': use monthly, weekly, daily, hourly or a duration like 30d, 7d, 24h, 1mo`,
      '--period monthly',
    )
  }
  const n = Number(m[1])
  if (n <= 0) throw new InputError(`invalid period '${input}': it must be longer than zero`, '--period 30d')
  checkDurationBound(input, 'period', '--period 30d')
  if (m[2] === 'mo' && n !== 1) {
    throw new InputError(`invalid period '${input}': LiteLLM resets monthly budgets only every 1 month`, '--period monthly')
  }
  return {duration: v, label: labelForDuration(v)}
}

/**
 * `1M` (and `30M`) is neither a month nor a minute to LiteLLM (its units are lowercase; `1M` does not
 * parse), and lowercasing it would silently turn a month into a minute: refuse it and say why.
 */
export function refuseCapitalM(input: string, what: string, example: string): void {
  const m = /^(\d+)M$/.exec(input.trim())
  if (m) throw new InputError(`invalid ${what} '${input}': M is ambiguous; write ${m[1]}mo for months or ${m[1]}m for minutes`, example)
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

/** Parse a LiteLLM duration into a length, for windows and expiry. */
export function durationParts(duration: string): {n: number; unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo'} | undefined {
  const m = DURATION_RE.exec(duration.trim().toLowerCase())
  return m ? {n: Number(m[1]), unit: m[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'mo'} : undefined
}

/** Approximate length in milliseconds (a month counts as 30 days). */
export function durationMs(duration: string): number | undefined {
  const p = durationParts(duration)
  if (!p) return undefined
  const unitMs = UNIT_MS[p.unit]
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

/**
 * The budget window that ends at `resetAt`: for a monthly budget reset on the 1st (in the proxy's time
 * zone, `litellm_settings.timezone`, UTC unless told), the calendar month before it; otherwise
 * `resetAt - duration`, counted on the proxy's wall clock as LiteLLM does (never the local machine's).
 */
export function budgetWindow(duration: string | null | undefined, resetAt: Date | undefined, now: Date, timeZone = 'UTC'): {start: Date; end: Date} | undefined {
  if (!resetAt) return undefined
  const tz = isKnownTimeZone(timeZone) ? timeZone : 'UTC'
  // Read the stored value as LiteLLM does: the word aliases, else `(\d+)([a-z]+)` from the first
  // character (so `30D`, ` 30d` and `1M` are nothing it can read, and get no window here).
  const raw = String(duration ?? '')
  const m = /^(\d+)([a-z]+)/.exec(LITELLM_WORD_ALIASES[raw.trim().toLowerCase()] ?? raw)
  if (!m || !RESET_UNITS.has(m[2]!)) return undefined
  const n = Number(m[1])
  const unit = m[2]!
  const end = wallTime(resetAt.getTime(), tz)
  // Calendar resets land on the 1st at a whole minute (midnight, or budget_reset_time); rolling ones
  // (older proxies: now + 30d) carry the seconds of the moment they were computed.
  const monthAligned = end.day === 1 && end.second === 0 && end.ms === 0
  let start: WallTime
  if (unit === 'mo') start = shiftMonths(end, -n)
  else if (unit === 'd' && n === 30 && monthAligned) start = shiftMonths(end, -1)
  else if (unit === 'w') start = {...end, day: end.day - 7 * n}
  else if (unit === 'd') start = {...end, day: end.day - n}
  else if (unit === 'h') start = {...end, hour: end.hour - n}
  else if (unit === 'm') start = {...end, minute: end.minute - n}
  else start = {...end, second: end.second - n}
  const startMs = Math.min(instantOf(normalise(start), tz), now.getTime())
  return {start: new Date(startMs), end: resetAt}
}

const RESET_UNITS = new Set(['s', 'm', 'h', 'd', 'w', 'mo'])

/** LiteLLM's own word aliases (`_BUDGET_DURATION_WORD_ALIASES`, newest releases only). */
export const LITELLM_WORD_ALIASES: Record<string, string> = {hourly: '1h', daily: '24h', weekly: '7d', monthly: '30d'}

/**
 * When the newest LiteLLM releases put the next reset of a budget with this `budget_duration`, computed
 * at `now` in the proxy's time zone (`litellm_settings.timezone`, UTC by default; an unknown zone is UTC,
 * as in LiteLLM), with the default reset time of day (midnight). Mirrors
 * `get_next_standardized_reset_time`: `1d` the next midnight, `7d`/`1w` the next Monday, `30d`/`1mo` the
 * 1st of the next month, other `Nd` today's midnight + N days, `Nh`/`Nm`/`Ns` the next clock-aligned
 * step, `0…` now, and anything it cannot read (`30D`, `1M`, `30min`, ` 30d`, and the words on releases
 * before 1.95) the next midnight: the nightly trap. Undefined where LiteLLM raises (`2mo`).
 */
export function predictResetAt(duration: string, now: Date, timeZone = 'UTC'): Date | undefined {
  const tz = isKnownTimeZone(timeZone) ? timeZone : 'UTC'
  const value = LITELLM_WORD_ALIASES[duration.trim().toLowerCase()] ?? duration
  const cur = wallTime(now.getTime(), tz)
  const midnight: WallTime = {...cur, hour: 0, minute: 0, second: 0, ms: 0}
  const at = (w: WallTime): Date => new Date(instantOf(normalise(w), tz))
  const inDays = (w: WallTime, n: number): WallTime => ({...w, day: w.day + n})
  const m = /^(\d+)([a-z]+)/.exec(value)
  if (!m) return at(inDays(midnight, 1))
  const n = Number(m[1])
  const unit = m[2]!
  const firstOfNextMonth = (): Date => at({...midnight, day: 1, month: cur.month + 1})
  if (unit === 'd' || unit === 'w') {
    const days = unit === 'w' ? 7 * n : n
    if (days === 0) return new Date(now.getTime())
    if (days === 1) return at(inDays(midnight, 1))
    if (days === 7) {
      const monday = inDays(midnight, (7 - weekday(cur)) % 7)
      return at(wallMs(normalise(monday)) <= wallMs(cur) ? inDays(monday, 7) : monday)
    }
    if (days === 30) return firstOfNextMonth()
    return at(inDays(midnight, days))
  }
  if (unit === 'mo') return n === 1 ? firstOfNextMonth() : undefined
  if (unit === 'h' || unit === 'm' || unit === 's') {
    if (n === 0) return new Date(now.getTime())
    let hour = cur.hour
    let minute = unit === 'h' ? 0 : cur.minute
    let second = unit === 's' ? cur.second : 0
    if (unit === 'h') hour = cur.hour + n - (cur.hour % n)
    if (unit === 'm') minute = cur.minute + n - (cur.minute % n)
    if (unit === 's') {
      second = cur.second + n - (cur.second % n)
      minute = cur.minute + Math.floor(second / 60)
      second %= 60
    }
    hour += Math.floor(minute / 60)
    minute %= 60
    if (hour >= 24) return at({...inDays(midnight, 1), hour: hour % 24, minute, second})
    return at({...cur, hour, minute, second, ms: 0})
  }
  return at(inDays(midnight, 1))
}
