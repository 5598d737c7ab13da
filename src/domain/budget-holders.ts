/**
 * Teams and users as budget holders (litellm-api.md §16): each has its own max_budget, period, reset and
 * spend, and a key in a team is limited by both its own budget and the team's. Pure: no I/O.
 */
import type {TeamRow, UserRow} from '../core/wire-orgs.js'
import {InputError} from '../core/errors.js'
import type {KeySummary} from './key-summary.js'
import {isMonthlyDuration, isWordDuration, verifyMonthlyReset} from './monthly-reset.js'
import {labelForDuration, parseTimestamp} from './period.js'

export type HolderKind = 'team' | 'user'
export type HolderStatus = 'active' | 'blocked' | 'over-budget'

export interface HolderSummary {
  kind: HolderKind
  id: string
  /** team_alias, or user_alias / user_email. */
  name: string | null
  spent: number
  budget: number | null
  remaining: number | null
  pctUsed: number | null
  softBudget: number | null
  duration: string | null
  period: string | null
  resetAt: string | null
  /** Keys in the team / of the user, when the answer tells. */
  keys: number | null
  status: HolderStatus
}

interface BudgetColumns {
  spend: number
  max_budget?: number | null
  soft_budget?: number | null
  budget_duration?: string | null
  budget_reset_at?: string | null
}

function base(kind: HolderKind, id: string, name: string | null, r: BudgetColumns, keys: number | null, blocked: boolean): HolderSummary {
  const budget = r.max_budget ?? null
  const spent = r.spend
  const reset = parseTimestamp(r.budget_reset_at)
  const duration = r.budget_duration ?? null
  return {
    kind,
    id,
    name,
    spent,
    budget,
    remaining: budget === null ? null : budget - spent,
    pctUsed: budget === null ? null : budget === 0 ? 100 : (spent / budget) * 100,
    softBudget: r.soft_budget ?? null,
    duration,
    period: duration ? labelForDuration(duration) : null,
    resetAt: reset ? reset.toISOString() : null,
    keys,
    status: blocked ? 'blocked' : budget !== null && spent >= budget ? 'over-budget' : 'active',
  }
}

export function summarizeTeam(t: TeamRow & {team_id?: string | null}, id: string, keyCount?: number): HolderSummary {
  return base('team', id, t.team_alias ?? null, t, keyCount ?? (t.keys ? t.keys.length : null), t.blocked === true)
}

export function summarizeUser(u: Omit<UserRow, 'user_id'>, id: string, keyCount?: number): HolderSummary {
  return base('user', id, u.user_alias ?? u.user_email ?? null, u, keyCount ?? u.key_count ?? null, false)
}

/**
 * The limit that binds first for a key: its own remaining budget, or its team's or user's when that is
 * smaller. Undefined when the key's own budget is the tighter one (or nothing else has a budget).
 */
export function tighterLimit(keyRemaining: number | null, holders: readonly (HolderSummary | undefined)[]): HolderSummary | undefined {
  let best: HolderSummary | undefined
  for (const h of holders) {
    if (!h || h.remaining === null) continue
    if (keyRemaining !== null && h.remaining >= keyRemaining) continue
    if (!best || h.remaining < best.remaining!) best = h
  }
  return best
}

export interface HolderTotals {
  count: number
  spent: number
  budget: number
}

export function holderTotals(rows: readonly HolderSummary[]): HolderTotals {
  return {count: rows.length, spent: rows.reduce((s, r) => s + r.spent, 0), budget: rows.reduce((s, r) => s + (r.budget ?? 0), 0)}
}

export const SCOPES = ['keys', 'teams', 'users'] as const
export type Scope = (typeof SCOPES)[number]

/** `--scope keys,teams,users` (any subset, comma-separated). */
export function parseScope(input: string): Scope[] {
  const parts = input.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
  const out: Scope[] = []
  for (const p of parts) {
    const s = (p === 'key' || p === 'team' || p === 'user' ? `${p}s` : p) as Scope
    if (!SCOPES.includes(s)) throw new InputError(`invalid scope '${p}': use keys, teams or users (comma-separated)`, '--scope keys,teams')
    if (!out.includes(s)) out.push(s)
  }
  if (out.length === 0) throw new InputError('--scope is empty: use keys, teams or users (comma-separated)', '--scope keys,teams')
  return out
}

/**
 * A team or user in the shape `budget check` checks keys in, so thresholds, forecasts, de-duplication
 * and exit codes are the same. Its alert-state id (`hash`) is `team:<id>` / `user:<id>` (never a key's
 * sha256), and its label says the level: `team team-a (Platform)`.
 */
export function holderAsKeySummary(h: HolderSummary, now: Date): KeySummary {
  const label = `${h.kind} ${h.id}${h.name ? ` (${h.name})` : ''}`
  return {
    alias: label,
    keyName: null,
    hash: `${h.kind}:${h.id}`,
    spent: h.spent,
    budget: h.budget,
    remaining: h.remaining,
    pctUsed: h.pctUsed,
    softBudget: h.softBudget,
    duration: h.duration,
    period: h.period,
    periodIsWord: isWordDuration(h.duration),
    resetAt: h.resetAt,
    expires: null,
    blocked: h.status === 'blocked',
    expired: false,
    status: h.status === 'over-budget' ? 'over-budget' : h.status === 'blocked' ? 'blocked' : 'active',
    models: [],
    rpmLimit: null,
    tpmLimit: null,
    maxParallelRequests: null,
    teamId: h.kind === 'team' ? h.id : null,
    userId: h.kind === 'user' ? h.id : null,
    resetCheck: isMonthlyDuration(h.duration) ? verifyMonthlyReset(parseTimestamp(h.resetAt), now) : null,
  }
}
