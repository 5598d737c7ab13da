/**
 * Webhook delivery: one JSON POST with a timeout, retried on network errors, 429 and 5xx. A
 * permanent refusal (4xx: a revoked Slack hook answers 403/404) is not retried. Never throws: the
 * outcome says what happened, without the URL (it is a secret).
 */
import type {Dispatcher} from 'undici'

import {backoffMs, parseRetryAfter} from '../api/client.js'
import {errorCode, sleep as realSleep} from '../core/errors.js'
import {redactSecrets} from '../core/redact.js'
import {request} from '../api/undici.js'
import type {NotifyTarget} from './targets.js'

export interface DeliveryOptions {
  /** Per attempt, covering connect, headers and body. */
  timeoutMs?: number
  /** Attempts, the first included. */
  attempts?: number
  userAgent?: string
  /** The connection pool to use (the command's, so it is closed when the command ends). */
  dispatcher?: Dispatcher
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Sent as the `Idempotency-Key` header on every attempt: the same alert sent again carries the same key. */
  idempotencyKey?: string
}

export type DeliveryOutcome = {ok: true; status: number; attempts: number} | {ok: false; status: number | null; attempts: number; error: string}

const MAX_WAIT_MS = 10_000

/**
 * The first `max` characters of a webhook's answer (all keyward shows); the rest is not read, so a
 * receiver answering with gigabytes costs nothing.
 */
async function readStart(body: AsyncIterable<unknown> & {destroy(): void}, max: number): Promise<string> {
  let text = ''
  for await (const chunk of body) {
    text += Buffer.from(chunk as Buffer).toString('utf8')
    if (text.length >= max) {
      body.destroy()
      break
    }
  }
  return text.slice(0, max)
}

export async function deliverWebhook(target: NotifyTarget, payload: unknown, opts: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  const timeoutMs = opts.timeoutMs ?? 10_000
  const attempts = Math.max(1, opts.attempts ?? 3)
  const sleep = opts.sleep ?? realSleep
  const random = opts.random ?? Math.random
  const body = JSON.stringify(payload)
  const clean = (s: string) => redactSecrets(s.split(target.url).join(target.display))
  let last: DeliveryOutcome = {ok: false, status: null, attempts: 0, error: 'not attempted'}
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait: number | undefined
    try {
      const res = await request(target.url, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'user-agent': opts.userAgent ?? 'keyward', ...(opts.idempotencyKey ? {'idempotency-key': opts.idempotencyKey} : {})},
        body,
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: opts.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      const text = await readStart(res.body, 200)
      if (res.statusCode >= 200 && res.statusCode < 300) return {ok: true, status: res.statusCode, attempts: attempt}
      const said = text.trim() ? `: ${clean(text.trim().replace(/\s+/g, ' '))}` : ''
      last = {ok: false, status: res.statusCode, attempts: attempt, error: `HTTP ${res.statusCode}${said}`}
      if (res.statusCode !== 429 && res.statusCode < 500) return last
      wait = parseRetryAfter(res.headers['retry-after'])
    } catch (error) {
      const code = errorCode(error, {abortIsTimeout: true}) ?? 'error'
      const detail = code === 'timeout' ? `timed out after ${timeoutMs / 1000} s` : `${code}${error instanceof Error && error.message && !error.message.includes(code) ? ` (${clean(error.message)})` : ''}`
      last = {ok: false, status: null, attempts: attempt, error: detail}
    }
    if (attempt < attempts) await sleep(Math.min(MAX_WAIT_MS, wait ?? backoffMs(attempt, random)))
  }
  return last
}
