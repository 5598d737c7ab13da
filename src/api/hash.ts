/**
 * LiteLLM's `hash_token`: lowercase sha256 hex of the full `sk-...` string (litellm-api.md §10). node:crypto is
 * loaded on first use: loading it costs a short run ~10 ms, and most runs hash nothing.
 */
export function hashKey(key: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(key, 'utf8').digest('hex')
}

const HASH_RE = /^[0-9a-f]{64}$/i

export function looksLikeHash(s: string): boolean {
  return HASH_RE.test(s)
}

/** A raw `sk-` key becomes its hash; anything else is taken as already hashed, as LiteLLM does. */
export function toKeyHash(keyOrHash: string): string {
  return keyOrHash.startsWith('sk-') ? hashKey(keyOrHash) : keyOrHash.toLowerCase()
}
