/**
 * One spend-log row in full, for debugging a request (`spend logs show`, failures, `--follow`): who sent
 * it, what served it, its error, tokens, timings, and the stored prompt and response when the proxy keeps
 * them (`store_prompts_in_spend_logs`). Pure.
 */
import {metadataObject} from './metadata.js'

/** A spend-log row as received (the same shape as spend-export's SpendLogRecord). */
type SpendLogRecord = Record<string, unknown> & {startTime: string}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null)
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0)
const timeMs = (v: unknown): number | null => {
  if (typeof v !== 'string' || v === '') return null
  // The proxy's timestamps are UTC; some rows come without a zone suffix.
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`)
  return Number.isNaN(ms) ? null : ms
}

/** LiteLLM's `metadata.error_information` (StandardLoggingPayloadErrorInformation), as keyward names it. */
export interface RequestError {
  /** The exception class, e.g. `RateLimitError` (`error_class`). */
  type: string | null
  message: string | null
  /** The HTTP status the proxy answered, as LiteLLM stores it (`error_code`, a string such as "429"). */
  statusCode: string | null
  provider: string | null
}

export function errorOf(r: SpendLogRecord): RequestError | null {
  const info = metadataObject(r.metadata).error_information
  if (!info || typeof info !== 'object' || Array.isArray(info)) return null
  const e = info as Record<string, unknown>
  const out = {type: str(e.error_class), message: str(e.error_message), statusCode: str(e.error_code), provider: str(e.llm_provider)}
  return out.type || out.message || out.statusCode ? out : null
}

/** The label `spend report --by error` groups failures under (the error type, else the status code). */
export function errorTypeOf(r: SpendLogRecord): string {
  const e = errorOf(r)
  return e?.type ?? (e?.statusCode ? `HTTP ${e.statusCode}` : '(no error details)')
}

/**
 * Is a stored payload column (`messages`, `response`, `proxy_server_request`) empty? The proxy writes
 * `{}` (or the JSON text "{}") when `store_prompts_in_spend_logs` is off.
 */
export function isEmptyPayload(v: unknown): boolean {
  if (v === null || v === undefined) return true
  if (typeof v === 'string') {
    const t = v.trim()
    return t === '' || t === '{}' || t === '[]' || t === 'null'
  }
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.keys(v).length === 0
  return false
}

/** A payload column as JSON: the proxy sends some as JSON text, some as objects. */
export function payloadValue(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim()
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return JSON.parse(t) as unknown
      } catch {
        return v
      }
    }
  }
  return v
}

/** The `messages` (or `input`, `prompt`) of the request body the proxy kept, if any. */
export function requestMessages(proxyServerRequest: unknown): unknown {
  const body = payloadValue(proxyServerRequest)
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  const b = body as Record<string, unknown>
  for (const k of ['messages', 'input', 'prompt']) if (!isEmptyPayload(b[k])) return b[k]
  return undefined
}

/** The prompt of a row: its `messages` column, else the messages of the request body it kept. */
export function messagesOf(r: Record<string, unknown>): unknown {
  return isEmptyPayload(r.messages) ? (requestMessages(r.proxy_server_request) ?? r.messages) : r.messages
}

export interface RequestPayload {
  messages: unknown
  response: unknown
  proxy_server_request: unknown
}

export interface RequestDetails {
  requestId: string
  callType: string | null
  /** The key's hash as logged (`litellm_proxy_master_key` for master-key traffic on v1.84+). */
  apiKey: string | null
  keyAlias: string | null
  /** The key's display name (`sk-...abcd`), from /key/info when the key still exists. */
  keyName: string | null
  user: string | null
  team: string | null
  endUser: string | null
  /** What the client asked for (the public model name). */
  modelGroup: string | null
  /** The deployment's model that served it. */
  model: string | null
  modelId: string | null
  provider: string | null
  apiBase: string | null
  status: string
  error: RequestError | null
  promptTokens: number
  completionTokens: number
  totalTokens: number
  /** Cached prompt tokens, when the proxy recorded them (`metadata.usage_object.prompt_tokens_details.cached_tokens`). */
  cachedTokens: number | null
  spend: number
  cacheHit: string | null
  tags: string[]
  startTime: string
  endTime: string | null
  completionStartTime: string | null
  /** Time to first token (streamed requests only: completionStartTime before endTime). */
  ttftMs: number | null
  latencyMs: number | null
  sessionId: string | null
  /** Whether the row holds the prompt and response (`store_prompts_in_spend_logs`). */
  payloadStored: boolean
  payload: RequestPayload | null
}

function tagsOf(v: unknown): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' && v.trim().startsWith('[') ? (payloadValue(v) as unknown) : []
  return Array.isArray(list) ? list.map((t) => (typeof t === 'string' ? t : JSON.stringify(t))) : []
}

function cachedTokensOf(m: Record<string, unknown>): number | null {
  const usage = metadataObject(m.usage_object)
  const details = metadataObject(usage.prompt_tokens_details)
  if (typeof details.cached_tokens === 'number') return details.cached_tokens
  if (typeof usage.cache_read_input_tokens === 'number') return usage.cache_read_input_tokens
  return null
}

/**
 * The details of a row. `payload` is the row's own payload columns (legacy /spend/logs rows carry them)
 * or what /spend/logs/ui/{id} answered; `keyName` comes from the key's info.
 */
export function requestDetails(r: SpendLogRecord, extra: {payload?: Partial<RequestPayload> | null; keyName?: string | null} = {}): RequestDetails {
  const m = metadataObject(r.metadata)
  const start = timeMs(r.startTime)
  const end = timeMs(r.endTime)
  const first = timeMs(r.completionStartTime)
  const source: Partial<RequestPayload> = extra.payload ?? {messages: r.messages, response: r.response, proxy_server_request: r.proxy_server_request}
  const payload: RequestPayload = {
    messages: payloadValue(source.messages),
    response: payloadValue(source.response),
    proxy_server_request: payloadValue(source.proxy_server_request),
  }
  // LiteLLM 1.108.0 leaves `messages` as {} for chat completions and keeps the prompt in proxy_server_request.
  if (isEmptyPayload(payload.messages)) payload.messages = requestMessages(payload.proxy_server_request) ?? payload.messages
  const stored = !isEmptyPayload(payload.messages) || !isEmptyPayload(payload.response) || !isEmptyPayload(payload.proxy_server_request)
  const duration = typeof r.request_duration_ms === 'number' ? r.request_duration_ms : start !== null && end !== null ? end - start : null
  return {
    requestId: String(r.request_id ?? ''),
    callType: str(r.call_type),
    apiKey: str(r.api_key),
    keyAlias: str(m.user_api_key_alias),
    keyName: extra.keyName ?? null,
    user: str(r.user) ?? str(m.user_api_key_user_id),
    team: str(r.team_id) ?? str(m.user_api_key_team_id),
    endUser: str(r.end_user) ?? str(m.user_api_key_end_user_id),
    modelGroup: str(r.model_group),
    model: str(r.model),
    modelId: str(r.model_id) ?? str(m.model_id),
    provider: str(r.custom_llm_provider),
    apiBase: str(r.api_base),
    status: str(r.status) ?? 'success',
    error: errorOf(r),
    promptTokens: num(r.prompt_tokens),
    completionTokens: num(r.completion_tokens),
    totalTokens: num(r.total_tokens),
    cachedTokens: cachedTokensOf(m),
    spend: num(r.spend),
    cacheHit: str(r.cache_hit),
    tags: tagsOf(r.request_tags),
    startTime: r.startTime,
    endTime: str(r.endTime),
    completionStartTime: str(r.completionStartTime),
    // As LiteLLM computes it: none when completionStartTime is missing or is the end (not streamed); none for failures.
    ttftMs: r.status !== 'failure' && start !== null && first !== null && end !== null && first < end && first >= start ? first - start : null,
    latencyMs: duration,
    sessionId: str(r.session_id),
    payloadStored: stored,
    payload: stored ? payload : null,
  }
}

/**
 * A long text for a terminal: at most `maxLines` lines of at most `maxChars` characters in all, with a
 * note of what was left out. Returns the text unchanged when it fits.
 */
export function shorten(text: string, maxChars: number, maxLines: number): {text: string; omittedChars: number} {
  const lines = text.split('\n')
  let kept = lines.slice(0, maxLines).join('\n')
  if ([...kept].length > maxChars) kept = [...kept].slice(0, maxChars).join('')
  const omitted = [...text].length - [...kept].length
  return {text: kept, omittedChars: Math.max(0, omitted)}
}
