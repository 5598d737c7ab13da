/**
 * Rules of `keys rotate --replace` (a rotation with open-source endpoints only). Pure: no I/O, no clock.
 *
 * - The new key gets the old key's settings: models, budget and period, soft budget, rate limits,
 *   metadata, team, user, budget windows (`budget_limits`). Not its expiry, and not its spend as such.
 * - Spend carry: when the alias moves, the old key has spent S of its budget B in the current window.
 *   The old key may spend a grace share G more while it still works (its max_budget becomes S + G);
 *   the new key starts the window with S + G counted as spent (same max_budget B, so it can spend
 *   B - S - G). Together they cannot spend more than B in this window; at the next reset the proxy
 *   sets the new key's spend to 0, and it has the whole budget again.
 */
import type {KeyFields, KeyRow} from '../core/wire.js'

/** The fields the new key is minted with (alias set by the caller). */
export type ReplaceFields = Omit<KeyFields, 'metadata'> & {metadata?: Record<string, unknown>; budget_limits?: unknown[]}

export function replacementFields(old: KeyRow, tempAlias: string): ReplaceFields & {key_alias: string} {
  const f: ReplaceFields & {key_alias: string} = {key_alias: tempAlias}
  if (old.max_budget !== null && old.max_budget !== undefined) f.max_budget = old.max_budget
  if (old.budget_duration) f.budget_duration = old.budget_duration
  const soft = old.litellm_budget_table?.soft_budget ?? old.soft_budget
  if (soft !== null && soft !== undefined) f.soft_budget = soft
  if (old.models.length > 0) f.models = [...old.models]
  if (old.rpm_limit !== null && old.rpm_limit !== undefined) f.rpm_limit = old.rpm_limit
  if (old.tpm_limit !== null && old.tpm_limit !== undefined) f.tpm_limit = old.tpm_limit
  if (old.max_parallel_requests !== null && old.max_parallel_requests !== undefined) f.max_parallel_requests = old.max_parallel_requests
  if (old.team_id) f.team_id = old.team_id
  if (old.user_id) f.user_id = old.user_id
  const meta = old.metadata
  if (meta && typeof meta === 'object' && !Array.isArray(meta) && Object.keys(meta).length > 0) f.metadata = {...(meta as Record<string, unknown>)}
  const windows = budgetWindows(old.budget_limits)
  if (windows.length > 0) f.budget_limits = windows
  return f
}

/** `budget_limits` as the proxy stores it (a list, or its JSON text), reduced to what /key/generate takes. */
export function budgetWindows(raw: unknown): Array<{budget_duration: string; max_budget: number}> {
  let v = raw
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown
    } catch {
      return []
    }
  }
  if (!Array.isArray(v)) return []
  const out: Array<{budget_duration: string; max_budget: number}> = []
  for (const w of v) {
    if (w && typeof w === 'object' && typeof (w as {budget_duration?: unknown}).budget_duration === 'string' && typeof (w as {max_budget?: unknown}).max_budget === 'number') {
      out.push({budget_duration: (w as {budget_duration: string}).budget_duration, max_budget: (w as {max_budget: number}).max_budget})
    }
  }
  return out
}

const cents = (n: number): number => Math.round(n * 10_000) / 10_000

/**
 * What the old key may still spend (G) and what the new key starts with (S + G). `graceBudget`
 * undefined: half of what is left when the old key keeps working (`withGrace`), nothing when it is
 * blocked. Null when the key has no budget (nothing to share).
 */
export function spendCarry(
  maxBudget: number | null | undefined,
  spent: number,
  withGrace: boolean,
  graceBudget?: number,
): {spend: number; graceShare: number} | null {
  if (maxBudget === null || maxBudget === undefined) return null
  const left = Math.max(0, maxBudget - spent)
  const share = !withGrace ? 0 : Math.min(left, graceBudget ?? left / 2)
  return {spend: cents(spent), graceShare: cents(share)}
}

/** `<alias>-rotated-<YYYY-MM-DD>` for the first try (n = 1), then `-2`, `-3`… for another rotation on the same day. */
export function rotatedAliasFor(alias: string, day: string, n = 1): string {
  return n <= 1 ? `${alias}-rotated-${day}` : `${alias}-rotated-${day}-${n}`
}

/** The new key's alias until it takes over: fixed per alias, so two runs racing to mint collide on it. */
export function tempAliasFor(alias: string): string {
  return `${alias}-rotating`
}
