/**
 * Budget verdicts and alert decisions for `keyward budget check`. Pure: the clock and the record of
 * alerts already delivered are parameters; nothing here reads a file or sends a request.
 *
 * An alert is identified by (key, budget window, marker). Markers: `threshold:<pct>`, `exhausted`,
 * `forecast` (all re-armed by a new window), and `problem:<kind>` (not tied to a window: re-armed
 * when the problem goes away and comes back).
 */
import {ExitCode} from '../core/exit-codes.js'
import {currentWindow, forecastSpend, recentPacePerDay, type Window} from './forecast.js'
import type {KeySummary} from './key-summary.js'
import {resetsNightly} from './monthly-reset.js'
import {parseTimestamp} from './period.js'

export type Verdict = 'ok' | 'threshold' | 'forecast' | 'resets-daily' | 'exhausted' | 'no-budget'

/**
 * The one decision: a verdict's exit code. The table, the JSON and the process exit code all read it,
 * so they cannot disagree.
 */
export const VERDICT_EXIT_CODE: Readonly<Record<Verdict, number>> = {
  ok: ExitCode.OK,
  'no-budget': ExitCode.OK,
  threshold: ExitCode.THRESHOLD,
  forecast: ExitCode.THRESHOLD,
  'resets-daily': ExitCode.THRESHOLD,
  exhausted: ExitCode.EXHAUSTED,
}

export type ProblemKind = 'blocked' | 'reset-trap' | 'over-budget'

export interface Problem {
  kind: ProblemKind
  message: string
}

/** One key's budget state and verdict; also part of `budget check --json`. */
export interface KeyCheck extends Pick<KeySummary, 'alias' | 'keyName' | 'hash' | 'spent' | 'budget' | 'remaining' | 'pctUsed' | 'duration' | 'period' | 'resetAt'> {
  window: {start: string; end: string | null; basis: Window['basis']} | null
  /** Identifies the budget window in the alert state: `budget_reset_at`, or `lifetime`. */
  windowId: string
  burnRatePerDay: number | null
  /** The pace behind the burn rate and forecast: the whole window's, or the last days' when faster. */
  pace: 'window' | 'recent' | null
  forecastSpend: number | null
  forecastPct: number | null
  runOutAt: string | null
  forecastReliable: boolean
  /** Forecast (reliably) to run out before the window resets. */
  forecastExceeds: boolean
  verdict: Verdict
  /** The highest threshold crossed, if any. */
  threshold: number | null
  problems: Problem[]
  /** 0, 10 or 11 for this key alone: always VERDICT_EXIT_CODE[verdict]. */
  exitCode: number
}

export interface CheckOptions {
  thresholds: readonly number[]
  /** With `--forecast`: a key forecast to run out before its reset gets the verdict `forecast`. */
  forecast: boolean
  now: Date
  /** The key's `created_at` (for a budget that never resets). */
  createdAt?: string | null
  /** The key's spend per UTC day recently (from /user/daily/activity), for the recent pace. */
  recentDays?: ReadonlyArray<{date: string; spend: number}>
}

export function checkKey(s: KeySummary, opts: CheckOptions): KeyCheck {
  const {now} = opts
  const resetAt = parseTimestamp(s.resetAt)
  const window = currentWindow({duration: s.duration, resetAt, createdAt: parseTimestamp(opts.createdAt ?? undefined), resetCheck: s.resetCheck, now})
  const base = {
    alias: s.alias,
    keyName: s.keyName,
    hash: s.hash,
    spent: s.spent,
    budget: s.budget,
    remaining: s.remaining,
    pctUsed: s.pctUsed,
    duration: s.duration,
    period: s.period,
    resetAt: s.resetAt,
    window: window ? {start: window.start.toISOString(), end: window.end?.toISOString() ?? null, basis: window.basis} : null,
    windowId: window?.end ? window.end.toISOString() : s.resetAt ?? 'lifetime',
  }
  const problems: Problem[] = []
  if (s.blocked) problems.push({kind: 'blocked', message: 'the key is blocked: every request with it is refused'})
  if (s.budget !== null && resetsNightly(s.duration, s.resetCheck, resetAt, now)) {
    const hours = s.resetCheck?.status === 'resets-daily' ? ` (next reset in ${Math.round(s.resetCheck.hoursUntilReset)} h)` : ''
    problems.push({kind: 'reset-trap', message: `budget_duration '${s.duration}' makes the proxy reset this budget every night${hours}: set it to 30d for a monthly budget`})
  }
  if (s.budget === null) {
    return {...base, burnRatePerDay: null, pace: null, forecastSpend: null, forecastPct: null, runOutAt: null, forecastReliable: false, forecastExceeds: false, verdict: 'no-budget', threshold: null, problems, exitCode: ExitCode.OK}
  }
  const f = forecastSpend(
    {spent: s.spent, budget: s.budget, window, now, recentRatePerDay: opts.recentDays ? recentPacePerDay(opts.recentDays, window, now) : null},
  )
  const pct = s.pctUsed ?? 0
  const crossed = opts.thresholds.filter((t) => pct >= t)
  const threshold = crossed.length > 0 ? Math.max(...crossed) : null
  const exhausted = s.spent >= s.budget
  if (s.spent > s.budget) problems.push({kind: 'over-budget', message: `spend is over the budget by $${(s.spent - s.budget).toFixed(2)} (the proxy enforces budgets with a delay)`})
  let verdict: Verdict = 'ok'
  if (exhausted) verdict = 'exhausted'
  else if (threshold !== null) verdict = 'threshold'
  else if (opts.forecast && f.exceedsBeforeReset && f.reliable) verdict = 'forecast'
  // A budget that resets every night does not limit what it should: a warning, like a threshold.
  else if (problems.some((p) => p.kind === 'reset-trap')) verdict = 'resets-daily'
  const forecastExceeds = f.exceedsBeforeReset && f.reliable
  // A blocked key's budget counts like any other's (an exhausted key exits 11, blocked or not); being
  // blocked is alerted once, as a problem, and changes no verdict: blocking is often deliberate.
  const exitCode = VERDICT_EXIT_CODE[verdict]
  return {
    ...base,
    burnRatePerDay: f.burnRatePerDay,
    pace: f.burnRatePerDay === null ? null : f.pace,
    forecastSpend: f.forecastSpend,
    forecastPct: f.forecastPct,
    runOutAt: f.runOutAt?.toISOString() ?? null,
    forecastReliable: f.reliable,
    forecastExceeds,
    verdict,
    threshold,
    problems,
    exitCode,
  }
}

/** The worst exit code over all keys (0 when there are none). */
export function overallExitCode(checks: readonly KeyCheck[]): number {
  return checks.reduce<number>((code, c) => Math.max(code, c.exitCode), ExitCode.OK)
}

export type AlertEvent = 'threshold_crossed' | 'budget_exhausted' | 'forecast_exceeds' | 'budget_problem'

export interface DueAlert {
  event: AlertEvent
  /** The marker that identifies it in the state. */
  marker: string
  /** Markers recorded when it is delivered (e.g. an 80% alert also covers 50%). */
  covers: string[]
  threshold: number | null
  problem: Problem | null
  severity: 'warning' | 'critical'
}

const thresholdMarker = (t: number) => `threshold:${t}`

function markedThresholds(sent: ReadonlySet<string>): number[] {
  return [...sent].filter((m) => m.startsWith('threshold:')).map((m) => Number(m.slice('threshold:'.length))).filter((n) => Number.isFinite(n))
}

/**
 * The alerts due for one key and one destination, given the markers already delivered there in the
 * key's current window (`sent`) and the problem markers delivered there (`sentProblems`).
 * At most one budget alert per run (the most severe); a problem alert per problem.
 */
export function dueAlerts(
  check: KeyCheck,
  sent: ReadonlySet<string>,
  sentProblems: ReadonlySet<string>,
  opts: {forecast: boolean; thresholds: readonly number[]},
): DueAlert[] {
  const due: DueAlert[] = []
  if (check.budget !== null) {
    const pct = check.pctUsed ?? 0
    const crossed = opts.thresholds.filter((t) => pct >= t).map(thresholdMarker)
    const highestSent = Math.max(-Infinity, ...markedThresholds(sent))
    if (check.verdict === 'exhausted' && !sent.has('exhausted')) {
      due.push({event: 'budget_exhausted', marker: 'exhausted', covers: ['exhausted', ...crossed], threshold: check.threshold, problem: null, severity: 'critical'})
    } else if (check.threshold !== null && check.threshold > highestSent) {
      // The message carries the forecast too, so it also stands for the forecast alert.
      const covers = opts.forecast && check.forecastExceeds ? [...crossed, 'forecast'] : crossed
      due.push({event: 'threshold_crossed', marker: thresholdMarker(check.threshold), covers, threshold: check.threshold, problem: null, severity: check.verdict === 'exhausted' ? 'critical' : 'warning'})
    } else if (opts.forecast && check.forecastExceeds && check.verdict !== 'exhausted' && !sent.has('forecast')) {
      due.push({event: 'forecast_exceeds', marker: 'forecast', covers: ['forecast'], threshold: null, problem: null, severity: 'warning'})
    }
  }
  for (const p of check.problems) {
    // Overspend is told by the exhausted alert.
    if (p.kind === 'over-budget') continue
    const marker = `problem:${p.kind}`
    if (!sentProblems.has(marker)) due.push({event: 'budget_problem', marker, covers: [marker], threshold: null, problem: p, severity: 'warning'})
  }
  return due
}

/**
 * Markers that still hold for the key as it is now. A threshold the spend has dropped below (budget
 * raised, spend reset by hand) is re-armed, and so is `exhausted`; a problem that went away too.
 * `forecast` stays for the whole window, so a pace that wobbles around the line does not flap.
 */
export function stillValidMarkers(check: KeyCheck, sent: Iterable<string>): string[] {
  const pct = check.pctUsed ?? 0
  const problems = new Set(check.problems.map((p) => `problem:${p.kind}`))
  return [...sent].filter((m) => {
    if (m.startsWith('threshold:')) return pct >= Number(m.slice('threshold:'.length))
    if (m === 'exhausted') return check.verdict === 'exhausted'
    if (m.startsWith('problem:')) return problems.has(m)
    return true
  })
}

/** How a key is named in messages: its alias, else `sk-...WXYZ`, else the start of its hash. */
export function checkLabel(c: Pick<KeyCheck, 'alias' | 'keyName' | 'hash'>): string {
  return c.alias ?? c.keyName ?? (c.hash ? `${c.hash.slice(0, 12)}…` : '(unnamed key)')
}
