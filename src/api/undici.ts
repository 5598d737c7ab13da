/**
 * undici, lean: only its connection pool (Agent) and its request API, which is all keyward uses. undici's
 * index also loads fetch, WebSocket, EventSource, the cache and mock agents and their parsers (half of a
 * short run's JavaScript), and its cookie code reads `globalThis.Headers`, which makes Node load its own
 * internal copy of undici as well. Same classes, same behaviour: these are the files the index re-exports.
 */
import type {Dispatcher} from 'undici'
import Agent from 'undici/lib/dispatcher/agent.js'
import apiRequest from 'undici/lib/api/api-request.js'

import {baselineWasmOnly} from './wasm-flags.js'

export {Agent}

type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & Partial<Pick<Dispatcher.RequestOptions, 'method'>> & {dispatcher?: Dispatcher}

let fallback: Dispatcher | undefined

/**
 * `undici.request(url, options)` for an absolute URL: the same call the index makes, on the given dispatcher
 * (or undici's global one, as the index would; created on first use if nothing set it).
 */
export function request(url: string | URL, opts: RequestOptions = {}): Promise<Dispatcher.ResponseData> {
  const u = new URL(url)
  // Before the first connection compiles llhttp (see ./wasm-flags.ts for why here and not at start).
  baselineWasmOnly(u)
  const {dispatcher, ...rest} = opts
  const global = (globalThis as Record<symbol, Dispatcher | undefined>)[Symbol.for('undici.globalDispatcher.1')]
  const target = dispatcher ?? global ?? (fallback ??= new Agent())
  return apiRequest.call(target, {...rest, origin: u.origin, path: u.search ? `${u.pathname}${u.search}` : u.pathname, method: opts.method ?? (opts.body ? 'PUT' : 'GET')})
}

/**
 * Closes a connection pool at the end of a run. undici destroys each idle socket with an error it makes for
 * the purpose (ClientDestroyedError), and Node's streams read that error's stack at once; V8 then works out
 * line positions across the whole bundle (about 3% of a one-request run's instructions) for a stack nobody
 * sees. The errors made while the pool closes carry no frames; the limit is restored when it has closed.
 * A failure to close is not an error of the run.
 */
export async function closePool(pool: Pick<Dispatcher, 'close'>): Promise<void> {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    await pool.close()
  } catch {
    // the run's work is done; an idle socket that would not close changes nothing
  } finally {
    Error.stackTraceLimit = limit
  }
}
