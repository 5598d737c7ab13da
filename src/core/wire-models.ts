/** zod schemas for LiteLLM's model answers (`/v1/models`, `/model/info`), lenient like wire.ts. */
import {z} from 'zod'

import {num, str} from './wire-fields.js'

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
