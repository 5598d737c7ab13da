/**
 * `spend logs show REQUEST_ID`: find one request's row with the narrowest query the proxy supports (one
 * request on LiteLLM 1.94.3 and 1.108.0; two on a proxy without the legacy lookup), then the key's name.
 */
import type {LiteLLMClient} from '../api/client.js'
import {keyInfo} from '../api/keys.js'
import {looksLikeHash} from '../api/hash.js'
import {legacyRowById, pagedRowById, requestPayload, type LookupVia} from '../api/spend-lookup.js'
import {KeywardError, isKeywardError} from '../core/errors.js'
import {formatSpendDateTime} from '../domain/spend-range.js'
import {requestDetails, type RequestDetails} from '../domain/spend-request.js'

/** Without --at, the paged endpoints are asked about this many days back (one filtered page, not a scan). */
export const DEFAULT_LOOKBACK_DAYS = 30
/** With --at, the window around that time. */
export const AT_WINDOW_MS = 15 * 60_000

export interface FoundRequest {
  details: RequestDetails
  via: LookupVia
  /** Requests sent to the proxy's spend-log endpoints. */
  spendLogRequests: number
}

export async function findRequest(client: LiteLLMClient, id: string, o: {nowMs: number; atMs?: number; signal?: AbortSignal}): Promise<FoundRequest> {
  let spendLogRequests = 1
  let via: LookupVia = 'spend-logs-legacy'
  let row = await legacyRowById(client, id, o.signal)
  let payload: Awaited<ReturnType<typeof requestPayload>> | undefined
  if (row === undefined) {
    const from = o.atMs !== undefined ? o.atMs - AT_WINDOW_MS : o.nowMs - DEFAULT_LOOKBACK_DAYS * 86_400_000
    const to = o.atMs !== undefined ? o.atMs + AT_WINDOW_MS : o.nowMs + 60_000
    const window = {startDate: formatSpendDateTime(from), endDate: formatSpendDateTime(to)}
    for (const endpoint of ['/spend/logs/v2', '/spend/logs/ui'] as const) {
      spendLogRequests++
      row = await pagedRowById(client, endpoint, id, window, o.signal)
      if (row !== undefined) {
        via = endpoint === '/spend/logs/v2' ? 'spend-logs-v2' : 'spend-logs-ui'
        break
      }
    }
    if (row === undefined) throw new KeywardError('not_litellm', 'the proxy offers no spend-log endpoint that looks up a request id (/spend/logs, /spend/logs/v2 or /spend/logs/ui)', {suggestions: ['Check that this is a LiteLLM proxy with a database: keyward status']})
    if (row) {
      // The paged endpoints leave out the prompt and response: the detail endpoint has them.
      spendLogRequests++
      payload = await requestPayload(client, id, o.signal)
    }
  }
  if (!row) {
    const where = o.atMs !== undefined && via !== 'spend-logs-legacy' ? ` within 15 minutes of ${new Date(o.atMs).toISOString()}` : via === 'spend-logs-legacy' ? '' : ` in the last ${DEFAULT_LOOKBACK_DAYS} days`
    throw new KeywardError('not_found', `no request '${id}' in the proxy's spend logs${where}`, {
      suggestions: [
        'The proxy writes spend logs in batches (general_settings.proxy_batch_write_at, 10 s by default): a request just made may not be there yet',
        'Find request ids with: keyward spend logs --since 2026-10-01 --columns request_id,startTime,key_alias,model,status',
        ...(via === 'spend-logs-legacy' ? [] : ['Name the time it started: --at 2026-10-01T12:00:00Z']),
      ],
    })
  }
  const keyName = await keyNameOf(client, row.api_key)
  return {details: requestDetails(row, {payload, keyName}), via, spendLogRequests}
}

/** The key's display name (`sk-...abcd`), when the key still exists; spend logs outlive deleted keys. */
async function keyNameOf(client: LiteLLMClient, apiKey: unknown): Promise<string | null> {
  if (typeof apiKey !== 'string' || !looksLikeHash(apiKey)) return null
  try {
    const info = await keyInfo(client, apiKey)
    return typeof info.info.key_name === 'string' ? info.info.key_name : null
  } catch (error) {
    if (isKeywardError(error) && error.kind !== 'interrupted') return null
    throw error
  }
}
