// Per-server state, per-request context and the route type shared by the route modules.
import type {DailyAggregator} from './daily.js'
import type {FaultQueue} from './faults.js'
import {HttpError, validationError} from './http.js'
import type {KeyStore} from './keys.js'
import type {OrgStore} from './org-routes.js'
import type {SpendIndex} from './spend-query.js'
import type {Features, Flavor, KeyRow, Reply} from './types.js'

export interface ServerState {
  flavor: Flavor
  features: Features
  /** The LiteLLM version it reports (readiness, readiness/details, /openapi.json). */
  version: string
  masterKey: string
  /** How master-key traffic shows up in spend logs' `api_key` (§8: a literal since v1.84, its hash before). */
  masterApiKey: string
  now(): Date
  setNow(d: Date | (() => Date)): void
  keys: KeyStore
  /** Teams and internal users. */
  orgs: OrgStore
  spend: SpendIndex
  daily: DailyAggregator
  faults: FaultQueue
}

export type Caller = {kind: 'master'} | {kind: 'key'; row: KeyRow} | {kind: 'anonymous'}

export interface Ctx {
  state: ServerState
  method: string
  path: string
  query: URLSearchParams
  /** Parsed JSON body; undefined when empty. */
  body: unknown
  /** Set when the body was not valid JSON. */
  bodyError?: string
  /** Named `{param}` segments of the route path. */
  params: Record<string, string>
  caller: Caller
}

/** public: no key; key: any valid key; admin: master key only (non-master → 401 auth_error, §1). */
export type Access = 'public' | 'key' | 'admin'

export interface Route {
  method: 'GET' | 'POST'
  /** OpenAPI-style path, `{name}` for a segment parameter. */
  path: string
  access: Access
  /** Whether this flavour/feature set has the route; absent routes answer 404 {"detail":"Not Found"}. */
  enabled?: (s: ServerState) => boolean
  /** Left out of /openapi.json (test controls). */
  hidden?: boolean
  handler: (ctx: Ctx) => Reply | Promise<Reply>
}

/** The JSON body, or FastAPI's 422 `json_invalid` when it did not parse. */
export function jsonBody(ctx: Ctx): unknown {
  if (ctx.bodyError !== undefined) {
    throw new HttpError(validationError([{type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: {error: ctx.bodyError}}]))
  }
  return ctx.body
}
