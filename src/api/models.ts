/** The proxy's model catalogue: `GET /v1/models` (every proxy) and `GET /model/info` (where available). */
import type {LiteLLMClient} from './client.js'
import {KeywardError} from '../core/errors.js'
import {ModelInfoSchema, ModelsListSchema, type ModelInfoRow} from '../core/wire-models.js'

/** `GET /v1/models`: the model names (aliases) the proxy routes, in the proxy's order, without duplicates. */
export async function listModelIds(client: LiteLLMClient): Promise<string[]> {
  const res = await client.get('/v1/models', undefined, ModelsListSchema)
  return [...new Set(res.data.map((m) => m.id))]
}

/**
 * `GET /model/info`: one row per deployment, with context window, output limit and capabilities.
 * Older proxies (or ones that hide it) answer 404: then `undefined`.
 */
export async function fetchModelInfo(client: LiteLLMClient): Promise<ModelInfoRow[] | undefined> {
  try {
    const res = await client.get('/model/info', undefined, ModelInfoSchema)
    return res.data
  } catch (error) {
    if (error instanceof KeywardError && (error.kind === 'not_found' || error.status === 404 || error.status === 405)) return undefined
    throw error
  }
}
