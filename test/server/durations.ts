// Duration parsing and budget reset rules (§4 of litellm-api.md).
import {DAY_MS, startOfUtcDay} from './time.js'
import type {Flavor} from './types.js'

const UNIT_SECONDS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800}

function addMonths(d: Date, n: number): Date {
  const r = new Date(d.getTime())
  const day = r.getUTCDate()
  r.setUTCDate(1)
  r.setUTCMonth(r.getUTCMonth() + n)
  const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate()
  r.setUTCDate(Math.min(day, last))
  return r
}

/**
 * `duration_in_seconds`: `re.match(r"(\d+)(mo|[smhdw]?)")` is a PREFIX match, so "30min" is 30 minutes and
 * "7days" is 7 days, while "30", "1y" and "30D" match with an empty unit and raise (HTTP 500).
 * Returns the expiry instant, or undefined when LiteLLM would raise.
 */
export function addDuration(now: Date, duration: string): Date | undefined {
  const m = /^(\d+)(mo|[smhdw]?)/.exec(duration)
  if (!m || m[2] === '') return undefined
  const n = Number(m[1])
  if (m[2] === 'mo') return addMonths(now, n)
  return new Date(now.getTime() + n * (UNIT_SECONDS[m[2]!] ?? 0) * 1000)
}

/** Newest servers (`_BUDGET_DURATION_WORD_ALIASES`, §4 behaviour 3) read word forms as these, case-insensitively, and store the word. */
const WORD_ALIASES: Record<string, string> = {hourly: '1h', daily: '24h', weekly: '7d', monthly: '30d'}

export type ResetResult = {ok: true; stored: string; resetAt: Date} | {ok: false; message: string}

const nextMidnight = (ms: number): Date => new Date(startOfUtcDay(ms) + DAY_MS)

function nextMonday(ms: number): Date {
  const today = startOfUtcDay(ms)
  const dow = new Date(today).getUTCDay() // 0 = Sunday
  const days = ((8 - dow) % 7) || 7
  return new Date(today + days * DAY_MS)
}

function firstOfNextMonth(ms: number): Date {
  const d = new Date(ms)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
}

/** Next multiple of `stepSec` counted from today's midnight, never past the next midnight. */
function clockAligned(ms: number, stepSec: number): Date {
  const day = startOfUtcDay(ms)
  const step = stepSec * 1000
  const next = day + (Math.floor((ms - day) / step) + 1) * step
  return new Date(Math.min(next, day + DAY_MS))
}

/**
 * `get_next_standardized_reset_time` (new flavour): its regex is `(\d+)([a-z]+)`, so the unit must be a whole
 * lowercase word and anything unrecognised ("30min", "1month", "7days", "30D") silently falls back to
 * next midnight, which makes a "monthly" budget reset DAILY. 30d means the 1st of next month.
 */
function standardizedReset(value: string, nowMs: number): ResetResult {
  const m = /^(\d+)([a-z]+)/.exec(value)
  const fallback: ResetResult = {ok: true, stored: value, resetAt: nextMidnight(nowMs)}
  if (!m) return fallback
  const n = Number(m[1])
  const unit = m[2]!
  const ok = (resetAt: Date): ResetResult => ({ok: true, stored: value, resetAt})
  switch (unit) {
    case 's':
    case 'm':
    case 'h':
      return ok(clockAligned(nowMs, n * UNIT_SECONDS[unit]!))
    case 'd':
      if (n === 1) return ok(nextMidnight(nowMs))
      if (n === 7) return ok(nextMonday(nowMs))
      if (n === 30) return ok(firstOfNextMonth(nowMs))
      return ok(new Date(startOfUtcDay(nowMs) + n * DAY_MS))
    case 'w':
      return ok(n === 1 ? nextMonday(nowMs) : new Date(startOfUtcDay(nowMs) + 7 * n * DAY_MS))
    case 'mo':
      if (n === 1) return ok(firstOfNextMonth(nowMs))
      return {ok: false, message: 'Monthly resets currently only support 1 month intervals'}
    default:
      return fallback
  }
}

/**
 * Old flavour (before PR #10333): resets were ROLLING, now + duration, for s/m/h/d/w; words such as
 * "monthly" are stored as is and, like "1mo" and unknown units, fall back to next midnight (the trap).
 */
function rollingReset(value: string, nowMs: number): ResetResult {
  const m = /^(\d+)([a-z]+)/.exec(value)
  const sec = m ? UNIT_SECONDS[m[2]!] : undefined
  if (!m || sec === undefined) return {ok: true, stored: value, resetAt: nextMidnight(nowMs)}
  return {ok: true, stored: value, resetAt: new Date(nowMs + Number(m[1]) * sec * 1000)}
}

/** The value LiteLLM stores for `budget_duration` and the `budget_reset_at` it computes. */
export function computeReset(flavor: Flavor, budgetDuration: string, now: Date): ResetResult {
  if (flavor === 'old') return rollingReset(budgetDuration, now.getTime())
  // The word is read as its alias but stored as sent (LiteLLM 1.108: key_budget_duration is written raw).
  const r = standardizedReset(WORD_ALIASES[budgetDuration.trim().toLowerCase()] ?? budgetDuration, now.getTime())
  return r.ok ? {...r, stored: budgetDuration} : r
}
