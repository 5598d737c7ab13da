/** Helpers for the real-LiteLLM suite: the proxy's coordinates, raw HTTP, PostgreSQL reads, mock traffic, polling. */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import type {SpawnResult} from '../helpers/spawn.js'

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

export interface OwnProxy {
  proxy: RealProxy
  /** Stops the proxy and its database (by the pids harness.mjs recorded) and removes its state. */
  stop(): Promise<void>
}

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness.mjs')

function harness(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARNESS, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

/**
 * A second proxy of the suite's LiteLLM version, with its own database and settings (harness.mjs
 * --general-setting / --ui-setting), for a test that needs a differently configured proxy. It takes as
 * long to start as the suite's own (30-300 s): give the beforeAll that calls it a long timeout.
 */
export async function startOwnProxy(settings: {general?: Record<string, unknown>; ui?: Record<string, unknown>}): Promise<OwnProxy> {
  const version = process.env.KEYWARD_LITELLM_VERSION
  if (!version) throw new Error('no LiteLLM version: run this suite with `npm run test:litellm`')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-own-proxy-'))
  const state = path.join(dir, 'state.json')
  const flags = [
    ...Object.entries(settings.general ?? {}).flatMap(([k, v]) => ['--general-setting', `${k}=${JSON.stringify(v)}`]),
    ...Object.entries(settings.ui ?? {}).flatMap(([k, v]) => ['--ui-setting', `${k}=${JSON.stringify(v)}`]),
  ]
  const stop = async () => {
    await harness(['down', '--state', state])
    rmSync(dir, {recursive: true, force: true})
  }
  const up = await harness(['up', '--version', version, '--state', state, ...flags])
  const env = Object.fromEntries(up.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
  if (up.code !== 0 || !env.LITELLM_PROXY_URL) {
    await stop()
    throw new Error(`the harness could not start a second proxy (exit ${up.code}):\n${up.stderr.split('\n').slice(-20).join('\n')}`)
  }
  return {proxy: {url: env.LITELLM_PROXY_URL, masterKey: env.LITELLM_MASTER_KEY!, databaseUrl: env.DATABASE_URL!, version}, stop}
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

/** A keyward run's stdout as JSON, or an error that shows the exit code, stdout and stderr. */
export function json(r: SpawnResult): any {
  try {
    return JSON.parse(r.stdout)
  } catch {
    throw new Error(`not JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`)
  }
}
