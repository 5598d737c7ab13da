import {KeywardError, type ErrorKind} from '../core/errors.js'

/** A response body that was not JSON: an HTML page, plain text, or JSON cut off mid-way. */
export class NonJsonBody {
  constructor(
    readonly what: 'html' | 'text' | 'malformed',
    readonly contentType: string,
  ) {}
}

/** LiteLLM's error, normalised from every shape it sends (litellm-api.md §2). */
export interface ProxyErrorInfo {
  status: number
  type?: string
  param?: string
  message: string
}

const WRAPPED = /^\{'error': (['"])([\s\S]*)\1\}$/

/** Unwrap the Python dict repr LiteLLM puts in messages: `{'error': '...'}`. */
export function unwrapMessage(message: string): string {
  const m = WRAPPED.exec(message.trim())
  // One pass over Python's escapes for quotes and backslashes (`\\'` is a backslash then a quote).
  return m ? m[2].replace(/\\(['"\\])/g, '$1') : message
}

function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s === 'None' || s === '' ? undefined : s
}

/** Normalise `{"error":{...}}`, `{"detail": ...}` (string, object or 422 list) and anything else. */
export function normaliseError(status: number, body: unknown): ProxyErrorInfo {
  if (body && typeof body === 'object' && !(body instanceof NonJsonBody)) {
    const b = body as Record<string, unknown>
    if (b.error && typeof b.error === 'object') {
      const e = b.error as Record<string, unknown>
      return {status, type: str(e.type), param: str(e.param), message: unwrapMessage(str(e.message) ?? `HTTP ${status}`)}
    }
    if (typeof b.error === 'string') return {status, message: unwrapMessage(b.error)}
    const detail = b.detail
    if (typeof detail === 'string') return {status, message: unwrapMessage(detail)}
    if (Array.isArray(detail)) {
      const parts = detail.map((d) => {
        const item = d as {loc?: unknown[]; msg?: string}
        const loc = Array.isArray(item.loc) ? item.loc.filter((x) => x !== 'query' && x !== 'body').join('.') : ''
        return loc ? `${loc}: ${item.msg ?? 'invalid'}` : (item.msg ?? 'invalid')
      })
      return {status, type: 'validation_error', message: parts.join('; ')}
    }
    if (detail && typeof detail === 'object') {
      const d = detail as Record<string, unknown>
      return {status, message: unwrapMessage(str(d.error) ?? str(d.message) ?? JSON.stringify(d))}
    }
    if (typeof b.message === 'string') return {status, message: unwrapMessage(b.message)}
  }
  if (typeof body === 'string') return {status, message: unwrapMessage(body)}
  return {status, message: `HTTP ${status}`}
}

/**
 * Enterprise-only features carry no error type of their own (403 on v1.96, 500 on older servers),
 * so this one check has to read the message.
 */
export function isEnterpriseOnly(info: ProxyErrorInfo): boolean {
  return (info.status === 403 || info.status >= 500) && /enterprise|premium user/i.test(info.message)
}

function kindFor(info: ProxyErrorInfo): ErrorKind {
  const {status} = info
  if (isEnterpriseOnly(info)) return 'enterprise_only'
  if (status === 401) return 'auth'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 400 && info.param === 'key_alias' && info.type === 'bad_request_error') return 'conflict'
  if (status === 400 || status === 422) return 'validation'
  return 'server'
}

const SUGGEST: Partial<Record<ErrorKind, string[]>> = {
  auth: ['Check the admin key: set LITELLM_MASTER_KEY or run keyward login', 'keyward status shows which key is used'],
  forbidden: ['This needs the proxy master key (or an admin key): set LITELLM_MASTER_KEY or run keyward login'],
  enterprise_only: ['This feature needs a LiteLLM Enterprise licence on the proxy; nothing was changed'],
  server: ['Try again in a moment; check the proxy logs if it persists', 'keyward status checks the proxy'],
}

/** Turn a non-2xx answer into a typed error. */
export function parseErrorResponse(status: number, body: unknown, endpoint: string, baseUrl: string): KeywardError {
  if (body instanceof NonJsonBody) {
    if (status === 502 || status === 503 || status === 504) {
      return new KeywardError('server', `the proxy at ${baseUrl} is unavailable: HTTP ${status} from a gateway (${endpoint})`, {
        status,
        endpoint,
        suggestions: SUGGEST.server,
      })
    }
    return notLiteLLM(body, status, endpoint, baseUrl)
  }
  if (status === 404 && (body === null || body === undefined)) {
    // LiteLLM (FastAPI) always answers a 404 with a JSON body: an empty one comes from something else.
    return new KeywardError('not_litellm', `not a LiteLLM proxy: empty HTTP 404 from ${baseUrl} (${endpoint})`, {status, endpoint, suggestions: URL_SUGGESTIONS})
  }
  const info = normaliseError(status, body)
  const kind = kindFor(info)
  if (isRouteNotFound(status, body)) {
    // FastAPI's own answer for a path it has no route for: the URL (or the proxy version) is the problem.
    return new KeywardError(kind, `${endpoint}: no such route at ${baseUrl} (HTTP 404 Not Found)`, {
      status,
      endpoint,
      suggestions: ['Use the proxy\'s root URL in --base-url / LITELLM_PROXY_URL, e.g. http://localhost:4000 (no /v1 or other path)', 'Run: keyward status'],
    })
  }
  const message = status === 429 ? `rate limited by the proxy (${endpoint}): ${info.message}` : info.message
  return new KeywardError(kind, message, {status, type: info.type, param: info.param, endpoint, suggestions: SUGGEST[kind]})
}

const URL_SUGGESTIONS = ['Check --base-url / LITELLM_PROXY_URL: it must point at the LiteLLM proxy itself, e.g. http://localhost:4000 (no /v1 or other path)', 'Run: keyward status']

/** `{"detail": "Not Found"}` with 404: FastAPI's answer for an unknown path (LiteLLM's own 404s carry an error object). */
export function isRouteNotFound(status: number, body: unknown): boolean {
  if (status !== 404 || !body || typeof body !== 'object' || body instanceof NonJsonBody) return false
  const b = body as Record<string, unknown>
  return Object.keys(b).length === 1 && b.detail === 'Not Found'
}

/** The proxy answered, but not as a LiteLLM proxy would (HTML, plain text, cut-off JSON). */
export function notLiteLLM(body: NonJsonBody, status: number, endpoint: string, baseUrl: string): KeywardError {
  const what =
    body.what === 'html'
      ? 'an HTML page'
      : body.what === 'malformed'
        ? 'a malformed or cut-off JSON answer'
        : `a non-JSON answer (${body.contentType || 'no content type'})`
  const prefix = body.what === 'malformed' ? 'the proxy failed mid-answer or is not a LiteLLM proxy' : 'not a LiteLLM proxy'
  return new KeywardError('not_litellm', `${prefix}: got ${what} from ${baseUrl} (${endpoint}, HTTP ${status})`, {
    status,
    endpoint,
    suggestions: URL_SUGGESTIONS,
  })
}
