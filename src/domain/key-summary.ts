/**
 * A key's budget state, derived from a `/key/info` or `/key/list` row. Pure: `now` is a parameter.
 */
import type {KeyRow} from '../core/wire.js'
import {isWordDuration, monthlyResetCheck, type ResetVerdict} from './monthly-reset.js'
import {labelForDuration, parseTimestamp} from './period.js'

export type KeyStatus = 'active' | 'blocked' | 'expired' | 'over-budget'

export interface KeySummary {
  alias: string | null
  /** `sk-...WXYZ` as the proxy reports it (never the secret). */
  keyName: string | null
  /** The key's hash (`token`), when known. */
  hash: string | null
  spent: number
  budget: number | null
  remaining: number | null
  /** Spent as a percentage of the budget; null without a budget. */
  pctUsed: number | null
  softBudget: number | null
  /** The stored `budget_duration` (e.g. `30d`) and its human name (`monthly`). */
  duration: string | null
  /** `monthly`, `weekly`, `daily`, `hourly` or the duration; null without a budget period. */
  period: string | null
  /** The stored duration is a word such as `monthly`: older proxies reset such budgets every night. */
  periodIsWord: boolean
  resetAt: string | null
  expires: string | null
  blocked: boolean
  expired: boolean
  status: KeyStatus
  models: string[]
  rpmLimit: number | null
  tpmLimit: number | null
  maxParallelRequests: number | null
  teamId: string | null
  userId: string | null
  /** For a monthly budget: does the proxy really reset it monthly? */
  resetCheck: ResetVerdict | null
}

export function summarizeKey(row: KeyRow, now: Date, hash?: string): KeySummary {
  const budget = row.max_budget ?? null
  const spent = row.spend ?? 0
  const remaining = budget === null ? null : budget - spent
  const pctUsed = budget === null ? null : budget === 0 ? 100 : (spent / budget) * 100
  const expiresAt = parseTimestamp(row.expires)
  const expired = expiresAt !== undefined && expiresAt.getTime() <= now.getTime()
  const blocked = row.blocked === true
  const resetAt = parseTimestamp(row.budget_reset_at)
  const duration = row.budget_duration ?? null
  let status: KeyStatus = 'active'
  if (blocked) status = 'blocked'
  else if (expired) status = 'expired'
  else if (budget !== null && spent >= budget) status = 'over-budget'
  return {
    alias: row.key_alias ?? null,
    keyName: row.key_name ?? null,
    hash: hash ?? row.token ?? null,
    spent,
    budget,
    remaining,
    pctUsed,
    softBudget: row.litellm_budget_table?.soft_budget ?? row.soft_budget ?? null,
    duration,
    period: duration ? labelForDuration(duration) : null,
    periodIsWord: isWordDuration(duration),
    resetAt: resetAt ? resetAt.toISOString() : null,
    expires: expiresAt ? expiresAt.toISOString() : null,
    blocked,
    expired,
    status,
    models: row.models ?? [],
    rpmLimit: row.rpm_limit ?? null,
    tpmLimit: row.tpm_limit ?? null,
    maxParallelRequests: row.max_parallel_requests ?? null,
    teamId: row.team_id ?? null,
    userId: row.user_id ?? null,
    resetCheck: monthlyResetCheck(duration, resetAt, now),
  }
}
