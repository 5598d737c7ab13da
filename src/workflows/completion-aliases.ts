/**
 * Key aliases for shell completion: from the cache when fresh, else one short look at the proxy's
 * /key/list (no retries, a short timeout). Any failure means "no suggestions", never an error.
 */
import type {LiteLLMClient} from '../api/client.js'
import {listKeysPage} from '../api/keys.js'
import {readAliasCache, writeAliasCache} from '../io/completion-cache.js'
import {SHELL_SAFE} from '../domain/completion.js'

/** How long fetched aliases are reused: a few TABs in a row cost one request. */
export const ALIAS_CACHE_MS = 60_000
/** At most this many pages of 100 keys. */
const MAX_PAGES = 5

export async function completionAliases(opts: {client: LiteLLMClient | undefined; cacheFile: string; nowMs: number}): Promise<string[]> {
  const cached = await readAliasCache(opts.cacheFile, opts.nowMs, ALIAS_CACHE_MS)
  if (cached) return cached
  if (!opts.client) return []
  const aliases = new Set<string>()
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await listKeysPage(opts.client, page)
      // Only names a shell can take as they are (a hostile alias is never offered).
      for (const row of res.rows) if (row.key_alias && SHELL_SAFE.test(row.key_alias)) aliases.add(row.key_alias)
      if (res.rows.length === 0 || res.totalPages === undefined || page >= res.totalPages) break
    }
  } catch {
    return []
  }
  const list = [...aliases].sort()
  await writeAliasCache(opts.cacheFile, opts.nowMs, list).catch(() => undefined)
  return list
}
