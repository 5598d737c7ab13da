/**
 * zod schemas for LiteLLM's key answers and the proxy's own (health, OpenAPI), from the v1.96 OpenAPI models
 * (older proxies send fewer fields). Spend answers are in wire-spend.ts, models in wire-models.ts, teams and
 * users in wire-orgs.ts: a command builds only the schemas of the answers it reads (each z.object costs
 * start-up time).
 * Lenient: unknown fields are dropped, most fields may be null or absent. Required fields are only
 * those keyward cannot work without.
 */
import {z} from 'zod'

import {num, objectish, str} from './wire-fields.js'

export const BudgetTableSchema = z
  .object({
    soft_budget: num,
    max_budget: num,
    budget_duration: str,
    budget_reset_at: str,
  })
  .nullish()

export const KeyRowSchema = z.object({
  token: str,
  key_name: str,
  key_alias: str,
  spend: z.number().nullish().transform((v) => v ?? 0),
  max_budget: num,
  soft_budget: num,
  budget_duration: str,
  budget_reset_at: str,
  expires: str,
  blocked: z.boolean().nullish(),
  models: z.array(z.string()).nullish().transform((v) => v ?? []),
  metadata: objectish,
  rpm_limit: num,
  tpm_limit: num,
  max_parallel_requests: num,
  team_id: str,
  user_id: str,
  created_at: str,
  updated_at: str,
  model_spend: objectish,
  litellm_budget_table: BudgetTableSchema,
  /** Several budget windows (newer proxies): kept as sent, read by the domain where needed. */
  budget_limits: z.unknown().optional(),
  /** `/key/info` on newer proxies: spend in each window, `{"1d": {"current_spend": 1.5}}`. */
  budget_limits_usage: z.unknown().optional(),
})
export type KeyRow = z.infer<typeof KeyRowSchema>

export const KeyInfoSchema = z.object({
  key: z.string(),
  info: KeyRowSchema,
})
export type KeyInfo = z.infer<typeof KeyInfoSchema>

export const KeyListSchema = z.object({
  keys: z.array(z.union([z.string(), KeyRowSchema])),
  total_count: num,
  current_page: num,
  total_pages: num,
})
export type KeyList = z.infer<typeof KeyListSchema>

export const GenerateKeyResponseSchema = z.object({
  key: z.string().min(1),
  key_name: str,
  key_alias: str,
  token: str,
  token_id: str,
  expires: str,
  max_budget: num,
  budget_duration: str,
  models: z.array(z.string()).nullish(),
  created_at: str,
})
export type GenerateKeyResponse = z.infer<typeof GenerateKeyResponseSchema>

export const RegenerateKeyResponseSchema = GenerateKeyResponseSchema
export const KeyUpdateResponseSchema = z.object({key: str, token: str}).loose()
export const KeyDeleteResponseSchema = z.object({deleted_keys: z.array(z.unknown())})
export const KeyBlockResponseSchema = z.object({blocked: z.boolean().nullish(), key_alias: str, token: str}).loose()

export const ReadinessSchema = z
  .object({
    status: str,
    db: str,
    litellm_version: str,
  })
  .loose()
export type Readiness = z.infer<typeof ReadinessSchema>

export const OpenApiSchema = z.object({
  info: z.object({version: str}).nullish(),
  paths: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
})

/** Fields keyward sends to `/key/generate` and `/key/update`. `spend` is deliberately absent. */
export interface KeyFields {
  key_alias?: string
  max_budget?: number | null
  budget_duration?: string | null
  soft_budget?: number | null
  models?: string[]
  duration?: string | null
  metadata?: Record<string, string>
  rpm_limit?: number | null
  tpm_limit?: number | null
  max_parallel_requests?: number | null
  team_id?: string
  user_id?: string
  /** Several budget windows (only sent to proxies whose OpenAPI schema has it). */
  budget_limits?: Array<{budget_duration: string; max_budget: number}>
}

export interface ProxyFeatures {
  /** `/spend/logs/v2` exists (paged, page_size up to 1000). */
  spendLogsV2: boolean
  /** `/spend/logs/ui` exists (older name of the same, page_size up to 100). */
  spendLogsUi: boolean
  /** `/user/daily/activity` exists (pre-aggregated totals). */
  dailyActivity: boolean
  /** `/key/{key}/reset_spend` exists. */
  resetSpend: boolean
  /** `budget_limits` (several budget windows per key) is in the schema. */
  budgetLimits: boolean
  /** Where the features came from: the proxy's OpenAPI schema, or nothing (all assumed absent). */
  source: 'openapi' | 'unknown'
}
