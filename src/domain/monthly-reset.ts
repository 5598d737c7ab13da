/**
 * The one owner of the rule "a monthly budget must not reset daily" (litellm-api.md §4): many LiteLLM
 * versions store a word such as `monthly` as `budget_duration` and then reset the budget every night, so
 * a "monthly" limit becomes a daily one, 30 times larger. keyward never sends a word (`parsePeriod` in
 * period.ts sends monthly as 30d); everything that judges a stored budget asks this module: a key's
 * summary (`monthlyResetCheck`), the audit (`monthlyResetState`), alerts and forecasts (`resetsNightly`),
 * and the warning after create, update, rotate, info, openclaw connect and status (`dailyResetRisk`).
 */
import {DURATION_RE, isPeriodWord, LITELLM_WORD_ALIASES} from './period.js'

/** A stored duration that is a word (e.g. `monthly`): older proxies reset such budgets every night. */
export function isWordDuration(duration: string | null | undefined): boolean {
  // No trim: LiteLLM's reset parser matches from the first character, so a stored ' 30d' resets nightly.
  // (A trailing blank is harmless to it: its match is not anchored at the end.)
  return Boolean(duration) && !DURATION_RE.test(String(duration).trimEnd())
}

/**
 * A stored word (`monthly`, `weekly`, …) that resets every night on this proxy. Releases before 1.95
 * reset every word at the next midnight; newer ones read `hourly/daily/weekly/monthly` as `1h/24h/7d/30d`
 * (`_BUDGET_DURATION_WORD_ALIASES`) and store the word as sent. A reset 25 h or more away cannot be the
 * nightly fallback, so the proxy read the alias; `daily` resets nightly either way, as meant.
 */
export function wordResetsNightly(duration: string | null | undefined, resetAt: Date | undefined, now: Date): boolean {
  if (!isWordDuration(duration)) return false
  const alias = LITELLM_WORD_ALIASES[String(duration).trim().toLowerCase()]
  if (alias === '24h') return false
  return !(alias && resetAt && resetAt.getTime() - now.getTime() >= 25 * 3600e3)
}

/** Meant as a monthly budget: `30d`, `1mo`, or the word `monthly`. */
export function isMonthlyDuration(duration: string | null | undefined): boolean {
  const d = String(duration ?? '').trim().toLowerCase()
  return d === '30d' || d === '1mo' || d === 'monthly'
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

/** For a budget meant to be monthly, whether the proxy really resets it monthly; null for other periods. */
export function monthlyResetCheck(duration: string | null | undefined, resetAt: Date | undefined, now: Date): ResetVerdict | null {
  return isMonthlyDuration(duration) ? verifyMonthlyReset(resetAt, now) : null
}

export type MonthlyResetState = 'ok' | 'daily' | 'misplaced' | 'unknown'

/** A reset on a whole quarter hour: what a proxy's calendar logic produces, unlike a rolling `now + 30d`. */
function onQuarterHour(d: Date): boolean {
  return d.getUTCMilliseconds() === 0 && d.getUTCSeconds() === 0 && d.getUTCMinutes() % 15 === 0
}

/**
 * Where the next reset of a monthly budget is, judged at any time in the budget's life (not only right
 * after creation): at a month boundary (newer proxies) or anywhere for a rolling reset (older proxies,
 * `created + 30 days`, so it can be near without being wrong). A reset within ~25 h on a whole hour that
 * is not at a month boundary is the nightly fallback; one more than ~33 days away is not monthly either.
 */
export function monthlyResetState(resetAt: Date | undefined, now: Date): MonthlyResetState {
  const verdict = verifyMonthlyReset(resetAt, now)
  if (verdict.status === 'unknown' || !resetAt) return 'unknown'
  if (verdict.status === 'resets-daily') return onQuarterHour(resetAt) ? 'daily' : 'ok'
  const days = (resetAt.getTime() - now.getTime()) / 86_400_000
  return days > 33 ? 'misplaced' : 'ok'
}

/**
 * The proxy will reset this budget every night: a monthly budget whose next reset is tonight, or a
 * stored word this proxy resets nightly (alerts and forecasts count such a budget per day).
 */
export function resetsNightly(duration: string | null | undefined, resetCheck: ResetVerdict | null | undefined, resetAt: Date | undefined, now: Date): boolean {
  return resetCheck?.status === 'resets-daily' || wordResetsNightly(duration, resetAt, now)
}

/**
 * Whether to warn that a "monthly" budget will reset daily. Right after a create (or a period change)
 * any reset within ~25 h is the trap; for an existing key only a reset that looks like the nightly
 * fallback is (a rolling monthly reset can be near without being wrong).
 */
export function dailyResetRisk(k: {resetCheck: ResetVerdict | null}, resetAt: Date | undefined, now: Date, opts: {existing?: boolean} = {}): boolean {
  if (k.resetCheck?.status !== 'resets-daily') return false
  return !opts.existing || monthlyResetState(resetAt, now) === 'daily'
}

/**
 * How this proxy treats a stored word (`monthly`, …) as far as its next reset tells: `nightly` when the
 * reset is within ~25 h and looks like the nightly fallback, `read-as-period` when a word LiteLLM 1.95+
 * knows resets 25 h or more away (it read the word), else `unknown`.
 */
export function storedWordReading(duration: string, resetAt: Date | undefined, now: Date): 'nightly' | 'read-as-period' | 'unknown' {
  if (!resetAt) return 'unknown'
  const hours = (resetAt.getTime() - now.getTime()) / 3600e3
  if (hours < 25 && monthlyResetState(resetAt, now) !== 'ok') return 'nightly'
  return isPeriodWord(duration) && hours >= 25 ? 'read-as-period' : 'unknown'
}
