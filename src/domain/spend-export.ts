/**
 * Per-request spend-log rows: the columns an export can carry, local filters, and the facts a report
 * aggregates. Pure. Rows are the proxy's objects, checked cheaply (see src/api/spend.ts).
 */
import type {LogFacts} from './spend-aggregate.js'
import {parseList} from './inputs.js'
import {metadataObject} from './metadata.js'
import {errorOf, errorTypeOf, isEmptyPayload, messagesOf, payloadValue} from './spend-request.js'
import {InputError} from '../core/errors.js'
import {hasOwnKey} from '../core/own.js'

/** A spend-log row as received; only `startTime` is guaranteed (the page check enforces it). */
export type SpendLogRecord = Record<string, unknown> & {startTime: string}

export type CellValue = string | number | boolean | null

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v))
const number = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0)
const meta = (r: SpendLogRecord): Record<string, unknown> => metadataObject(r.metadata)

/** Export columns, named as LiteLLM names the fields (key_alias comes from metadata). */
export const LOG_COLUMNS: Record<string, (r: SpendLogRecord) => CellValue> = {
  request_id: (r) => text(r.request_id),
  startTime: (r) => r.startTime,
  endTime: (r) => text(r.endTime),
  api_key: (r) => text(r.api_key),
  key_alias: (r) => text(meta(r).user_api_key_alias),
  user: (r) => text(r.user),
  team_id: (r) => text(r.team_id ?? meta(r).user_api_key_team_id),
  end_user: (r) => text(r.end_user),
  model: (r) => text(r.model),
  model_group: (r) => text(r.model_group),
  custom_llm_provider: (r) => text(r.custom_llm_provider),
  status: (r) => text(r.status),
  prompt_tokens: (r) => number(r.prompt_tokens),
  completion_tokens: (r) => number(r.completion_tokens),
  total_tokens: (r) => number(r.total_tokens),
  spend: (r) => number(r.spend),
  cache_hit: (r) => text(r.cache_hit),
  request_tags: (r) => (Array.isArray(r.request_tags) ? r.request_tags.map((t) => text(t) ?? '').join(';') : text(r.request_tags)),
  call_type: (r) => text(r.call_type),
  api_base: (r) => text(r.api_base),
  requester_ip_address: (r) => text(r.requester_ip_address),
  error: (r) => {
    const e = meta(r).error_information as {error_message?: unknown} | undefined
    return e ? text(e.error_message) : null
  },
  // A failure's error (metadata.error_information): exception class, message, HTTP status.
  error_type: (r) => errorOf(r)?.type ?? null,
  error_message: (r) => errorOf(r)?.message ?? null,
  status_code: (r) => errorOf(r)?.statusCode ?? null,
  // The stored prompt and response (store_prompts_in_spend_logs), as JSON text; empty when not stored. The
  // prompt is the messages column, else the messages of the request body the proxy kept.
  messages: (r) => payloadText(messagesOf(r)),
  response: (r) => payloadText(r.response),
}

/** A payload column as one JSON text (CSV cell), or null when the proxy stored nothing. */
function payloadText(v: unknown): string | null {
  if (isEmptyPayload(v)) return null
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** Columns whose values the paged endpoints leave out: each row's are read from /spend/logs/ui/{request_id}. */
export const PAYLOAD_COLUMNS: readonly string[] = ['messages', 'response']

/** The error columns added to the defaults when only failures are exported. */
export const ERROR_LOG_COLUMNS: readonly string[] = ['error_type', 'error_message', 'status_code']

export type LogColumn = keyof typeof LOG_COLUMNS

/** JSON lines keep structure that CSV has to flatten: tags stay an array. */
export const LOG_JSON_COLUMNS: Record<string, (r: SpendLogRecord) => unknown> = {
  request_tags: (r) => (Array.isArray(r.request_tags) ? r.request_tags.map((t) => text(t) ?? '') : LOG_COLUMNS.request_tags!(r)),
  // JSON lines keep the prompt and response as JSON (null when not stored).
  messages: (r) => {
    const m = messagesOf(r)
    return isEmptyPayload(m) ? null : payloadValue(m)
  },
  response: (r) => (isEmptyPayload(r.response) ? null : payloadValue(r.response)),
}

export const DEFAULT_LOG_COLUMNS: readonly string[] = [
  'request_id',
  'startTime',
  'endTime',
  'api_key',
  'key_alias',
  'user',
  'team_id',
  'end_user',
  'model',
  'model_group',
  'custom_llm_provider',
  'status',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'spend',
  'cache_hit',
  'request_tags',
  'call_type',
]

/** The default columns: with only failures shown, their error type, message and status code too. */
export function defaultLogColumns(status?: LogStatus): string[] {
  return status === 'failure' ? [...DEFAULT_LOG_COLUMNS, ...ERROR_LOG_COLUMNS] : [...DEFAULT_LOG_COLUMNS]
}

/** `--columns request_id,startTime,spend`: known names, in the order given, no duplicates. */
export function parseColumns(input: string): string[] {
  const names = parseList(input)
  if (names.length === 0) throw new InputError('no columns given', '--columns startTime,model,spend')
  const unknown = names.filter((n) => !hasOwnKey(LOG_COLUMNS, n))
  if (unknown.length > 0) {
    throw new InputError(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}: choose from ${Object.keys(LOG_COLUMNS).join(', ')}`, '--columns startTime,model,spend')
  }
  return [...new Set(names)]
}

export type LogStatus = 'success' | 'failure'

export function parseLogStatus(input: string): LogStatus {
  const v = input.trim().toLowerCase()
  if (v === 'success' || v === 'failure') return v
  throw new InputError(`unknown status '${input}': use success or failure`, '--status failure')
}

/** Filters applied to every row locally (also sent to the proxy when it can apply them). */
export interface LocalFilter {
  startMs: number
  endMs: number
  keyHashes?: ReadonlySet<string>
  models?: ReadonlySet<string>
  status?: LogStatus
}

/** Does a row (with its startTime in ms) pass the filter? */
export function keepRow(r: SpendLogRecord, ms: number, f: LocalFilter): boolean {
  if (!(ms >= f.startMs && ms < f.endMs)) return false
  if (f.keyHashes && !f.keyHashes.has(String(r.api_key ?? ''))) return false
  if (f.models && !f.models.has(String(r.model ?? '')) && !f.models.has(String(r.model_group ?? ''))) return false
  if (f.status && r.status !== f.status) return false
  return true
}

/** What a report aggregates from one row. */
export function factsOf(r: SpendLogRecord, ms: number): LogFacts {
  const m = meta(r)
  return {
    ms,
    // the public model name clients ask for; the deployment's model (e.g. openai/gpt-4o-mini) when it is empty
    model: text(r.model_group) || text(r.model),
    apiKey: text(r.api_key),
    alias: text(m.user_api_key_alias),
    user: text(r.user) || text(m.user_api_key_user_id),
    team: text(r.team_id) || text(m.user_api_key_team_id),
    provider: text(r.custom_llm_provider),
    failed: r.status === 'failure',
    inputTokens: number(r.prompt_tokens),
    outputTokens: number(r.completion_tokens),
    spend: number(r.spend),
    errorType: r.status === 'failure' ? errorTypeOf(r) : null,
  }
}

/** `--format` of spend logs. */
export function parseExportFormat(input: string): 'csv' | 'jsonl' | 'table' | 'parquet' {
  const v = input.trim().toLowerCase()
  if (v === 'csv' || v === 'jsonl' || v === 'table' || v === 'parquet') return v
  throw new InputError(`unknown format '${input}': use csv, jsonl, parquet or table`, '--format jsonl')
}
