import {z} from 'zod'

import {validate, type LiteLLMClient} from './client.js'
import {KeywardError} from '../core/errors.js'
import {KeyInfoSchema, OpenApiSchema, ReadinessSchema, type Readiness} from '../core/wire.js'
import type {ProxyFeatures} from '../core/wire.js'

/** `GET /health/liveliness` (no auth): `"I'm alive!"`. Returns the round-trip time in ms. */
export async function liveliness(client: LiteLLMClient): Promise<number> {
  const started = Date.now()
  try {
    await client.request('GET', '/health/liveliness', {auth: false})
  } catch (error) {
    // Every LiteLLM proxy serves this route without a key: a 404 means something else answered.
    if (error instanceof KeywardError && error.status === 404) {
      throw new KeywardError('not_litellm', `not a LiteLLM proxy: ${client.baseUrl} has no /health/liveliness (HTTP 404)`, {
        status: 404,
        endpoint: 'GET /health/liveliness',
        suggestions: ['Check --base-url / LITELLM_PROXY_URL: it must point at the LiteLLM proxy itself, e.g. http://localhost:4000 (no /v1 or other path)'],
      })
    }
    throw error
  }
  return Date.now() - started
}

/** `GET /health/readiness` (no auth); newest proxies send only `{"status": "healthy"}`. */
export async function readiness(client: LiteLLMClient): Promise<Readiness> {
  const res = await client.request('GET', '/health/readiness', {auth: false})
  return validate(ReadinessSchema, res.body ?? {}, 'GET /health/readiness')
}

/** `GET /health/readiness/details` (key needed, newest proxies): version and database state. */
export async function readinessDetails(client: LiteLLMClient): Promise<Readiness | undefined> {
  try {
    return await client.get('/health/readiness/details', undefined, ReadinessSchema)
  } catch (error) {
    if (error instanceof KeywardError && (error.kind === 'not_found' || error.kind === 'forbidden')) return undefined
    throw error
  }
}

/** What the proxy can do, read from its `/openapi.json` (never guessed from version numbers). */
export async function detectFeatures(client: LiteLLMClient): Promise<ProxyFeatures> {
  let paths: Record<string, unknown>
  let raw: string
  try {
    const doc = await client.get('/openapi.json', undefined, z.unknown())
    paths = validate(OpenApiSchema, doc, 'GET /openapi.json').paths
    raw = JSON.stringify((doc as {components?: unknown}).components ?? {})
  } catch (error) {
    if (error instanceof KeywardError && (error.kind === 'not_found' || error.kind === 'schema')) {
      return {spendLogsV2: false, spendLogsUi: false, dailyActivity: false, resetSpend: false, budgetLimits: false, source: 'unknown'}
    }
    throw error
  }
  return {
    spendLogsV2: '/spend/logs/v2' in paths,
    spendLogsUi: '/spend/logs/ui' in paths,
    dailyActivity: '/user/daily/activity' in paths,
    resetSpend: '/key/{key}/reset_spend' in paths,
    budgetLimits: raw.includes('"budget_limits"'),
    source: 'openapi',
  }
}

export type KeyIdentity = {kind: 'master'} | {kind: 'virtual'; alias: string | null}

/**
 * Master key or virtual key? `/key/list` answers both (a virtual key sees only its own keys), so an
 * admin check needs this: `GET /key/info` without `key` returns a virtual key's own row and 404 for
 * the master key (litellm-api.md §5). Undefined when the proxy's answer does not tell.
 */
export async function keyIdentity(client: LiteLLMClient): Promise<KeyIdentity | undefined> {
  try {
    const own = await client.get('/key/info', undefined, KeyInfoSchema)
    return {kind: 'virtual', alias: own.info.key_alias ?? null}
  } catch (error) {
    if (error instanceof KeywardError && error.kind === 'not_found') return {kind: 'master'}
    if (error instanceof KeywardError) return undefined
    throw error
  }
}
