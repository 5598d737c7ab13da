/**
 * One spend-log row by request id (litellm-api.md §8), with the narrowest query each proxy offers:
 * - `GET /spend/logs?request_id=ID` without dates: an indexed primary-key lookup over all time, the whole
 *   row (with `messages`, `response`, `proxy_server_request`). LiteLLM 1.94.3 and 1.108.0 both have it
 *   (1.108.0 also matches `litellm_call_id`).
 * - else `GET /spend/logs/v2` (or `/spend/logs/ui`) with `request_id` and a bounded window (the paged
 *   endpoints need start_date/end_date), one page of a few rows; those rows lack the heavy columns, which
 *   `GET /spend/logs/ui/{request_id}` serves.
 */
import type {LiteLLMClient} from './client.js'
import {KeywardError, isKeywardError} from '../core/errors.js'
import type {SpendLogRecord} from '../domain/spend-export.js'
import type {RequestPayload} from '../domain/spend-request.js'

/** Answers that mean "this endpoint is not on this proxy". */
function isMissingEndpoint(error: unknown): boolean {
  return isKeywardError(error) && (error.kind === 'not_found' || error.kind === 'not_litellm' || (error.kind === 'validation' && error.status === 405))
}

function rowsOf(body: unknown, endpoint: string): SpendLogRecord[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as {data?: unknown}).data) ? (body as {data: unknown[]}).data : undefined
  if (!list) throw new KeywardError('schema', `unexpected answer from ${endpoint}: expected a list of rows`, {endpoint})
  return list.filter((r): r is SpendLogRecord => r !== null && typeof r === 'object' && typeof (r as {startTime?: unknown}).startTime === 'string')
}

/** The row whose request_id is the id (1.108.0 also answers rows whose litellm_call_id is). */
function pick(rows: SpendLogRecord[], id: string): SpendLogRecord | undefined {
  return rows.find((r) => r.request_id === id) ?? rows.find((r) => r.litellm_call_id === id) ?? rows[0]
}

export type LookupVia = 'spend-logs-legacy' | 'spend-logs-v2' | 'spend-logs-ui'

/**
 * `GET /spend/logs?request_id=ID`: the row, `null` when the proxy has none, `undefined` when the proxy
 * has no such endpoint.
 */
export async function legacyRowById(client: LiteLLMClient, id: string, signal?: AbortSignal): Promise<SpendLogRecord | null | undefined> {
  try {
    const res = await client.request('GET', '/spend/logs', {query: {request_id: id}, signal})
    return pick(rowsOf(res.body, 'GET /spend/logs'), id) ?? null
  } catch (error) {
    if (isMissingEndpoint(error)) return undefined
    throw error
  }
}

/**
 * A paged endpoint filtered by request_id inside [startDate, endDate] (`YYYY-MM-DD HH:MM:SS`, UTC): one
 * page of at most 10 rows. `undefined` when the endpoint is not there.
 */
export async function pagedRowById(
  client: LiteLLMClient,
  endpoint: '/spend/logs/v2' | '/spend/logs/ui',
  id: string,
  window: {startDate: string; endDate: string},
  signal?: AbortSignal,
): Promise<SpendLogRecord | null | undefined> {
  try {
    const res = await client.request('GET', endpoint, {query: {request_id: id, start_date: window.startDate, end_date: window.endDate, page: 1, page_size: 10}, signal})
    return pick(rowsOf(res.body, `GET ${endpoint}`), id) ?? null
  } catch (error) {
    if (isMissingEndpoint(error)) return undefined
    throw error
  }
}

/** `GET /spend/logs/ui/{request_id}`: the stored prompt and response, `null` when none or no such endpoint. */
export async function requestPayload(client: LiteLLMClient, id: string, signal?: AbortSignal): Promise<Partial<RequestPayload> | null> {
  try {
    const res = await client.request('GET', `/spend/logs/ui/${encodeURIComponent(id)}`, {signal})
    const b = res.body
    if (!b || typeof b !== 'object' || Array.isArray(b)) return null
    const o = b as Record<string, unknown>
    return {messages: o.messages, response: o.response, proxy_server_request: o.proxy_server_request}
  } catch (error) {
    if (isMissingEndpoint(error)) return null
    throw error
  }
}
