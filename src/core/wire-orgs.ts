/**
 * zod schemas for LiteLLM's team and internal-user answers (`/team/list`, `/team/info`, `/user/list`,
 * `/user/info`; team_endpoints.py, internal_user_endpoints.py, LiteLLM_TeamTable / LiteLLM_UserTable in
 * 1.94.3 and 1.108.0). Lenient like wire.ts: unknown fields dropped, most may be null or absent.
 */
import {z} from 'zod'

import {num, str} from './wire-fields.js'

/** The keys a team or user answer embeds: only their count and budget fields matter here. */
const keyRef = z.object({token: str, key_alias: str, spend: num, max_budget: num}).loose()

export const TeamRowSchema = z.object({
  team_id: z.string(),
  team_alias: str,
  spend: z.number().nullish().transform((v) => v ?? 0),
  max_budget: num,
  soft_budget: num,
  budget_duration: str,
  budget_reset_at: str,
  blocked: z.boolean().nullish(),
  models: z.array(z.string()).nullish(),
  /** Only in /team/list answers (TeamListResponseObject). */
  keys: z.array(z.union([keyRef, z.string()])).nullish(),
})
export type TeamRow = z.infer<typeof TeamRowSchema>

export const TeamListSchema = z.array(TeamRowSchema)

export const TeamInfoSchema = z.object({
  team_id: z.string(),
  team_info: TeamRowSchema.omit({team_id: true}).extend({team_id: str}),
  keys: z.array(z.union([keyRef, z.string()])).nullish(),
})
export type TeamInfo = z.infer<typeof TeamInfoSchema>

export const UserRowSchema = z.object({
  user_id: z.string(),
  user_alias: str,
  user_email: str,
  spend: z.number().nullish().transform((v) => v ?? 0),
  max_budget: num,
  soft_budget: num,
  budget_duration: str,
  budget_reset_at: str,
  models: z.array(z.string()).nullish(),
  /** Only in /user/list answers (LiteLLM_UserTableWithKeyCount). */
  key_count: num,
})
export type UserRow = z.infer<typeof UserRowSchema>

export const UserListSchema = z.object({
  users: z.array(UserRowSchema),
  total: num,
  page: num,
  page_size: num,
  total_pages: num,
})

export const UserInfoSchema = z.object({
  user_id: str,
  user_info: UserRowSchema.omit({user_id: true}).extend({user_id: str}).nullish(),
  keys: z.array(z.union([keyRef, z.string()])).nullish(),
})
export type UserInfo = z.infer<typeof UserInfoSchema>
