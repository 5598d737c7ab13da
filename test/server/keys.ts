// In-memory `LiteLLM_VerificationToken` table: lookups, the budget reset job and regeneration grace periods.
import {createHash, randomBytes} from 'node:crypto'
import {computeReset} from './durations.js'
import {formatTs} from './time.js'
import type {Flavor, KeyRow} from './types.js'

/** `hash_token` (§10): sha256 hex of the full `sk-…` string. */
export const hashKey = (k: string): string => createHash('sha256').update(k, 'utf8').digest('hex')

/** `_hash_token_if_needed`: only `sk-` strings are hashed, anything else is taken as a hash (§5). */
export const toToken = (keyOrHash: string): string => (keyOrHash.startsWith('sk-') ? hashKey(keyOrHash) : keyOrHash)

/** `sk-` + 22 url-safe characters, like LiteLLM's `secrets.token_urlsafe(16)`. */
export const randomKey = (): string => `sk-${randomBytes(16).toString('base64url')}`

/** `abbreviate_api_key`: `sk-...` + last 4 characters. */
export const keyName = (key: string): string => `sk-...${key.slice(-4)}`

export function emptyKeyRow(token: string, now: string): KeyRow {
  return {
    token,
    key_name: null,
    key_alias: null,
    spend: 0,
    max_budget: null,
    budget_duration: null,
    budget_reset_at: null,
    expires: null,
    blocked: null,
    models: [],
    metadata: {},
    rpm_limit: null,
    tpm_limit: null,
    max_parallel_requests: null,
    team_id: null,
    user_id: null,
    budget_id: null,
    litellm_budget_table: null,
    model_spend: {},
    model_max_budget: {},
    aliases: {},
    config: {},
    permissions: {},
    allowed_cache_controls: [],
    soft_budget_cooldown: false,
    created_at: now,
    updated_at: now,
    created_by: null,
    updated_by: null,
  }
}

export class KeyStore {
  private readonly rows = new Map<string, KeyRow>()
  /** Old token → {new token, valid until ms}: regenerate's `grace_period` (§7). */
  private readonly grace = new Map<string, {token: string; until: number}>()

  constructor(
    readonly flavor: Flavor,
    private readonly now: () => Date,
  ) {}

  all(): KeyRow[] {
    return [...this.rows.values()]
  }

  /** Forget every key (a test that wants an empty proxy). */
  clear(): void {
    this.rows.clear()
    this.grace.clear()
  }

  get(token: string): KeyRow | undefined {
    return this.rows.get(token)
  }

  /** A raw key or hash, following a regenerated key's grace period. */
  lookup(keyOrHash: string): KeyRow | undefined {
    const token = toToken(keyOrHash)
    const row = this.rows.get(token)
    if (row) return row
    const g = this.grace.get(token)
    return g && g.until > this.now().getTime() ? this.rows.get(g.token) : undefined
  }

  byAlias(alias: string): KeyRow | undefined {
    return this.all().find((r) => r.key_alias === alias)
  }

  /** Alias first, then raw key or hash (for the test controls). */
  find(aliasOrKeyOrHash: string): KeyRow | undefined {
    return this.byAlias(aliasOrKeyOrHash) ?? this.lookup(aliasOrKeyOrHash)
  }

  aliasTaken(alias: string, exceptToken?: string): boolean {
    return this.all().some((r) => r.key_alias === alias && r.token !== exceptToken)
  }

  insert(row: KeyRow): void {
    this.rows.set(row.token, row)
  }

  delete(token: string): boolean {
    return this.rows.delete(token)
  }

  /** Moves a row to a new token (regenerate); the old token stays valid for `graceMs`. */
  rekey(row: KeyRow, newToken: string, graceMs: number): void {
    const old = row.token
    this.rows.delete(old)
    row.token = newToken
    this.rows.set(newToken, row)
    if (graceMs > 0) this.grace.set(old, {token: newToken, until: this.now().getTime() + graceMs})
  }

  /**
   * `ResetBudgetJob._reset_budget_common` (§4): zero the spend of every key whose `budget_reset_at` has passed
   * and recompute the next reset with the same function, so a fallback-to-midnight repeats nightly.
   */
  runResetJob(): void {
    const now = this.now()
    for (const row of this.rows.values()) {
      if (!row.budget_reset_at || !row.budget_duration) continue
      if (Date.parse(row.budget_reset_at) > now.getTime()) continue
      const r = computeReset(this.flavor, row.budget_duration, now)
      row.spend = 0
      row.budget_reset_at = r.ok ? formatTs(r.resetAt, this.flavor) : null
      row.updated_at = formatTs(now, this.flavor)
    }
  }
}
