// Spend-log endpoints (§8): /spend/logs/v2, /spend/logs/ui and the legacy /spend/logs.
import type {Ctx, Route, ServerState} from './context.js'
import {HttpError, intParam, json, proxyError, validationError, wrappedError} from './http.js'
import {toToken} from './keys.js'
import {toMicros} from './spend-data.js'
import type {SpendFilter} from './spend-query.js'
import {dayKey, parseDate, parseSpendDateTime, startOfUtcDay} from './time.js'
import type {Reply, SpendLogRow} from './types.js'

/** Since v1.93.0 `total` stops at 10,000 but the data does not (§8). */
const TOTAL_CAP = 10_000
/** Newer servers keep only the newest 10,000 rows of an undated legacy query (§8). */
const LEGACY_LIMIT = 10_000

function optionalNumber(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name)
  if (raw === null || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new HttpError(validationError([{type: 'float_parsing', loc: ['query', name], msg: 'Input should be a valid number, unable to parse string as a number', input: raw}]))
  return n
}

function filterFrom(q: URLSearchParams): SpendFilter {
  const s = (name: string): string | undefined => q.get(name) || undefined
  return {
    api_key: s('api_key'),
    user_id: s('user_id'),
    team_id: s('team_id'),
    request_id: s('request_id'),
    model: s('model'),
    model_group: s('model_group'),
    key_alias: s('key_alias'),
    end_user: s('end_user'),
    status_filter: s('status_filter'),
    min_spend: optionalNumber(q, 'min_spend'),
    max_spend: optionalNumber(q, 'max_spend'),
  }
}

/** `%Y-%m-%d %H:%M:%S` parse; a mismatch is a Python ValueError, surfaced as 500 (§8). */
function dateTimeParam(q: URLSearchParams, name: string): number {
  const raw = q.get(name)!
  const ms = parseSpendDateTime(raw)
  if (ms === undefined) throw new HttpError(wrappedError(500, `time data '${raw}' does not match format '%Y-%m-%d %H:%M:%S'`))
  return ms
}

/**
 * `ui_view_spend_logs`: start/end required and inclusive (`startTime <= end_date`, second precision), newest
 * first by default. On the new flavour `total` is capped with `total_is_capped`, while pages past the capped
 * total keep returning rows until the range is exhausted.
 */
/**
 * The paged endpoints select list columns only: `messages`, `response` and `proxy_server_request` (large)
 * are served by /spend/logs/ui/{request_id}; `request_duration_ms` falls back to endTime - startTime;
 * `litellm_call_id` is listed by the new flavour only (v1.108.0).
 */
function listColumns(r: SpendLogRow, flavor: ServerState['flavor']): Record<string, unknown> {
  const {messages: _m, response: _r, proxy_server_request: _p, litellm_call_id, ...rest} = r
  const duration = r.request_duration_ms ?? Date.parse(r.endTime) - Date.parse(r.startTime)
  return {...rest, request_duration_ms: duration, ...(flavor === 'new' ? {litellm_call_id} : {})}
}

function paginatedLogs(maxPageSize: (s: ServerState) => number, route: '/spend/logs/v2' | '/spend/logs/ui') {
  return (ctx: Ctx): Reply => {
    const q = ctx.query
    // v1.108.0: a request_id lookup on /spend/logs/ui drops the date window (the id is the primary key);
    // /spend/logs/v2 and older servers still require one.
    const id = q.get('request_id')
    if (id && route === '/spend/logs/ui' && ctx.state.flavor === 'new' && !q.get('start_date')) {
      const sel = ctx.state.spend.select(0, ctx.state.spend.ds.length, {request_id: id})
      const rows = ctx.state.spend.page(sel, 1, intParam(q, 'page_size', 50, 1, 1000), 'desc').map((r) => listColumns(r, ctx.state.flavor))
      return json({data: rows, total: sel.count, page: 1, page_size: rows.length, total_pages: 1, total_is_capped: false})
    }
    if (!q.get('start_date') || !q.get('end_date')) {
      throw new HttpError(proxyError(400, 'bad_request', 'Start date and end date are required'))
    }
    const from = dateTimeParam(q, 'start_date')
    const to = dateTimeParam(q, 'end_date')
    const page = intParam(q, 'page', 1, 1)
    const pageSize = intParam(q, 'page_size', 50, 1, maxPageSize(ctx.state))
    const sortBy = q.get('sort_by') ?? 'startTime'
    if (sortBy !== 'startTime') throw new HttpError(wrappedError(400, `Invalid sort_by: ${sortBy}. This test server only sorts by startTime`))
    const order = (q.get('sort_order') ?? 'desc').toLowerCase() === 'asc' ? 'asc' : 'desc'
    const index = ctx.state.spend
    const [lo, hi] = index.range(from, to + 1)
    const sel = index.select(lo, hi, filterFrom(q))
    const capped = ctx.state.flavor === 'new' && sel.count > TOTAL_CAP
    const total = ctx.state.flavor === 'new' ? Math.min(sel.count, TOTAL_CAP) : sel.count
    return json({
      data: index.page(sel, page, pageSize, order).map((r) => listColumns(r, ctx.state.flavor)),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
      ...(ctx.state.flavor === 'new' ? {total_is_capped: capped} : {}),
    })
  }
}

const sum6 = (micros: number): number => micros / 1e6

/** Legacy summary: one object per day with spend per user, model and key hash. */
function summarise(rows: Iterable<SpendLogRow>): Record<string, unknown>[] {
  const days = new Map<string, {spend: number; users: Map<string, number>; models: Map<string, number>; keys: Map<string, number>}>()
  for (const r of rows) {
    const day = dayKey(startOfUtcDay(Date.parse(r.startTime)))
    let d = days.get(day)
    if (!d) days.set(day, (d = {spend: 0, users: new Map(), models: new Map(), keys: new Map()}))
    const m = toMicros(r.spend)
    d.spend += m
    d.users.set(r.user, (d.users.get(r.user) ?? 0) + m)
    d.models.set(r.model, (d.models.get(r.model) ?? 0) + m)
    d.keys.set(r.api_key, (d.keys.get(r.api_key) ?? 0) + m)
  }
  const obj = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].map(([k, v]) => [k, sum6(v)]))
  return [...days].map(([day, d]) => ({startTime: day, spend: sum6(d.spend), users: obj(d.users), models: obj(d.models), ...obj(d.keys)}))
}

function* rowsOf(ctx: Ctx, lo: number, hi: number, filter: SpendFilter): Generator<SpendLogRow> {
  const index = ctx.state.spend
  const sel = index.select(lo, hi, filter)
  for (let k = 0; k < sel.count; k++) yield index.ds.rowAt(sel.at(k))
}

/**
 * `view_spend_logs` (deprecated). With start_date and end_date (YYYY-MM-DD) the end day is EXCLUDED and
 * `api_key` is compared as sent (pass the hash); without dates `api_key` is hashed server-side and the
 * whole table comes back (old flavour, oldest first), or the newest 10,000 rows, newest first, with
 * `x-litellm-spend-logs-truncated: true` when rows were dropped (new flavour, §8).
 */
function legacyLogs(ctx: Ctx): Reply {
  const q = ctx.query
  const index = ctx.state.spend
  const start = q.get('start_date')
  const end = q.get('end_date')
  if (start && end) {
    const from = parseDate(start)
    const to = parseDate(end)
    if (from === undefined || to === undefined) throw new HttpError(wrappedError(500, `time data '${from === undefined ? start : end}' does not match format '%Y-%m-%d'`))
    const [lo, hi] = index.range(from, to)
    const filter = {api_key: q.get('api_key') || undefined, user_id: q.get('user_id') || undefined}
    const rows = rowsOf(ctx, lo, hi, filter)
    return json(q.get('summarize') === 'false' ? [...rows] : summarise(rows))
  }
  const apiKey = q.get('api_key')
  const filter = {api_key: apiKey ? toToken(apiKey) : undefined, request_id: q.get('request_id') || undefined, user_id: q.get('user_id') || undefined}
  if (ctx.state.flavor === 'old') return json([...rowsOf(ctx, 0, index.ds.length, filter)])
  const all = index.select(0, index.ds.length, filter)
  const truncated = all.count > LEGACY_LIMIT
  return json(index.page(all, 1, LEGACY_LIMIT, 'desc'), 200, truncated ? {'x-litellm-spend-logs-truncated': 'true'} : undefined)
}

/**
 * `ui_view_request_response_for_request_id`: the stored prompt and response of one request (`{}` each
 * when the proxy does not store prompts), or `null` when there is no such row.
 */
function requestResponse(ctx: Ctx): Reply {
  const sel = ctx.state.spend.select(0, ctx.state.spend.ds.length, {request_id: ctx.params.request_id})
  if (sel.count === 0) return json(null)
  const r = ctx.state.spend.ds.rowAt(sel.at(0))
  return json({messages: r.messages, response: r.response, proxy_server_request: r.proxy_server_request})
}

export const spendRoutes: Route[] = [
  {method: 'GET', path: '/spend/logs/v2', access: 'admin', enabled: (s) => s.features.spendLogsV2, handler: paginatedLogs(() => 1000, '/spend/logs/v2')},
  // Older servers only have /spend/logs/ui, limited to 100 rows a page; newer ones keep it as an alias.
  {method: 'GET', path: '/spend/logs/ui', access: 'admin', enabled: (s) => s.features.spendLogsUi, handler: paginatedLogs((s) => (s.flavor === 'old' ? 100 : 1000), '/spend/logs/ui')},
  {method: 'GET', path: '/spend/logs/ui/{request_id}', access: 'admin', enabled: (s) => s.features.spendLogsUi, handler: requestResponse},
  {method: 'GET', path: '/spend/logs', access: 'admin', enabled: (s) => s.features.legacySpendLogs, handler: legacyLogs},
]
