/**
 * zod schemas for LiteLLM's answers (from the v1.96 OpenAPI models; older proxies send fewer fields).
 * Lenient: unknown fields are dropped, most fields may be null or absent. Required fields are only
 * those keyward cannot work without.
 */
import {z} from 'zod'

const num = z.number().nullish()
const str = z.string().nullish()
/** LiteLLM sometimes JSON-encodes object columns as strings (e.g. /key/update). */
const objectish = z.union([z.record(z.string(), z.unknown()), z.string()]).nullish()

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

export const SpendLogRowSchema = z.object({
  request_id: z.string(),
  call_type: str,
  api_key: str,
  spend: z.number().nullish().transform((v) => v ?? 0),
  total_tokens: z.number().nullish().transform((v) => v ?? 0),
  prompt_tokens: z.number().nullish().transform((v) => v ?? 0),
  completion_tokens: z.number().nullish().transform((v) => v ?? 0),
  startTime: z.string(),
  endTime: str,
  model: str,
  model_group: str,
  custom_llm_provider: str,
  user: str,
  end_user: str,
  team_id: str,
  request_tags: z.unknown(),
  cache_hit: z.unknown(),
  status: str,
  metadata: objectish,
})
export type SpendLogRow = z.infer<typeof SpendLogRowSchema>

/** The envelope of `/spend/logs/v2` and `/spend/logs/ui`; rows are validated one by one. */
export const SpendLogsPageSchema = z.object({
  data: z.array(z.unknown()),
  total: num,
  page: num,
  page_size: num,
  total_pages: num,
  total_is_capped: z.boolean().nullish(),
})
export type SpendLogsPage = z.infer<typeof SpendLogsPageSchema>

export const MetricsSchema = z.object({
  spend: z.number().nullish().transform((v) => v ?? 0),
  prompt_tokens: z.number().nullish().transform((v) => v ?? 0),
  completion_tokens: z.number().nullish().transform((v) => v ?? 0),
  total_tokens: z.number().nullish().transform((v) => v ?? 0),
  api_requests: z.number().nullish().transform((v) => v ?? 0),
  successful_requests: z.number().nullish().transform((v) => v ?? 0),
  failed_requests: z.number().nullish().transform((v) => v ?? 0),
})
export type Metrics = z.infer<typeof MetricsSchema>

const BreakdownEntrySchema = z.object({
  metrics: MetricsSchema,
  metadata: z.record(z.string(), z.unknown()).nullish(),
})
const BreakdownMapSchema = z.record(z.string(), BreakdownEntrySchema).nullish().transform((v) => v ?? {})

export const DailyActivitySchema = z.object({
  results: z.array(
    z.object({
      date: z.string(),
      metrics: MetricsSchema,
      breakdown: z
        .object({
          models: BreakdownMapSchema,
          // the public model names clients ask for (model_group); newer proxies (seen on 1.108.0)
          model_groups: BreakdownMapSchema,
          providers: BreakdownMapSchema,
          api_keys: BreakdownMapSchema,
        })
        .nullish(),
    }),
  ),
  metadata: z
    .object({
      page: num,
      total_pages: num,
      has_more: z.boolean().nullish(),
      total_spend: num,
    })
    .nullish(),
})
export type DailyActivity = z.infer<typeof DailyActivitySchema>

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

export const ModelsListSchema = z.object({
  data: z.array(z.object({id: z.string(), owned_by: str})),
})

export const ModelInfoSchema = z.object({
  data: z.array(
    z.object({
      model_name: z.string(),
      litellm_params: z.object({model: str}).loose().nullish(),
      model_info: z
        .object({
          max_input_tokens: num,
          max_tokens: num,
          max_output_tokens: num,
          supports_vision: z.boolean().nullish(),
          supports_reasoning: z.boolean().nullish(),
          /** USD per token, from LiteLLM's price map or the deployment's own pricing. */
          input_cost_per_token: num,
          output_cost_per_token: num,
          cache_read_input_token_cost: num,
          cache_creation_input_token_cost: num,
        })
        .loose()
        .nullish(),
    }),
  ),
})

/** One deployment of `GET /model/info`. */
export type ModelInfoRow = z.infer<typeof ModelInfoSchema>['data'][number]

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
