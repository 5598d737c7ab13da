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

/** A team or user of the listed keys that could not be read (its budget is then not compared). */
export interface UnreadHolder {
  kind: 'team' | 'user'
  id: string
  reason: string
}

const HOLDER_CONCURRENCY = 4

/**
 * `keys list`: for each key, the team or user budget that binds before its own (null when its own does,
 * or it has no team or user). Each distinct team and user of the keys is read once (/team/info,
 * /user/info), a few at a time; one that cannot be read (403, 404, …) is reported in `unread` and the
 * keys in it are compared with what could be read.
 */
export async function tighterHolders<K extends Pick<KeySummary, 'teamId' | 'userId' | 'remaining'>>(
  client: LiteLLMClient,
  keys: readonly K[],
): Promise<{rows: Array<K & {limitedBy: HolderSummary | null}>; unread: UnreadHolder[]}> {
  const wanted: Array<{kind: 'team' | 'user'; id: string}> = []
  const seen = new Set<string>()
  for (const k of keys) {
    for (const [kind, id] of [['team', k.teamId], ['user', k.userId]] as const) {
      if (!id || seen.has(`${kind}:${id}`)) continue
      seen.add(`${kind}:${id}`)
      wanted.push({kind, id})
    }
  }
  const found = new Map<string, HolderSummary>()
  const unread: UnreadHolder[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const {kind, id} = wanted[next++]!
      try {
        if (kind === 'team') {
          const t = await teamInfo(client, id)
          found.set(`team:${id}`, summarizeTeam({...t.team_info, team_id: id}, id, t.keys?.length))
        } else {
          const u = await userInfo(client, id)
          found.set(`user:${id}`, summarizeUser(u.user_info!, id, u.keys?.length))
        }
      } catch (error) {
        if (!(error instanceof KeywardError) || error.kind === 'interrupted') throw error
        unread.push({kind, id, reason: error.message})
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(HOLDER_CONCURRENCY, wanted.length)}, worker))
  // Reported in the order the keys name them, however the requests finished.
  const order = new Map(wanted.map((w, i) => [`${w.kind}:${w.id}`, i]))
  unread.sort((a, b) => order.get(`${a.kind}:${a.id}`)! - order.get(`${b.kind}:${b.id}`)!)
  const rows = keys.map((k) => {
    const holders = [k.teamId ? found.get(`team:${k.teamId}`) : undefined, k.userId ? found.get(`user:${k.userId}`) : undefined]
    return {...k, limitedBy: tighterLimit(k.remaining, holders) ?? null}
  })
  return {rows, unread}
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
