import {createHash} from '../core/crypto.js'

/** LiteLLM's `hash_token`: lowercase sha256 hex of the full `sk-...` string (litellm-api.md §10). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

const HASH_RE = /^[0-9a-f]{64}$/i

export function looksLikeHash(s: string): boolean {
  return HASH_RE.test(s)
}

/** A raw `sk-` key becomes its hash; anything else is taken as already hashed, as LiteLLM does. */
export function toKeyHash(keyOrHash: string): string {
  return keyOrHash.startsWith('sk-') ? hashKey(keyOrHash) : keyOrHash.toLowerCase()
}
