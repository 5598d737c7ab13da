/**
 * Several budget windows per key (`budget_limits`, litellm-api.md §16; LiteLLM 1.108.0 `BudgetLimitEntry`:
 * `{budget_duration, max_budget, reset_at}`, and `/key/info` `budget_limits_usage`:
 * `{"1d": {"current_spend": 0.0}}`). Pure: no I/O.
 */
import {InputError} from '../core/errors.js'
import type {KeySummary} from './key-summary.js'
import {labelForDuration, parsePeriod, parseTimestamp} from './period.js'
import {parseUsd} from './inputs.js'
import {budgetWindows} from './key-replace.js'

export interface BudgetWindowInput {
  budget_duration: string
  max_budget: number
}

/** `--limit 5/1d` (USD / period): one window. */
export function parseLimit(input: string): BudgetWindowInput {
  const m = /^\s*([^/]+)\/([^/]+)\s*$/.exec(input)
  if (!m) throw new InputError(`invalid --limit '${input}': use USD/PERIOD, e.g. 5/1d or 50/30d`, '--limit 5/1d --limit 50/30d')
  const max = parseUsd(m[1]!.trim(), '--limit')
  const period = parsePeriod(m[2]!.trim())
  return {budget_duration: period.duration, max_budget: max}
}

/** Several --limit flags: one window per period (a period given twice is an error). */
export function limitsToWindows(limits: readonly BudgetWindowInput[]): BudgetWindowInput[] {
  const seen = new Set<string>()
  for (const l of limits) {
    if (seen.has(l.budget_duration)) throw new InputError(`--limit for ${l.budget_duration} is given twice: one budget per window`, '--limit 5/1d --limit 50/30d')
    seen.add(l.budget_duration)
  }
  return [...limits]
}

export interface WindowStatus {
  duration: string
  budget: number
  /** From budget_limits_usage; null when the proxy did not report it. */
  spent: number | null
  remaining: number | null
  pctUsed: number | null
  resetAt: string | null
}

/** The windows of a key row with their spend (`budget_limits` + `budget_limits_usage`). */
export function windowStatuses(budgetLimits: unknown, usage: unknown): WindowStatus[] {
  const raw = typeof budgetLimits === 'string' ? safeJson(budgetLimits) : budgetLimits
  const resets = new Map<string, string>()
  if (Array.isArray(raw)) {
    for (const w of raw) {
      const r = (w as {reset_at?: unknown})?.reset_at
      const d = (w as {budget_duration?: unknown})?.budget_duration
      // parseTimestamp: a reset without a zone (Python's naive isoformat) is UTC, as the proxy means it.
      const at = typeof r === 'string' ? parseTimestamp(r) : undefined
      if (typeof d === 'string' && at) resets.set(d, at.toISOString())
    }
  }
  const u = usage && typeof usage === 'object' ? (usage as Record<string, {current_spend?: unknown}>) : {}
  return budgetWindows(raw).map((w) => {
    const cs = Object.prototype.hasOwnProperty.call(u, w.budget_duration) ? u[w.budget_duration]?.current_spend : undefined
    const spent = typeof cs === 'number' ? cs : null
    return {
      duration: w.budget_duration,
      budget: w.max_budget,
      spent,
      remaining: spent === null ? null : w.max_budget - spent,
      pctUsed: spent === null ? null : w.max_budget === 0 ? 100 : (spent / w.max_budget) * 100,
      resetAt: resets.get(w.budget_duration) ?? null,
    }
  })
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown
  } catch {
    return undefined
  }
}

/**
 * One budget window of a key in the shape `budget check` checks keys in: its own spent/budget/reset, an
 * alert-state id `<hash>#<duration>` and a label naming the window (`ci [1d window]`).
 */
export function windowAsKeySummary(key: KeySummary, w: WindowStatus): KeySummary {
  const spent = w.spent ?? 0
  return {
    ...key,
    alias: `${key.alias ?? key.keyName ?? key.hash?.slice(0, 12) ?? 'key'} [${w.duration} window]`,
    hash: key.hash ? `${key.hash}#${w.duration}` : null,
    spent,
    budget: w.budget,
    remaining: w.budget - spent,
    pctUsed: w.budget === 0 ? 100 : (spent / w.budget) * 100,
    softBudget: null,
    duration: w.duration,
    period: labelForDuration(w.duration),
    periodIsWord: false,
    resetAt: w.resetAt,
    status: key.status === 'active' && spent >= w.budget ? 'over-budget' : key.status,
    resetCheck: null,
  }
}
