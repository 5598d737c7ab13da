// Request-body validation and field application shared by /key/generate, /key/update and /key/regenerate (§3, §7).
import {randomUUID} from 'node:crypto'
import {addDuration, computeReset} from './durations.js'
import {HttpError, internalError, proxyError, validationError, wrappedError, type ValidationIssue} from './http.js'
import type {KeyStore} from './keys.js'
import {formatTs} from './time.js'
import type {Flavor, KeyRow, Reply} from './types.js'

type FieldType = 'number' | 'int' | 'string' | 'list' | 'dict' | 'bool'

/** Pydantic types of the `GenerateKeyRequest` / `UpdateKeyRequest` fields we model. */
const FIELD_TYPES: Record<string, FieldType> = {
  key: 'string',
  key_alias: 'string',
  max_budget: 'number',
  soft_budget: 'number',
  spend: 'number',
  budget_duration: 'string',
  duration: 'string',
  models: 'list',
  metadata: 'dict',
  tpm_limit: 'int',
  rpm_limit: 'int',
  max_parallel_requests: 'int',
  team_id: 'string',
  user_id: 'string',
  blocked: 'bool',
  tags: 'list',
  guardrails: 'list',
  budget_limits: 'list',
  model_max_budget: 'dict',
  aliases: 'dict',
  config: 'dict',
  permissions: 'dict',
  new_key: 'string',
  grace_period: 'string',
}

const TYPE_ERRORS: Record<FieldType, [string, string]> = {
  number: ['float_parsing', 'Input should be a valid number'],
  int: ['int_parsing', 'Input should be a valid integer'],
  string: ['string_type', 'Input should be a valid string'],
  list: ['list_type', 'Input should be a valid list'],
  dict: ['dict_type', 'Input should be a valid dictionary'],
  bool: ['bool_parsing', 'Input should be a valid boolean'],
}

/** Pydantic lax-mode coercion; `undefined` = invalid. */
function coerce(t: FieldType, v: unknown): unknown {
  const num = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  switch (t) {
    case 'number':
      return Number.isFinite(num) ? num : undefined
    case 'int':
      return Number.isInteger(num) ? num : undefined
    case 'string':
      return typeof v === 'string' ? v : undefined
    case 'list':
      return Array.isArray(v) ? v : undefined
    case 'dict':
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined
    case 'bool':
      return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined
  }
}

/** Validates a JSON body like FastAPI would; returns the coerced body or throws a 422. */
export function validateKeyBody(body: unknown, required: string[] = []): Record<string, unknown> {
  if (body === undefined && required.length === 0) return {}
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(validationError([{type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body ?? null}]))
  }
  const src = body as Record<string, unknown>
  const out: Record<string, unknown> = {...src}
  const issues: ValidationIssue[] = required
    .filter((f) => src[f] === undefined)
    .map((f) => ({type: 'missing', loc: ['body', f], msg: 'Field required', input: src}))
  for (const [field, t] of Object.entries(FIELD_TYPES)) {
    const v = src[field]
    if (v === undefined || v === null) continue
    const c = coerce(t, v)
    if (c === undefined) issues.push({type: TYPE_ERRORS[t][0], loc: ['body', field], msg: TYPE_ERRORS[t][1], input: v})
    else out[field] = c
  }
  if (issues.length > 0) throw new HttpError(validationError(issues))
  return out
}

/** Python float repr: `-1` → `-1.0`. */
const pyFloat = (n: number): string => (Number.isInteger(n) ? n.toFixed(1) : String(n))

/** Enterprise-only fields on an unlicensed proxy (§3): 403 wrapped on 1.96, 500 on older servers. */
function enterpriseCheck(flavor: Flavor, body: Record<string, unknown>): Reply | undefined {
  for (const field of ['tags', 'guardrails'] as const) {
    if (body[field] === undefined || body[field] === null) continue
    if (flavor === 'new') {
      return wrappedError(403, `This feature is only available for LiteLLM Enterprise users: ${field}. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set \`LITELLM_LICENSE\` in your env. Get a 7 day trial key here: https://www.litellm.ai/#trial. Pricing: https://www.litellm.ai/#pricing`)
    }
    return internalError(`Only premium users can add ${field} to keys. You must be a LiteLLM Enterprise user to use this feature. If you have a license please set \`LITELLM_LICENSE\` in your env.`)
  }
  return undefined
}

export const duplicateAlias = (alias: string): Reply =>
  proxyError(400, 'bad_request_error', `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`, 'key_alias')

function resetFor(bd: string | null, ctx: ApplyContext): {stored: string | null; resetAt: string | null} {
  if (bd === null) return {stored: null, resetAt: null}
  const r = computeReset(ctx.flavor, bd, ctx.now)
  if (!r.ok) throw new HttpError(internalError(r.message))
  return {stored: r.stored, resetAt: formatTs(r.resetAt, ctx.flavor)}
}

/** `expires = now + duration` exactly; an unparseable duration is a ValueError, i.e. HTTP 500 (§3). */
function expiresFor(d: string | null, ctx: ApplyContext): string | null {
  if (d === null) return null
  const at = addDuration(ctx.now, d)
  if (!at) throw new HttpError(internalError(`Invalid duration format: ${d}. Use a format like '30s', '30m', '30h', '30d' or '1mo'.`))
  return formatTs(at, ctx.flavor)
}

export interface ApplyContext {
  flavor: Flavor
  now: Date
  store: KeyStore
}

/** Simple columns copied verbatim when present in the body. */
const PLAIN_COLUMNS = [
  'key_alias', 'max_budget', 'spend', 'models', 'metadata', 'tpm_limit', 'rpm_limit', 'max_parallel_requests',
  'team_id', 'user_id', 'blocked', 'model_max_budget', 'aliases', 'config', 'permissions',
] as const

/**
 * Checks and applies the fields present in `body` to `row`, returning the changed column names; throws an
 * HttpError on invalid input, before anything changed. Note `spend` IS honoured as the starting spend: the
 * `litellm-proxy keys generate --spend` trap (§13).
 */
export function applyKeyFields(row: KeyRow, body: Record<string, unknown>, ctx: ApplyContext): string[] {
  const has = (f: string): boolean => body[f] !== undefined
  const enterprise = enterpriseCheck(ctx.flavor, body)
  if (enterprise) throw new HttpError(enterprise)
  for (const f of ['max_budget', 'soft_budget'] as const) {
    const v = body[f]
    // LiteLLM 1.94.3 and 1.108.0 word it 'must be a non-negative finite number'; older ones 'cannot be negative'
    if (typeof v === 'number' && v < 0) throw new HttpError(wrappedError(400, ctx.flavor === 'new' ? `${f} must be a non-negative finite number. Received: ${pyFloat(v)}` : `${f} cannot be negative. Received: ${pyFloat(v)}`))
  }
  const alias = body.key_alias
  if (typeof alias === 'string' && ctx.store.aliasTaken(alias, row.token)) throw new HttpError(duplicateAlias(alias))

  // Compute everything that can fail before touching the row.
  const reset = has('budget_duration') ? resetFor(body.budget_duration as string | null, ctx) : undefined
  const expires = has('duration') ? expiresFor(body.duration as string | null, ctx) : undefined

  const changed: string[] = []
  if (reset !== undefined) {
    row.budget_duration = reset.stored
    row.budget_reset_at = reset.resetAt
    changed.push('budget_duration', 'budget_reset_at')
  }
  if (expires !== undefined) {
    row.expires = expires
    changed.push('expires')
  }
  if (has('soft_budget')) {
    const table = row.litellm_budget_table ?? {
      budget_id: randomUUID(),
      soft_budget: null,
      max_budget: null,
      budget_duration: null,
      tpm_limit: null,
      rpm_limit: null,
    }
    table.soft_budget = body.soft_budget as number | null
    row.litellm_budget_table = table
    row.budget_id = table.budget_id
    changed.push('budget_id')
  }
  const mutable = row as unknown as Record<string, unknown>
  for (const col of PLAIN_COLUMNS) {
    if (!has(col)) continue
    mutable[col] = body[col]
    changed.push(col)
  }
  row.updated_at = formatTs(ctx.now, ctx.flavor)
  return changed
}
