/**
 * `spend logs --columns messages,response`: the paged spend-log endpoints leave out the stored prompt and
 * response (large), so each exported row without them is completed from /spend/logs/ui/{request_id}, a
 * few requests at a time. Rows from the legacy /spend/logs carry them already.
 */
import type {LiteLLMClient} from '../api/client.js'
import {requestPayload} from '../api/spend-lookup.js'
import type {SpendLogRecord} from '../domain/spend-export.js'

const CONCURRENCY = 8

/** Fills `messages` and `response` of the rows that lack them, in place. Counts the requests made. */
export function payloadFiller(client: LiteLLMClient, signal?: AbortSignal): {fill(rows: SpendLogRecord[]): Promise<void>; readonly requests: number} {
  let requests = 0
  return {
    get requests() {
      return requests
    },
    async fill(rows) {
      const todo = rows.filter((r) => !Object.hasOwn(r, 'messages') && !Object.hasOwn(r, 'response') && typeof r.request_id === 'string')
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < todo.length) {
          const r = todo[next++]!
          requests++
          const p = await requestPayload(client, r.request_id as string, signal)
          r.messages = p?.messages ?? null
          r.response = p?.response ?? null
          r.proxy_server_request = p?.proxy_server_request ?? null
        }
      }
      await Promise.all(Array.from({length: Math.min(CONCURRENCY, todo.length)}, worker))
    },
  }
}
