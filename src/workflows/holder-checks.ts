/**
 * The teams and users `budget check` checks beside keys (`--scope`): each with a budget becomes one more
 * row of the same check (domain/budget-holders.ts `holderAsKeySummary`). A proxy that will not list them
 * (an old one, a key that may not) is reported and skipped, never a failure of the whole check.
 */
import type {LiteLLMClient} from '../api/client.js'
import {keyInfo} from '../api/keys.js'
import {listTeams} from '../api/teams.js'
import {listAllUsers} from '../api/users.js'
import {KeywardError} from '../core/errors.js'
import {holderAsKeySummary, summarizeTeam, summarizeUser, type Scope} from '../domain/budget-holders.js'
import {summarizeKey, type KeySummary} from '../domain/key-summary.js'
import {windowAsKeySummary, windowStatuses} from '../domain/budget-windows.js'
import {budgetWindows} from '../domain/key-replace.js'
import type {KeyRow} from '../core/wire.js'
import type {Notes} from './notes.js'

export async function holderSummaries(client: LiteLLMClient, scope: readonly Scope[], all: boolean, now: Date, notes: Notes): Promise<KeySummary[]> {
  const out: KeySummary[] = []
  const keep = (s: KeySummary) => all || s.budget !== null
  if (scope.includes('teams')) {
    try {
      for (const t of await listTeams(client)) {
        const s = holderAsKeySummary(summarizeTeam(t, t.team_id), now)
        if (keep(s)) out.push(s)
      }
    } catch (error) {
      if (!(error instanceof KeywardError) || error.kind === 'interrupted') throw error
      notes.warn(`could not list the teams (${error.message}); team budgets not checked`)
    }
  }
  if (scope.includes('users')) {
    try {
      for await (const u of listAllUsers(client)) {
        const s = holderAsKeySummary(summarizeUser(u, u.user_id), now)
        if (keep(s)) out.push(s)
      }
    } catch (error) {
      if (!(error instanceof KeywardError) || error.kind === 'interrupted') throw error
      notes.warn(`could not list the users (${error.message}); user budgets not checked`)
    }
  }
  return out
}

/**
 * Every budget window (budget_limits) of the selected keys, as extra rows of the check. /key/list carries
 * the windows but not their spend, so each key that has windows is read once with /key/info
 * (budget_limits_usage); a window whose spend the proxy does not report is skipped with a warning.
 */
export async function windowSummaries(
  client: LiteLLMClient,
  keys: ReadonlyArray<{hash: string | null; row: KeyRow}>,
  now: Date,
  notes: Notes,
): Promise<KeySummary[]> {
  const out: KeySummary[] = []
  for (const {hash, row} of keys) {
    if (!hash || budgetWindows(row.budget_limits).length === 0) continue
    const full = row.budget_limits_usage !== undefined ? row : (await keyInfo(client, hash)).info
    const key = summarizeKey(full, now, hash)
    for (const w of windowStatuses(full.budget_limits, full.budget_limits_usage)) {
      if (w.spent === null) {
        notes.warn(`${key.alias ?? hash.slice(0, 12)}: the proxy does not report the spend of its ${w.duration} window (budget_limits_usage); that window is not checked`)
        continue
      }
      out.push(windowAsKeySummary(key, w))
    }
  }
  return out
}
