/**
 * The teams and users `budget check` checks beside keys (`--scope`): each with a budget becomes one more
 * row of the same check (domain/budget-holders.ts `holderAsKeySummary`). A proxy that will not list them
 * (an old one, a key that may not) is reported and skipped, never a failure of the whole check.
 */
import type {LiteLLMClient} from '../api/client.js'
import {listTeams} from '../api/teams.js'
import {listAllUsers} from '../api/users.js'
import {KeywardError} from '../core/errors.js'
import {holderAsKeySummary, summarizeTeam, summarizeUser, type Scope} from '../domain/budget-holders.js'
import type {KeySummary} from '../domain/key-summary.js'
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
