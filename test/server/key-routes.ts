// /key/* endpoints (§3, §5, §6, §7).
import {jsonBody, type Ctx, type Route, type ServerState} from './context.js'
import {addDuration} from './durations.js'
import {HttpError, intParam, json, keyNotFound, validationError, wrappedError} from './http.js'
import {applyKeyFields, duplicateAlias, validateKeyBody} from './key-fields.js'
import {emptyKeyRow, hashKey, keyName, randomKey, toToken} from './keys.js'
import {formatTs} from './time.js'
import type {AddKeyInput, KeyRow, Reply} from './types.js'

/** `info` = the row minus `token` (§5). */
function infoView(row: KeyRow): Record<string, unknown> {
  const {token: _token, window_spend: spent, ...rest} = structuredClone(row)
  // /key/info on newer proxies: spend per window, keyed by duration (only on keys that have windows).
  if (rest.budget_limits && rest.budget_limits.length > 0) {
    const usage = rest.budget_limits.map((w) => [w.budget_duration, {current_spend: spent?.[w.budget_duration] ?? 0}])
    return {...rest, budget_limits_usage: Object.fromEntries(usage)}
  }
  return rest
}

function findOr404(state: ServerState, keyOrHash: unknown): KeyRow {
  const row = typeof keyOrHash === 'string' ? state.keys.lookup(keyOrHash) : undefined
  if (!row) throw new HttpError(keyNotFound())
  return row
}

function customKey(raw: unknown): string {
  if (raw === undefined || raw === null) return randomKey()
  const key = String(raw)
  if (!key.startsWith('sk-')) throw new HttpError(wrappedError(400, `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${key}`))
  return key
}

/**
 * Creates a key row from a generate-style body; used by POST /key/generate and by `addKey`.
 * Extra `KeyRow` columns (e.g. an explicit `budget_reset_at` when seeding) override the computed ones.
 */
export function createKey(state: ServerState, body: Record<string, unknown>, overrides: Partial<KeyRow> = {}): {key: string; row: KeyRow} {
  const key = customKey(body.key)
  const token = hashKey(key)
  if (state.keys.get(token)) throw new HttpError(wrappedError(400, 'Unique constraint failed on the fields: (`token`)'))
  const now = state.now()
  const row = emptyKeyRow(token, formatTs(now, state.flavor))
  row.key_name = keyName(key)
  row.created_by = row.updated_by = 'default_user_id'
  applyKeyFields(row, body, {flavor: state.flavor, now, store: state.keys})
  Object.assign(row, overrides)
  state.keys.insert(row)
  return {key, row}
}

/** Seeds a key directly (TestServer.addKey); HTTP-style errors become plain exceptions. */
export function seedKey(state: ServerState, input: AddKeyInput): {key: string; token: string} {
  const {key, key_alias, soft_budget, budget_duration, spend, max_budget, models, metadata, blocked, team_id, user_id, token: _token, ...overrides} = input
  const body = {key, key_alias, soft_budget, budget_duration, spend, max_budget, models, metadata, blocked, team_id, user_id}
  try {
    const created = createKey(state, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)), overrides)
    return {key: created.key, token: created.row.token}
  } catch (e) {
    if (e instanceof HttpError) throw new Error(`addKey failed: ${JSON.stringify(e.reply.json)}`)
    throw e
  }
}

/** LiteLLM's `_check_custom_key_allowed`: a client-chosen secret on a proxy with disable_custom_api_keys. */
function refuseCustomKey(state: ServerState, value: unknown): void {
  if (value === undefined || value === null || !state.features.disableCustomApiKeys) return
  throw new HttpError(wrappedError(403, 'Custom API key values are disabled by your administrator. Keys must be auto-generated.'))
}

/** Response: request fields echoed plus key, token, key_name, expires…; NOT budget_reset_at (§3). */
function generate(ctx: Ctx): Reply {
  const body = validateKeyBody(jsonBody(ctx))
  // LiteLLM's order: a taken alias is refused first, then a custom key value, then its format.
  if (typeof body.key_alias === 'string' && ctx.state.keys.aliasTaken(body.key_alias)) throw new HttpError(duplicateAlias(body.key_alias))
  refuseCustomKey(ctx.state, body.key)
  const {key, row} = createKey(ctx.state, body)
  const {budget_reset_at: _hidden, ...visible} = infoView(row)
  return json({
    ...body,
    ...visible,
    key,
    token: row.token,
    token_id: row.token,
    duration: body.duration ?? null,
    soft_budget: body.soft_budget ?? null,
  })
}

/** Without `key`, a virtual key reads its own row and the master key gets 404 (§5). */
function info(ctx: Ctx): Reply {
  const q = ctx.query.get('key')
  const caller = ctx.caller
  if (q === null || q === '') {
    if (caller.kind !== 'key') throw new HttpError(keyNotFound())
    return json({key: caller.row.token, info: infoView(caller.row)})
  }
  const row = findOr404(ctx.state, q)
  if (caller.kind === 'key' && row.token !== caller.row.token && (row.user_id === null || row.user_id !== caller.row.user_id)) {
    throw new HttpError(wrappedError(403, "You are not allowed to access this key's info. Your role=None"))
  }
  return json({key: q, info: infoView(row)})
}

const SORT_COLUMNS = ['spend', 'max_budget', 'created_at', 'updated_at', 'token', 'key_alias'] as const
type SortColumn = (typeof SORT_COLUMNS)[number]

function compareBy(col: SortColumn, order: 'asc' | 'desc'): (a: KeyRow, b: KeyRow) => number {
  const dir = order === 'asc' ? 1 : -1
  const value = (r: KeyRow): string | number | null => (col.endsWith('_at') ? Date.parse(r[col] as string) : r[col])
  return (a, b) => {
    const x = value(a)
    const y = value(b)
    if (x === y) return 0
    if (x === null) return 1 // nulls last either way
    if (y === null) return -1
    return (x < y ? -1 : 1) * dir
  }
}

/** `list_keys` (§6): size 1..100 (422 otherwise), sort_by from a fixed list (400 otherwise). */
function list(ctx: Ctx): Reply {
  const q = ctx.query
  const page = intParam(q, 'page', 1, 1)
  const size = intParam(q, 'size', 10, 1, 100)
  const sortBy = q.get('sort_by') ?? 'created_at'
  if (!(SORT_COLUMNS as readonly string[]).includes(sortBy)) {
    throw new HttpError(wrappedError(400, `Invalid sort_by: ${sortBy}. Must be one of ${SORT_COLUMNS.join(', ')}`))
  }
  const sortOrder = (q.get('sort_order') ?? 'desc').toLowerCase()
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw new HttpError(wrappedError(400, `Invalid sort_order: ${sortOrder}. Must be 'asc' or 'desc'`))
  const caller = ctx.caller
  // Non-admins are forced to their own user_id (or, without one, to their own key).
  const own = caller.kind === 'key' ? caller.row : undefined
  const keyHash = q.get('key_hash')
  const filters: ((r: KeyRow) => boolean)[] = [
    (r) => q.get('key_alias') === null || r.key_alias === q.get('key_alias'),
    (r) => keyHash === null || r.token === toToken(keyHash),
    (r) => q.get('user_id') === null || r.user_id === q.get('user_id'),
    (r) => q.get('team_id') === null || r.team_id === q.get('team_id'),
    (r) => !own || (own.user_id !== null ? r.user_id === own.user_id : r.token === own.token),
  ]
  const rows = ctx.state.keys.all().filter((r) => filters.every((f) => f(r)))
  rows.sort(compareBy(sortBy as SortColumn, sortOrder))
  const pageRows = rows.slice((page - 1) * size, page * size)
  const full = ['true', '1'].includes((q.get('return_full_object') ?? '').toLowerCase())
  return json({
    keys: full ? pageRows.map((r) => structuredClone(r)) : pageRows.map((r) => r.token),
    total_count: rows.length,
    current_page: page,
    total_pages: Math.ceil(rows.length / size),
  })
}

/** Prisma returns Json columns of an update as JSON strings (§7). */
const JSON_COLUMNS = new Set(['metadata', 'model_max_budget', 'aliases', 'config', 'permissions'])

/**
 * Old flavour: key, token and only the changed columns, object columns as JSON strings (§7). New flavour:
 * key and the whole updated row, objects as objects (what LiteLLM 1.94.3 and 1.108.0 answer).
 */
function update(ctx: Ctx): Reply {
  const body = validateKeyBody(jsonBody(ctx), ['key'])
  const row = findOr404(ctx.state, body.key)
  const {key: sent, ...fields} = body
  // LiteLLM up to at least 1.100 declares no soft_budget on UpdateKeyRequest; pydantic drops it silently.
  if (ctx.state.flavor === 'old') delete fields.soft_budget
  const changed = applyKeyFields(row, fields, {flavor: ctx.state.flavor, now: ctx.state.now(), store: ctx.state.keys})
  if (ctx.state.flavor === 'new') return json({key: sent, ...structuredClone(row)})
  const out: Record<string, unknown> = {key: sent, token: row.token}
  const values = row as unknown as Record<string, unknown>
  for (const col of changed) out[col] = JSON_COLUMNS.has(col) ? JSON.stringify(values[col]) : values[col]
  return json(out)
}

function stringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const v = body[field]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new HttpError(validationError([{type: 'list_type', loc: ['body', field], msg: 'Input should be a valid list of strings', input: v}]))
  }
  return v as string[]
}

function del(ctx: Ctx): Reply {
  const raw = jsonBody(ctx)
  const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
  const keys = stringList(body, 'keys')
  const aliases = stringList(body, 'key_aliases')
  if (!keys && !aliases) {
    throw new HttpError(validationError([{type: 'missing', loc: ['body', 'keys'], msg: 'Field required', input: raw ?? null}]))
  }
  const store = ctx.state.keys
  const rows = [...(keys ?? []).map((k) => store.lookup(k)), ...(aliases ?? []).map((a) => store.byAlias(a))].filter((r): r is KeyRow => r !== undefined)
  if (rows.length === 0) {
    // LiteLLM 1.94.3 and 1.108.0: "No keys found"; older proxies list what was passed
    const message = ctx.state.flavor === 'new' ? 'No keys found' : `Failed to delete all keys. Keys passed in: ${JSON.stringify(keys ?? aliases)}`
    throw new HttpError(wrappedError(404, message))
  }
  for (const r of rows) store.delete(r.token)
  return json({deleted_keys: keys ?? aliases})
}

function setBlocked(blocked: boolean): (ctx: Ctx) => Reply {
  return (ctx) => {
    const body = validateKeyBody(jsonBody(ctx), ['key'])
    const row = findOr404(ctx.state, body.key)
    row.blocked = blocked
    row.updated_at = formatTs(ctx.state.now(), ctx.state.flavor)
    return json(structuredClone(row))
  }
}

/** Enterprise-only on unlicensed proxies (§7); when enabled: new key, same row, optional grace period. */
function regenerate(ctx: Ctx): Reply {
  const state = ctx.state
  if (!state.features.regenerate) {
    return wrappedError(500, 'Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. Pricing: https://www.litellm.ai/#pricing')
  }
  const body = validateKeyBody(jsonBody(ctx))
  const row = findOr404(state, ctx.params.key ?? body.key)
  const {key: _k, new_key, grace_period, ...fields} = body
  refuseCustomKey(state, new_key)
  const newKey = customKey(new_key)
  const now = state.now()
  const graceEnd = typeof grace_period === 'string' ? addDuration(now, grace_period) : undefined
  applyKeyFields(row, fields, {flavor: state.flavor, now, store: state.keys})
  state.keys.rekey(row, hashKey(newKey), graceEnd ? graceEnd.getTime() - now.getTime() : 0)
  row.key_name = keyName(newKey)
  return json({...infoView(row), key: newKey, token_id: row.token, token: null})
}

/** Newer servers only (§7): `{"reset_to": n}` → previous and new spend. */
function resetSpend(ctx: Ctx): Reply {
  const row = findOr404(ctx.state, ctx.params.key)
  const raw = jsonBody(ctx) as {reset_to?: unknown} | undefined
  const resetTo = raw?.reset_to ?? 0
  if (typeof resetTo !== 'number' || resetTo < 0) throw new HttpError(wrappedError(400, 'reset_to must be a non-negative number'))
  if (resetTo > row.spend) throw new HttpError(wrappedError(400, `reset_to (${resetTo}) must be less than or equal to the current spend (${row.spend})`))
  const previous = row.spend
  row.spend = resetTo
  return json({key_hash: row.token, spend: row.spend, previous_spend: previous, max_budget: row.max_budget, budget_reset_at: row.budget_reset_at})
}

export const keyRoutes: Route[] = [
  {method: 'POST', path: '/key/generate', access: 'admin', handler: generate},
  {method: 'GET', path: '/key/info', access: 'key', handler: info},
  {method: 'GET', path: '/key/list', access: 'key', handler: list},
  {method: 'POST', path: '/key/update', access: 'admin', handler: update},
  {method: 'POST', path: '/key/delete', access: 'admin', handler: del},
  {method: 'POST', path: '/key/block', access: 'admin', handler: setBlocked(true)},
  {method: 'POST', path: '/key/unblock', access: 'admin', handler: setBlocked(false)},
  {method: 'POST', path: '/key/regenerate', access: 'admin', handler: regenerate},
  {method: 'POST', path: '/key/{key}/regenerate', access: 'admin', handler: regenerate},
  {method: 'POST', path: '/key/{key}/reset_spend', access: 'admin', enabled: (s) => s.flavor === 'new', handler: resetSpend},
]
