// Teams and internal users (§16 "Teams and users"): /team/new|list|info|update and /user/new|list|info|update,
// with max_budget, budget_duration, budget_reset_at and spend, as LiteLLM 1.94.3 and 1.108.0 answer them
// (team_endpoints.py, internal_user_endpoints.py). Team and user spend is what the proxy accumulates; tests
// set it with setTeamSpend / setUserSpend.
import {randomUUID} from 'node:crypto'

import {jsonBody, type Ctx, type Route, type ServerState} from './context.js'
import {computeReset} from './durations.js'
import {HttpError, json, validationError, wrappedError} from './http.js'
import {formatTs} from './time.js'
import type {KeyRow, Reply} from './types.js'

export interface OrgRow {
  id: string
  alias: string | null
  email: string | null
  spend: number
  max_budget: number | null
  soft_budget: number | null
  budget_duration: string | null
  budget_reset_at: string | null
  blocked: boolean
  models: string[]
  metadata: Record<string, unknown>
  created_at: string
  updated_at: string
}

export class OrgStore {
  readonly teams = new Map<string, OrgRow>()
  readonly users = new Map<string, OrgRow>()
}

function body(ctx: Ctx): Record<string, unknown> {
  const b = jsonBody(ctx)
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw new HttpError(validationError([{type: 'dict_type', loc: ['body'], msg: 'Input should be a valid dictionary', input: b ?? null}]))
  return b as Record<string, unknown>
}

/** Applies budget fields the way key fields are applied (reset computed from the duration at write time). */
function applyBudget(row: OrgRow, b: Record<string, unknown>, state: ServerState): void {
  const now = state.now()
  if (b.max_budget !== undefined) row.max_budget = b.max_budget as number | null
  if (b.soft_budget !== undefined) row.soft_budget = b.soft_budget as number | null
  if (b.models !== undefined) row.models = (b.models as string[] | null) ?? []
  if (b.metadata !== undefined) row.metadata = (b.metadata as Record<string, unknown> | null) ?? {}
  if (b.blocked !== undefined) row.blocked = b.blocked === true
  if (b.budget_duration !== undefined) {
    const d = b.budget_duration as string | null
    if (d === null) {
      row.budget_duration = null
      row.budget_reset_at = null
    } else {
      const r = computeReset(state.flavor, d, now)
      if (!r.ok) throw new HttpError(wrappedError(500, r.message))
      row.budget_duration = r.stored
      row.budget_reset_at = formatTs(r.resetAt, state.flavor)
    }
  }
  row.updated_at = formatTs(now, state.flavor)
}

export function newOrgRow(state: ServerState, id: string, b: Record<string, unknown>): OrgRow {
  const now = formatTs(state.now(), state.flavor)
  const row: OrgRow = {
    id, alias: null, email: null, spend: 0, max_budget: null, soft_budget: null, budget_duration: null, budget_reset_at: null,
    blocked: false, models: [], metadata: {}, created_at: now, updated_at: now,
  }
  applyBudget(row, b, state)
  if (typeof b.spend === 'number') row.spend = b.spend
  return row
}

const keysOf = (state: ServerState, field: 'team_id' | 'user_id', id: string): KeyRow[] => state.keys.all().filter((k) => k[field] === id).map((k) => structuredClone(k))

function teamView(row: OrgRow): Record<string, unknown> {
  return {
    team_id: row.id, team_alias: row.alias, organization_id: null, admins: [], members: [], members_with_roles: [], metadata: row.metadata,
    tpm_limit: null, rpm_limit: null, max_budget: row.max_budget, soft_budget: row.soft_budget, budget_duration: row.budget_duration,
    budget_reset_at: row.budget_reset_at, models: row.models, blocked: row.blocked, spend: row.spend, max_parallel_requests: null,
    model_spend: {}, model_max_budget: {}, created_at: row.created_at, updated_at: row.updated_at,
  }
}

function userView(row: OrgRow, keyCount?: number): Record<string, unknown> {
  return {
    user_id: row.id, user_alias: row.alias, user_email: row.email, user_role: 'internal_user', teams: [], max_budget: row.max_budget,
    soft_budget: row.soft_budget, spend: row.spend, budget_duration: row.budget_duration, budget_reset_at: row.budget_reset_at,
    models: row.models, metadata: row.metadata, model_spend: {}, model_max_budget: {}, created_at: row.created_at, updated_at: row.updated_at,
    ...(keyCount === undefined ? {} : {key_count: keyCount}),
  }
}

function teamNew(ctx: Ctx): Reply {
  const b = body(ctx)
  const id = typeof b.team_id === 'string' && b.team_id ? b.team_id : randomUUID()
  if (ctx.state.orgs.teams.has(id)) throw new HttpError(wrappedError(400, `Team id = ${id} already exists. Please use a different team id.`))
  const row = newOrgRow(ctx.state, id, b)
  row.alias = typeof b.team_alias === 'string' ? b.team_alias : null
  ctx.state.orgs.teams.set(id, row)
  return json(teamView(row))
}

function teamList(ctx: Ctx): Reply {
  const rows = [...ctx.state.orgs.teams.values()].sort((a, b) => (a.alias ?? '').localeCompare(b.alias ?? ''))
  return json(rows.map((r) => ({...teamView(r), team_memberships: [], keys: keysOf(ctx.state, 'team_id', r.id)})))
}

function teamRow(ctx: Ctx, id: unknown): OrgRow {
  if (typeof id !== 'string' || id === '') throw new HttpError(json({detail: {error: 'No team id passed in.'}}, 422))
  const row = ctx.state.orgs.teams.get(id)
  if (!row) throw new HttpError(wrappedError(404, `{'message': 'Team not found, passed team id: ${id}.'}`))
  return row
}

function teamInfo(ctx: Ctx): Reply {
  const row = teamRow(ctx, ctx.query.get('team_id'))
  return json({team_id: row.id, team_info: teamView(row), keys: keysOf(ctx.state, 'team_id', row.id), team_memberships: []})
}

function teamUpdate(ctx: Ctx): Reply {
  const b = body(ctx)
  const row = teamRow(ctx, b.team_id)
  applyBudget(row, b, ctx.state)
  if (typeof b.team_alias === 'string') row.alias = b.team_alias
  return json({team_id: row.id, data: teamView(row)})
}

function userNew(ctx: Ctx): Reply {
  const b = body(ctx)
  const id = typeof b.user_id === 'string' && b.user_id ? b.user_id : randomUUID()
  if (ctx.state.orgs.users.has(id)) throw new HttpError(wrappedError(400, `User with id ${id} already exists`))
  const row = newOrgRow(ctx.state, id, b)
  row.alias = typeof b.user_alias === 'string' ? b.user_alias : null
  row.email = typeof b.user_email === 'string' ? b.user_email : null
  ctx.state.orgs.users.set(id, row)
  // /user/new also mints a key for the user (auto_create_key defaults to true); tests here do not need it.
  return json({...userView(row), key: null})
}

function userList(ctx: Ctx): Reply {
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1)
  const size = Number(ctx.query.get('page_size') ?? 25) || 25
  if (size < 1 || size > 100) throw new HttpError(validationError([{type: 'less_than_equal', loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 100', input: String(size), ctx: {le: 100}}]))
  const rows = [...ctx.state.orgs.users.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
  const slice = rows.slice((page - 1) * size, page * size)
  return json({
    users: slice.map((r) => userView(r, keysOf(ctx.state, 'user_id', r.id).length)),
    total: rows.length,
    page,
    page_size: size,
    total_pages: Math.max(1, Math.ceil(rows.length / size)),
  })
}

function userInfo(ctx: Ctx): Reply {
  const id = ctx.query.get('user_id')
  const row = id ? ctx.state.orgs.users.get(id) : undefined
  if (!row) throw new HttpError(wrappedError(404, `User ${id ?? ''} not found`))
  return json({user_id: row.id, user_info: userView(row), keys: keysOf(ctx.state, 'user_id', row.id), teams: []})
}

function userUpdate(ctx: Ctx): Reply {
  const b = body(ctx)
  const id = b.user_id
  const row = typeof id === 'string' ? ctx.state.orgs.users.get(id) : undefined
  if (!row) throw new HttpError(wrappedError(400, `User not found, passed user_id=${String(id)}`))
  applyBudget(row, b, ctx.state)
  return json({user_id: row.id, data: userView(row)})
}

export const orgRoutes: Route[] = [
  {method: 'POST', path: '/team/new', access: 'admin', handler: teamNew},
  {method: 'GET', path: '/team/list', access: 'admin', handler: teamList},
  {method: 'GET', path: '/team/info', access: 'key', handler: teamInfo},
  {method: 'POST', path: '/team/update', access: 'admin', handler: teamUpdate},
  {method: 'POST', path: '/user/new', access: 'admin', handler: userNew},
  {method: 'GET', path: '/user/list', access: 'admin', handler: userList},
  {method: 'GET', path: '/user/info', access: 'key', handler: userInfo},
  {method: 'POST', path: '/user/update', access: 'admin', handler: userUpdate},
]
