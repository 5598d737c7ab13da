import type {Dispatcher} from 'undici'
import type {z} from 'zod'

import {errorCode, KeywardError, sleep as realSleep} from '../core/errors.js'
import {NonJsonBody, notLiteLLM, parseErrorResponse} from './error-body.js'
import {redactSecrets} from '../core/redact.js'
import {PARSE} from '../core/zod-parse.js'
import {request as undiciRequest} from './undici.js'

export type QueryValue = string | number | boolean | undefined | null | readonly string[]
export type Query = Record<string, QueryValue>

export interface ClientOptions {
  /** Base URL of the proxy, e.g. `http://localhost:4000` (a path prefix is kept). */
  baseUrl: string
  /** The key sent as `Authorization: Bearer <key>` (or in `keyHeader`). */
  apiKey?: string
  /** Send the key in this header instead of `Authorization` (LiteLLM's `litellm_key_header_name`). */
  keyHeader?: string
  /** Per-request timeout covering connect, headers and body. */
  timeoutMs: number
  /** Attempts for retryable GETs (first try included). */
  maxAttempts?: number
  dispatcher?: Dispatcher
  /** Injected for tests: waiting between retries. */
  sleep?: (ms: number) => Promise<void>
  /** Injected for tests: jitter source in [0, 1). */
  random?: () => number
  /** Told about every request and retry (already free of secrets), for `--debug`. */
  onDebug?: (line: string) => void
  userAgent?: string
  /** Aborts every request of this client (Ctrl-C): they fail as `interrupted`. */
  signal?: AbortSignal
}

export interface RequestOptions {
  /** Refuse an answer larger than this many bytes (default: by endpoint, see answerCap). */
  maxBytes?: number
  /** Retry on 429/502/503/504 and connection resets. Defaults to true for GET, false otherwise. */
  retry?: boolean
  /** Override the timeout for this request. */
  timeoutMs?: number
  signal?: AbortSignal
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

const MiB = 1024 * 1024

/**
 * The largest answer read from an endpoint: a key call is a few KB (a /key/list page of 100 full rows
 * well under 1 MB), a spend page of 1000 rows a few MB (more with stored prompts), the unpaginated legacy
 * /spend/logs the most. Anything larger is refused (exit 6) instead of growing without bound.
 */
export function answerCap(path: string): number {
  if (path.startsWith('/key/')) return 4 * MiB
  if (path === '/spend/logs') return 256 * MiB
  if (path.startsWith('/spend/') || path.startsWith('/user/daily/activity')) return 64 * MiB
  return 16 * MiB
}

const RETRY_STATUS = new Set([429, 502, 503, 504])
const RETRY_NET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED'])
const MAX_RETRY_AFTER_MS = 60_000

/** Parse a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return undefined
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Exponential backoff with full jitter: 250 ms, 500 ms, 1 s ... capped at 4 s. */
export function backoffMs(attempt: number, random: () => number): number {
  const cap = Math.min(4000, 250 * 2 ** (attempt - 1))
  return Math.round(cap / 2 + (random() * cap) / 2)
}

/**
 * A small LiteLLM admin API client on undici: one place for the base URL, the auth header,
 * timeouts, retries and error parsing. Responses are validated with zod at the edge.
 */
export class LiteLLMClient {
  readonly baseUrl: string
  private readonly opts: ClientOptions

  constructor(opts: ClientOptions) {
    this.opts = opts
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
  }

  get hasKey(): boolean {
    return Boolean(this.opts.apiKey)
  }

  url(path: string, query?: Query): string {
    const u = new URL(this.baseUrl + path)
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, item)
      else u.searchParams.set(k, String(v))
    }
    return u.toString()
  }

  async get<S extends z.ZodTypeAny>(path: string, query: Query | undefined, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const res = await this.request('GET', path, {query, ...opts})
    return validate(schema, res.body, `GET ${path}`)
  }

  async post<S extends z.ZodTypeAny>(path: string, body: unknown, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const res = await this.request('POST', path, {body, ...opts})
    return validate(schema, res.body, `POST ${path}`)
  }

  /** One request with retries; returns the parsed JSON body of a 2xx answer or throws a KeywardError. */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, opts: RequestOptions & {query?: Query; body?: unknown; auth?: boolean} = {}): Promise<RawResponse> {
    const retry = opts.retry ?? method === 'GET'
    const maxAttempts = retry ? (this.opts.maxAttempts ?? 3) : 1
    const endpoint = `${method} ${path}`
    const sleep = this.opts.sleep ?? realSleep
    const random = this.opts.random ?? Math.random
    let attempt = 0
    for (;;) {
      attempt++
      try {
        const res = await this.once(method, path, opts)
        if (res.status >= 200 && res.status < 300) return res
        if (res.status >= 300 && res.status < 400) throw redirectError(res, endpoint, this.url(path, opts.query))
        const err = parseErrorResponse(res.status, res.body, endpoint, this.baseUrl)
        if (attempt < maxAttempts && RETRY_STATUS.has(res.status)) {
          const after = parseRetryAfter(res.headers['retry-after'])
          if (after !== undefined && after > MAX_RETRY_AFTER_MS) throw err
          const wait = after ?? backoffMs(attempt, random)
          this.debug(`${endpoint} -> ${res.status}; retrying in ${wait} ms (attempt ${attempt + 1} of ${maxAttempts})`)
          await sleep(wait)
          continue
        }
        throw err
      } catch (error) {
        if (error instanceof KeywardError) throw error
        const code = errorCode(error)
        if (attempt < maxAttempts && code && RETRY_NET_CODES.has(code)) {
          const wait = backoffMs(attempt, random)
          this.debug(`${endpoint} -> ${code}; retrying in ${wait} ms (attempt ${attempt + 1} of ${maxAttempts})`)
          await sleep(wait)
          continue
        }
        throw this.networkError(error, endpoint, opts.timeoutMs ?? this.opts.timeoutMs)
      }
    }
  }

  private async once(method: string, path: string, opts: RequestOptions & {query?: Query; body?: unknown; auth?: boolean}): Promise<RawResponse> {
    const url = this.url(path, opts.query)
    const headers: Record<string, string> = {accept: 'application/json', 'user-agent': this.opts.userAgent ?? 'keyward'}
    if (opts.auth !== false && this.opts.apiKey) {
      const header = (this.opts.keyHeader ?? 'authorization').toLowerCase()
      headers[header] = `Bearer ${this.opts.apiKey}`
    }
    let payload: string | undefined
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body)
      headers['content-type'] = 'application/json'
    }
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs)
    const outer = [opts.signal, this.opts.signal].filter((s): s is AbortSignal => s !== undefined)
    const onOuterAbort = () => controller.abort()
    for (const s of outer) {
      if (s.aborted) onOuterAbort()
      s.addEventListener('abort', onOuterAbort, {once: true})
    }
    const started = Date.now()
    try {
      const res = await undiciRequest(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: payload,
        signal: controller.signal,
        dispatcher: this.opts.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      const text = await readCapped(res, opts.maxBytes ?? answerCap(path), `${method} ${path}`, this.baseUrl)
      this.debug(`${method} ${redactSecrets(url)} -> ${res.statusCode} (${Date.now() - started} ms, ${text.length} bytes)`)
      const body = decodeBody(text, res.headers['content-type'])
      if (body instanceof NonJsonBody && res.statusCode >= 200 && res.statusCode < 300) throw notLiteLLM(body, res.statusCode, `${method} ${path}`, this.baseUrl)
      return {status: res.statusCode, headers: res.headers, body}
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof TimeoutSignal) throw new TimeoutSignal()
      throw error
    } finally {
      clearTimeout(timer)
      for (const s of outer) s.removeEventListener('abort', onOuterAbort)
    }
  }

  private networkError(error: unknown, endpoint: string, timeoutMs: number): KeywardError {
    if (error instanceof TimeoutSignal || errorCode(error) === 'UND_ERR_HEADERS_TIMEOUT' || errorCode(error) === 'UND_ERR_BODY_TIMEOUT') {
      return new KeywardError('timeout', `${endpoint} timed out after ${formatSeconds(timeoutMs)} (proxy ${this.baseUrl})`, {
        endpoint,
        suggestions: ['Check that the proxy is healthy: keyward status', 'Allow more time with --timeout 60'],
      })
    }
    if (isAbort(error)) return new KeywardError('interrupted', `interrupted (Ctrl-C) during ${endpoint}`, {endpoint})
    const code = errorCode(error) ?? 'error'
    const detail = error instanceof Error ? error.message : String(error)
    return new KeywardError('network', `cannot reach the proxy at ${this.baseUrl}: ${code}${detail && !detail.includes(code) ? ` (${detail})` : ''}`, {
      endpoint,
      cause: error,
      suggestions: ['Check the address with --base-url or LITELLM_PROXY_URL', 'Check that the proxy is running: keyward status'],
    })
  }

  private debug(line: string): void {
    this.opts.onDebug?.(redactSecrets(line, this.opts.apiKey ? [this.opts.apiKey] : []))
  }
}

/**
 * A 3xx: never followed (the key would go wherever the Location says). Names the host it pointed to,
 * so a moved proxy can be fixed with --base-url.
 */
function redirectError(res: RawResponse, endpoint: string, requestUrl: string): KeywardError {
  const raw = res.headers.location
  const location = Array.isArray(raw) ? raw[0] : raw
  let target: URL | undefined
  try {
    target = location ? new URL(location, requestUrl) : undefined
  } catch {
    target = undefined
  }
  const from = new URL(requestUrl)
  const where = target ? (target.host === from.host && target.protocol === from.protocol ? `${target.pathname} on the same host` : `${target.protocol}//${target.host}`) : 'an unnamed place (no Location)'
  const safe = where
  return new KeywardError('redirect', `the proxy redirected ${endpoint} to ${safe} (HTTP ${res.status}); keyward does not follow redirects with the master key`, {
    status: res.status,
    endpoint,
    suggestions: target && target.host !== from.host ? [`If the proxy moved there, use its address: --base-url ${target.protocol}//${target.host}`] : ['Check --base-url: it must be the proxy\'s own address (scheme, host and path prefix)'],
  })
}

/** The body as text, refused (and the connection dropped) once it grows past `cap` bytes. */
async function readCapped(res: Dispatcher.ResponseData, cap: number, endpoint: string, baseUrl: string): Promise<string> {
  const tooLarge = () =>
    new KeywardError('too_large', `answer too large from ${baseUrl} (${endpoint}): more than ${formatBytes(cap)}, so keyward stopped reading it`, {
      status: res.statusCode,
      endpoint,
      suggestions: ['Is --base-url the LiteLLM proxy itself? keyward status checks it', 'For spend data, ask for a shorter range (--since/--until)'],
    })
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > cap) {
    res.body.destroy()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of res.body) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > cap) {
      res.body.destroy()
      throw tooLarge()
    }
    chunks.push(buf)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

function formatBytes(n: number): string {
  return n >= MiB ? `${Math.round(n / MiB)} MB` : `${Math.round(n / 1024)} KB`
}

class TimeoutSignal extends Error {
  constructor() {
    super('timeout')
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}

function isAbort(error: unknown): boolean {
  // No `instanceof Error`: an AbortSignal's DOMException may come from another realm (e.g. under jest).
  const name = error && typeof error === 'object' ? (error as {name?: unknown}).name : undefined
  return name === 'AbortError' || errorCode(error) === 'UND_ERR_ABORTED'
}

/** JSON when it is JSON; otherwise a marker that says what came instead. */
function decodeBody(text: string, contentType: string | string[] | undefined): unknown {
  const ct = String(Array.isArray(contentType) ? contentType[0] : (contentType ?? '')).toLowerCase()
  const trimmed = text.trimStart()
  if (trimmed === '') return null
  if (ct.includes('text/html') || /^<(!doctype|html|head|body|\?xml)/i.test(trimmed)) return new NonJsonBody('html', ct)
  try {
    return JSON.parse(text)
  } catch {
    return new NonJsonBody(ct.includes('json') ? 'malformed' : 'text', ct)
  }
}

/** Validate a response body; a missing required field is a clear error naming the endpoint. */
export function validate<S extends z.ZodTypeAny>(schema: S, body: unknown, endpoint: string): z.infer<S> {
  const result = schema.safeParse(body, PARSE)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const where = issue?.path.length ? issue.path.join('.') : 'the body'
  throw new KeywardError('schema', `unexpected answer from ${endpoint}: ${where}: ${issue?.message ?? 'invalid'}`, {
    endpoint,
    suggestions: ['Is this a LiteLLM proxy, and a supported version? Run: keyward status'],
  })
}
