/**
 * zod schemas for LiteLLM's spend answers (`/spend/logs/v2`, `/spend/logs/ui`, `/user/daily/activity`), lenient
 * like wire.ts: unknown fields dropped, most may be null or absent.
 */
import {z} from 'zod'

import {num} from './wire-fields.js'

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
