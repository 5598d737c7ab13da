// Health (§11), model listing, /openapi.json and the /__test/* controls used by scripts in another process.
import {jsonBody, type Ctx, type Route, type ServerState} from './context.js'
import {FAULT_KINDS} from './faults.js'
import {HttpError, json, validationError} from './http.js'
import {ADVERTISED_MODELS} from './models.js'
import type {Fault, Reply} from './types.js'

export const LITELLM_VERSION = {new: '1.96.0', old: '1.60.2'} as const

/** Newest servers answer `{"status":"healthy"}` only; older ones include db and version (§11). */
function readiness(ctx: Ctx): Reply {
  // LiteLLM 1.94.3 and 1.108.0 (run by test/litellm) answer status and db; the version is only in /details
  if (ctx.state.flavor === 'new') return json({status: 'healthy', db: 'connected'})
  return json({status: 'healthy', db: 'connected', cache: null, litellm_version: LITELLM_VERSION.old, success_callbacks: [], last_updated: ctx.state.now().toISOString()})
}

function readinessDetails(ctx: Ctx): Reply {
  return json({status: 'healthy', db: 'connected', cache: null, litellm_version: LITELLM_VERSION.new, success_callbacks: [], use_aiohttp_transport: true, last_updated: ctx.state.now().toISOString()})
}

const CREATED = 1_700_000_000

function models(): Reply {
  return json({object: 'list', data: ADVERTISED_MODELS.map((m) => ({id: m.name, object: 'model', created: CREATED, owned_by: 'openai'}))})
}

/**
 * As LiteLLM answers it: one row per deployment, `model_info` merged from the price map (USD per
 * token; the cache prices only for models the map prices them for, null otherwise).
 */
function modelInfo(): Reply {
  return json({
    data: ADVERTISED_MODELS.map((m, i) => ({
      model_name: m.name,
      litellm_params: {model: `${m.provider}/${m.name}`},
      model_info: {
        id: `deployment-${i + 1}`,
        db_model: false,
        key: m.name,
        litellm_provider: m.provider,
        mode: 'chat',
        max_tokens: m.maxOutput,
        max_input_tokens: m.maxInput,
        max_output_tokens: m.maxOutput,
        supports_vision: m.vision,
        supports_reasoning: m.reasoning,
        input_cost_per_token: m.input,
        output_cost_per_token: m.output,
        cache_read_input_token_cost: m.cacheRead ?? null,
        cache_creation_input_token_cost: m.cacheWrite ?? null,
      },
    })),
  })
}

/** A small OpenAPI document listing the paths this flavour actually serves (clients feature-detect on it). */
export function openapiDoc(state: ServerState, routes: Route[]): Reply {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) {
    if (r.hidden || (r.enabled && !r.enabled(state))) continue
    paths[r.path] ??= {}
    paths[r.path]![r.method.toLowerCase()] = {summary: r.path, responses: {'200': {description: 'Successful Response'}}}
  }
  const generateProps: Record<string, unknown> = {key_alias: {type: 'string'}, max_budget: {type: 'number'}, budget_duration: {type: 'string'}, soft_budget: {type: 'number'}}
  if (state.flavor === 'new') generateProps.budget_limits = {type: 'array', items: {$ref: '#/components/schemas/BudgetLimitEntry'}}
  return json({
    openapi: '3.1.0',
    info: {title: 'LiteLLM API', version: LITELLM_VERSION[state.flavor]},
    paths,
    components: {schemas: {GenerateKeyRequest: {type: 'object', properties: generateProps}, ...(state.flavor === 'new' ? {BudgetLimitEntry: {type: 'object', properties: {budget_duration: {type: 'string'}, max_budget: {type: 'number'}}}} : {})}},
  })
}

function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = jsonBody(ctx)
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw new HttpError(validationError([{type: 'dict_type', loc: ['body'], msg: 'Input should be a valid dictionary', input: b ?? null}]))
  return b as Record<string, unknown>
}

const bad = (msg: string): HttpError => new HttpError(json({detail: msg}, 400))

/** POST /__test/fault: a Fault with `path` as a string (exact pathname). */
function addFault(ctx: Ctx): Reply {
  const b = bodyObject(ctx)
  if (typeof b.path !== 'string') throw bad('path (string) is required')
  if (!FAULT_KINDS.includes(b.kind as Fault['kind'])) throw bad(`kind must be one of ${FAULT_KINDS.join(', ')}`)
  ctx.state.faults.add(b as unknown as Fault)
  return json({ok: true})
}

function setClock(ctx: Ctx): Reply {
  const b = bodyObject(ctx)
  const d = typeof b.now === 'string' ? new Date(b.now) : undefined
  if (!d || Number.isNaN(d.getTime())) throw bad('now (ISO timestamp) is required')
  ctx.state.setNow(d)
  return json({ok: true, now: d.toISOString()})
}

function setSpend(ctx: Ctx): Reply {
  const b = bodyObject(ctx)
  if (typeof b.key !== 'string' || typeof b.spend !== 'number') throw bad('key (string) and spend (number) are required')
  const row = ctx.state.keys.find(b.key)
  if (!row) throw bad(`no key matches ${b.key}`)
  row.spend = b.spend
  return json({ok: true, token: row.token, spend: row.spend})
}

export const miscRoutes: Route[] = [
  {method: 'GET', path: '/', access: 'public', handler: () => json('LiteLLM: RUNNING')},
  {method: 'GET', path: '/health/liveliness', access: 'public', handler: () => json("I'm alive!")},
  {method: 'GET', path: '/health/liveness', access: 'public', handler: () => json("I'm alive!")},
  {method: 'GET', path: '/health/readiness', access: 'public', handler: readiness},
  {method: 'GET', path: '/health/readiness/details', access: 'key', enabled: (s) => s.flavor === 'new', handler: readinessDetails},
  {method: 'GET', path: '/v1/models', access: 'key', handler: models},
  {method: 'GET', path: '/models', access: 'key', handler: models},
  {method: 'GET', path: '/model/info', access: 'key', enabled: (s) => s.features.modelInfo, handler: modelInfo},
]

export const controlRoutes: Route[] = [
  {method: 'POST', path: '/__test/fault', access: 'admin', hidden: true, handler: addFault},
  {method: 'POST', path: '/__test/faults/clear', access: 'admin', hidden: true, handler: (ctx) => (ctx.state.faults.clear(), json({ok: true}))},
  {method: 'POST', path: '/__test/clock', access: 'admin', hidden: true, handler: setClock},
  {method: 'POST', path: '/__test/spend', access: 'admin', hidden: true, handler: setSpend},
]
