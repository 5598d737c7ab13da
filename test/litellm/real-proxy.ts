/** Helpers for the real-LiteLLM suite: the proxy's coordinates, raw HTTP, PostgreSQL reads, mock traffic, polling. */
import {createRequire} from 'node:module'

export interface RealProxy {
  url: string
  masterKey: string
  databaseUrl: string
  version: string
}

export function realProxy(): RealProxy {
  const url = process.env.KW_REAL_LITELLM_PROXY_URL
  const masterKey = process.env.KW_REAL_LITELLM_MASTER_KEY
  const databaseUrl = process.env.KW_REAL_DATABASE_URL
  const version = process.env.KEYWARD_LITELLM_VERSION
  if (!url || !masterKey || !databaseUrl || !version) {
    throw new Error('no real proxy: run this suite with `npm run test:litellm` (it starts one per LiteLLM version)')
  }
  return {url, masterKey, databaseUrl, version}
}

interface PgClient {
  connect(): Promise<void>
  query(text: string, values?: unknown[]): Promise<{rows: Record<string, unknown>[]}>
  end(): Promise<void>
}
const pg = createRequire(import.meta.url)('pg') as {Client: new (o: {connectionString: string}) => PgClient}

/** One query straight against LiteLLM's PostgreSQL, bypassing the proxy. */
export async function sql<T = Record<string, unknown>>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({connectionString: databaseUrl})
  await client.connect()
  try {
    return (await client.query(text, values)).rows as T[]
  } finally {
    await client.end()
  }
}

export interface HttpAnswer {
  status: number
  body: any  
}

export async function http(proxy: RealProxy, method: string, path: string, key: string, body?: unknown): Promise<HttpAnswer> {
  const res = await fetch(`${proxy.url}${path}`, {
    method,
    headers: {authorization: `Bearer ${key}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return {status: res.status, body: parsed}
}

/**
 * A chat request. `max_tokens` bounds what newer proxies reserve from the budget before the call (they reserve
 * the request's maximum possible cost, so unbounded concurrent requests are refused long before the budget is spent).
 */
export const chatBody = (model: string) => ({model, max_tokens: 30, messages: [{role: 'user', content: 'hi'}]})

/** `count` mock chat completions with `key`, `concurrency` at a time; returns the HTTP statuses. */
export async function chat(proxy: RealProxy, key: string, model: string, count: number, concurrency = 6): Promise<number[]> {
  const statuses: number[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      const r = await http(proxy, 'POST', '/chat/completions', key, chatBody(model))
      statuses.push(r.status)
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, count)}, worker))
  return statuses
}

/** Poll `probe` until it returns a value `done` accepts, or fail with the last value once `ms` have passed. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms
  let last: T
  do {
    last = await probe()
    if (done(last)) return last
    await new Promise((r) => setTimeout(r, 500))
  } while (Date.now() < deadline)
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}; last: ${JSON.stringify(last)}`)
}

export const cents = (usd: number) => Math.round(usd * 100)
