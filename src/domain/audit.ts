/**
 * `keys audit`: keys whose budget is set dangerously. Pure: rows and `now` in, findings out.
 *
 * The worst case is the LiteLLM trap of litellm-api.md §4: a budget meant to be monthly that the proxy
 * resets every night (a word such as `monthly` stored as `budget_duration`, or `1mo` on older proxies),
 * so the "monthly" limit is really a daily one, 30 times larger.
 */
import type {KeyRow} from '../core/wire.js'
import {describePeriod, shellRef} from './keys-fields.js'
import {summarizeKey, type KeySummary} from './key-summary.js'
import {isMonthlyDuration, isWordDuration, monthlyResetState, storedWordReading} from './monthly-reset.js'
import {parseTimestamp, PERIOD_WORDS} from './period.js'
import {InputError} from '../core/errors.js'
import {hasOwnKey} from '../core/own.js'
import {windowStatuses} from './budget-windows.js'

export const AUDIT_CODES = ['word-duration', 'resets-daily', 'reset-misplaced', 'reset-unknown', 'reset-overdue', 'over-budget', 'no-budget', 'expired', 'blocked'] as const
export type AuditCode = (typeof AUDIT_CODES)[number]
export type Severity = 'critical' | 'warning' | 'info'

export interface AuditFinding {
  alias: string | null
  keyName: string | null
  hash: string | null
  code: AuditCode
  severity: Severity
  message: string
  /** A command that fixes it (placeholders in <angle brackets> need a decision). */
  fix: string
  /** The budget window (`budget_limits` entry, by its duration) the finding is about; null for the key's own budget. */
  window: string | null
}

export interface AuditResult {
  checked: number
  findings: AuditFinding[]
  counts: Record<Severity, number>
}

const SEVERITY_RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2}

/** `--ignore blocked,expired`: known codes only. */
export function parseAuditCodes(input: string): AuditCode[] {
  const parts = input
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  for (const p of parts) {
    if (!(AUDIT_CODES as readonly string[]).includes(p)) {
      throw new InputError(`unknown finding '${p}': use one of ${AUDIT_CODES.join(', ')}`, '--ignore blocked,expired')
    }
  }
  return parts as AuditCode[]
}

const fmtWhen = (d: Date | undefined, now: Date): string => {
  if (!d) return 'unknown'
  const hours = (d.getTime() - now.getTime()) / 3600e3
  const rel = Math.abs(hours) < 48 ? `${Math.round(Math.abs(hours))} h` : `${Math.round(Math.abs(hours) / 24)} days`
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${hours >= 0 ? `in ${rel}` : `${rel} ago`}`
}

function wordFor(duration: string): string {
  const d = duration.trim().toLowerCase()
  if (hasOwnKey(PERIOD_WORDS, d)) return d
  if (/^month/.test(d) || d === '1month') return 'monthly'
  if (/^week/.test(d)) return 'weekly'
  if (/^(day|daily)/.test(d)) return 'daily'
  if (/^hour/.test(d)) return 'hourly'
  return 'monthly'
}

export interface AuditOptions {
  /** Names the CLI in fix commands (default `keyward`). */
  bin?: string
  /** Money in messages; the command passes the one formatter of src/output (domain does not import it). */
  formatUsd?: (n: number | null) => string
}

const plainUsd = (n: number | null): string => (n === null ? '-' : `$${n.toFixed(2)}`)

/** Findings for one key. */
export function auditKey(row: KeyRow, now: Date, opts: AuditOptions & {hash?: string} = {}): AuditFinding[] {
  const s: KeySummary = summarizeKey(row, now, opts.hash)
  const bin = opts.bin ?? 'keyward'
  const formatUsd = opts.formatUsd ?? plainUsd
  const ref = shellRef(s.alias, s.hash)
  const name = s.alias ? `'${s.alias}'` : (s.keyName ?? 'a key without alias')
  const base = {alias: s.alias, keyName: s.keyName, hash: s.hash}
  const out: AuditFinding[] = []
  const add = (code: AuditCode, severity: Severity, message: string, fix: string, window: string | null = null) =>
    out.push({...base, code, severity, message, fix, window})
  const resetAt = parseTimestamp(row.budget_reset_at)
  const duration = s.duration
  const hasBudget = s.budget !== null

  if (duration && isWordDuration(duration)) {
    const word = wordFor(duration)
    const reading = storedWordReading(duration, resetAt, now)
    const nightly = reading === 'nightly'
    const what = hasOwnKey(PERIOD_WORDS, duration.trim().toLowerCase()) || /^[a-z]+$/i.test(duration.trim()) ? 'a word' : 'not a LiteLLM duration'
    // LiteLLM 1.95+ reads the words (next reset on the 1st for 'monthly'): then it is only fragile, not wrong
    const readAsPeriod = reading === 'read-as-period'
    const consequence = nightly
      ? `this proxy resets it DAILY (next reset ${fmtWhen(resetAt, now)})`
      : readAsPeriod
        ? `this proxy reads it (next reset ${fmtWhen(resetAt, now)}), but LiteLLM before 1.95 resets such budgets every night`
        : 'many LiteLLM versions reset such budgets every night'
    add('word-duration', readAsPeriod && !nightly ? 'warning' : 'critical', `budget_duration '${duration}' is ${what}: ${consequence}`, `${bin} keys update ${ref} --period ${word}`)
  } else if (duration && isMonthlyDuration(duration) && hasBudget) {
    const state = monthlyResetState(resetAt, now)
    if (state === 'daily') {
      add('resets-daily', 'critical', `${describePeriod(duration)} budget of ${formatUsd(s.budget)} resets at ${fmtWhen(resetAt, now)}, not at the start of a month: the proxy resets it DAILY`, `${bin} keys update ${ref} --period monthly`)
    } else if (state === 'misplaced') {
      add('reset-misplaced', 'warning', `${describePeriod(duration)} budget's next reset is ${fmtWhen(resetAt, now)}: more than a month away`, `${bin} keys update ${ref} --period monthly`)
    } else if (state === 'unknown') {
      add('reset-unknown', 'warning', `${describePeriod(duration)} budget has no reset time (budget_reset_at is empty): the proxy may never reset it`, `${bin} keys update ${ref} --period monthly`)
    }
  }

  auditWindows(row, now, (code, severity, message, window) => add(code, severity, message, windowFix(bin, ref, row), window), formatUsd)

  if (!hasBudget && budgetWindowsOf(row) === 0) {
    add('no-budget', 'warning', `${name} has no budget: its spend is unlimited (${formatUsd(s.spent)} so far)`, `${bin} keys update ${ref} --budget <USD> --period monthly`)
  } else if (s.budget !== null && s.spent >= s.budget && (s.budget > 0 || s.spent > 0)) {
    const pct = s.budget > 0 ? ` (${((s.spent / s.budget) * 100).toFixed(0)}%)` : ''
    add('over-budget', 'warning', `spent ${formatUsd(s.spent)} of its ${formatUsd(s.budget)} budget${pct}: requests are refused until ${s.resetAt ? `the reset (${fmtWhen(resetAt, now)})` : 'the budget is raised'}`, `${bin} keys update ${ref} --budget <USD above ${formatUsd(s.spent)}>`)
  }
  if (s.expired) {
    add('expired', 'info', `expired on ${fmtWhen(parseTimestamp(row.expires), now)}`, `${bin} keys delete ${ref} --yes   (or renew: ${bin} keys update ${ref} --expires 90d)`)
  }
  if (s.blocked) {
    add('blocked', 'info', `${name} is blocked: the proxy refuses its requests`, `${bin} keys unblock ${ref}   (or remove it: ${bin} keys delete ${ref} --yes)`)
  }
  return out
}

/** A window reset this long past is overdue: LiteLLM's reset job runs about every 10 minutes (PROXY_BUDGET_RESCHEDULER_MAX_TIME, 605 s). */
const OVERDUE_MS = 3600e3

const budgetWindowsOf = (row: KeyRow): number => windowStatuses(row.budget_limits, undefined).length

/** Sending the key's windows again makes the proxy set each window's reset anew (key_management_endpoints: reset_at per window on update). */
function windowFix(bin: string, ref: string, row: KeyRow): string {
  return `${bin} keys update ${ref} ${windowStatuses(row.budget_limits, undefined).map((w) => `--limit ${w.budget}/${w.duration}`).join(' ')}`
}

/**
 * The budget windows (`budget_limits`, each `{budget_duration, max_budget, reset_at}`) by the rule the key's
 * own budget follows (domain/monthly-reset.ts): a monthly window (`30d`, `1mo`) whose next reset is a night
 * away resets daily, one more than a month away is misplaced. Any window without a reset is never reset
 * (LiteLLM's reset job skips a window with no reset_at), and one whose reset is past has not been reset.
 */
type WindowFinding = (code: AuditCode, severity: Severity, message: string, window: string) => void

function auditWindows(row: KeyRow, now: Date, add: WindowFinding, formatUsd: (n: number | null) => string): void {
  for (const w of windowStatuses(row.budget_limits, undefined)) {
    const at = parseTimestamp(w.resetAt)
    const label = `${describePeriod(w.duration)} window (budget_limits) of ${formatUsd(w.budget)}`
    if (!at) {
      add('reset-unknown', 'warning', `${label} has no reset time (reset_at is empty): the proxy never resets it, so it is a lifetime limit`, w.duration)
    } else if (at.getTime() < now.getTime() - OVERDUE_MS) {
      add('reset-overdue', 'warning', `${label} was due to reset at ${fmtWhen(at, now)} and has not been: the proxy's budget reset job may not be running`, w.duration)
    } else if (isMonthlyDuration(w.duration)) {
      const state = monthlyResetState(at, now)
      if (state === 'daily') add('resets-daily', 'critical', `${label} resets at ${fmtWhen(at, now)}, not at the start of a month: the proxy resets it DAILY`, w.duration)
      else if (state === 'misplaced') add('reset-misplaced', 'warning', `${label}'s next reset is ${fmtWhen(at, now)}: more than a month away`, w.duration)
    }
  }
}

/** Stable order: severity, then alias (keys without alias last, by hash), then code. */
export function compareFindings(a: AuditFinding, b: AuditFinding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    cmpNullable(a.alias, b.alias) ||
    cmpNullable(a.hash, b.hash) ||
    AUDIT_CODES.indexOf(a.code) - AUDIT_CODES.indexOf(b.code) ||
    // The key's own budget before its windows.
    -cmpNullable(a.window === null ? null : '', b.window === null ? null : '') ||
    cmpNullable(a.window, b.window)
  )
}

function cmpNullable(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

/** Audit many keys; `ignore` drops finding codes the caller accepts. */
export function auditKeys(rows: Iterable<KeyRow>, now: Date, opts: AuditOptions & {ignore?: readonly AuditCode[]} = {}): AuditResult {
  const ignore = new Set(opts.ignore ?? [])
  const findings: AuditFinding[] = []
  let checked = 0
  for (const row of rows) {
    checked++
    for (const f of auditKey(row, now, opts)) if (!ignore.has(f.code)) findings.push(f)
  }
  findings.sort(compareFindings)
  const counts: Record<Severity, number> = {critical: 0, warning: 0, info: 0}
  for (const f of findings) counts[f.severity]++
  return {checked, findings, counts}
}
