/**
 * Whether a key's team or user budget binds before its own (litellm-api.md §16: a key in a team is
 * limited by both). Reads /team/info and /user/info; a proxy or key that may not read them is no error
 * (the key's own details stand).
 */
import type {LiteLLMClient} from '../api/client.js'
import {detectFeatures} from '../api/health.js'
import {teamInfo} from '../api/teams.js'
import {userInfo} from '../api/users.js'
import {KeywardError} from '../core/errors.js'
import {summarizeTeam, summarizeUser, tighterLimit, type HolderSummary} from '../domain/budget-holders.js'
import type {KeySummary} from '../domain/key-summary.js'

export async function tighterHolder(client: LiteLLMClient, key: Pick<KeySummary, 'teamId' | 'userId' | 'remaining'>): Promise<HolderSummary | undefined> {
  const holders: Array<HolderSummary | undefined> = []
  const soft = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read()
    } catch (error) {
      if (error instanceof KeywardError && error.kind !== 'interrupted') return undefined
      throw error
    }
  }
  if (key.teamId) {
    const t = await soft(() => teamInfo(client, key.teamId!))
    if (t) holders.push(summarizeTeam({...t.team_info, team_id: key.teamId}, key.teamId, t.keys?.length))
  }
  if (key.userId) {
    const u = await soft(() => userInfo(client, key.userId!))
    if (u?.user_info) holders.push(summarizeUser(u.user_info, key.userId, u.keys?.length))
  }
  return tighterLimit(key.remaining, holders)
}

/**
 * `keys create --team T --budget B`: a warning when the team has less left than the new key's budget
 * (the team's budget binds first), undefined otherwise or when the team cannot be read.
 */
export async function teamBudgetWarning(client: LiteLLMClient, teamId: string, budget: number | undefined): Promise<string | undefined> {
  let info
  try {
    info = await teamInfo(client, teamId)
  } catch {
    // The key exists by now: nothing here may keep its secret from being printed.
    return undefined
  }
  const team = summarizeTeam({...info.team_info, team_id: teamId}, teamId)
  if (team.remaining === null) return undefined
  if (budget !== undefined && team.remaining >= budget) return undefined
  const left = `$${team.remaining.toFixed(2)}`
  return budget === undefined
    ? `team '${teamId}' has ${left} left of its budget: the new key can spend no more than that`
    : `team '${teamId}' has only ${left} left of its budget, less than the new key's $${budget.toFixed(2)}: the team's budget will stop the key first`
}

/**
 * `--limit` needs `budget_limits`: detected from the proxy's /openapi.json (never from its version).
 * An older LiteLLM would drop the field silently and leave the key without its windows, so refuse (exit 6).
 */
export async function requireBudgetLimits(client: LiteLLMClient): Promise<void> {
  const features = await detectFeatures(client)
  if (features.budgetLimits) return
  throw new KeywardError('unsupported', `--limit is not supported by this proxy: its /openapi.json has no budget_limits (several budget windows per key), so nothing was sent`, {
    suggestions: ['Use one window with --budget and --period, or upgrade LiteLLM (budget_limits arrived in 2026)'],
  })
}
