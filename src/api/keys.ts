/** One function per `/key/*` endpoint (litellm-api.md §3, §5-§7). */
import type {LiteLLMClient} from './client.js'
import {KeywardError} from '../core/errors.js'
import {looksLikeHash, toKeyHash} from './hash.js'
import {parseKeyRef} from '../domain/inputs.js'
import {closest} from '../domain/suggest.js'
import {
  GenerateKeyResponseSchema,
  KeyBlockResponseSchema,
  KeyDeleteResponseSchema,
  KeyInfoSchema,
  KeyListSchema,
  KeyUpdateResponseSchema,
  RegenerateKeyResponseSchema,
  type GenerateKeyResponse,
  type KeyFields,
  type KeyInfo,
  type KeyRow,
} from '../core/wire.js'

/** `POST /key/generate`. Never retried: a lost answer is resolved by the caller looking the alias up. */
export async function generateKey(client: LiteLLMClient, fields: KeyFields): Promise<GenerateKeyResponse> {
  return client.post('/key/generate', fields, GenerateKeyResponseSchema, {retry: false})
}

/**
 * LiteLLM's definitive refusal of a secret chosen by the client (`key` on /key/generate, `new_key` on
 * regenerate) when the proxy has `disable_custom_api_keys` (general_settings on 1.108, a UI setting on 1.94):
 * HTTP 403 with this message, raised before anything is written, so nothing was minted or rotated.
 */
export function isCustomKeyRefusal(error: unknown): boolean {
  return error instanceof KeywardError && error.status === 403 && /custom api key values are disabled/i.test(error.message)
}

/** `GET /key/info?key=<hash>`: the key is always sent hashed, so no raw key ends up in a URL or a proxy log. */
export async function keyInfo(client: LiteLLMClient, keyOrHash: string): Promise<KeyInfo> {
  return client.get('/key/info', {key: toKeyHash(keyOrHash)}, KeyInfoSchema)
}

/** `GET /key/info` without a key: a virtual key reads its own row. */
export async function ownKeyInfo(client: LiteLLMClient): Promise<KeyInfo> {
  return client.get('/key/info', undefined, KeyInfoSchema)
}

export interface KeyListPage {
  rows: KeyRow[]
  totalCount?: number
  totalPages?: number
}

/** One page of `GET /key/list` with full rows (size at most 100, per the proxy's limit). */
export async function listKeysPage(
  client: LiteLLMClient,
  page: number,
  query: {key_alias?: string; size?: number; sort_by?: string; sort_order?: string} = {},
): Promise<KeyListPage> {
  const res = await client.get('/key/list', {page, size: query.size ?? 100, return_full_object: 'true', key_alias: query.key_alias, sort_by: query.sort_by, sort_order: query.sort_order}, KeyListSchema)
  const rows = res.keys.filter((k): k is KeyRow => typeof k === 'object' && k !== null)
  return {rows, totalCount: res.total_count ?? undefined, totalPages: res.total_pages ?? undefined}
}

/** Every key, paging `/key/list` to the end (from `firstPage` when page 1 was already fetched with the same query). */
export async function* listAllKeys(client: LiteLLMClient, query: {key_alias?: string} = {}, firstPage?: KeyListPage): AsyncGenerator<KeyRow> {
  for (let page = 1; page < 10_000; page++) {
    const res = page === 1 && firstPage ? firstPage : await listKeysPage(client, page, query)
    yield* res.rows
    if (res.rows.length === 0 || (res.totalPages !== undefined && page >= res.totalPages)) return
  }
}

/** Keys whose alias is exactly `alias` (aliases are unique on current proxies, but be defensive). */
export async function findKeysByAlias(client: LiteLLMClient, alias: string): Promise<KeyRow[]> {
  const rows: KeyRow[] = []
  for await (const row of listAllKeys(client, {key_alias: alias})) if (row.key_alias === alias) rows.push(row)
  return rows
}

export interface ResolvedKey {
  /** The key's hash (`token`), the stable way to address it. */
  hash: string
  row: KeyRow
  /** How the user named it. */
  via: 'alias' | 'key' | 'hash'
}

/** Resolve what a user typed (alias, `sk-` key or hash) to one key, with its full row from `/key/info`. */
export async function resolveKey(client: LiteLLMClient, ref: string): Promise<ResolvedKey> {
  parseKeyRef(ref) // bad input (a newline, an escape): refused before anything is sent
  if (ref.startsWith('sk-') || looksLikeHash(ref)) {
    const hash = toKeyHash(ref)
    const info = await keyInfo(client, hash)
    return {hash, row: info.info, via: ref.startsWith('sk-') ? 'key' : 'hash'}
  }
  const matches = await findKeysByAlias(client, ref)
  if (matches.length === 0) {
    const near = await nearAlias(client, ref)
    const suggestions = near
      ? [`Did you mean '${near}'?`, 'List the keys: keyward keys list']
      : ['List the keys: keyward keys list', `Create it: keyward keys create --alias ${JSON.stringify(ref)} --budget 50`]
    throw new KeywardError('not_found', `no key with alias '${ref}'`, {suggestions})
  }
  if (matches.length > 1) {
    throw new KeywardError('conflict', `${matches.length} keys share the alias '${ref}'`, {suggestions: ['Name the key by its hash instead: keyward keys list --json']})
  }
  const hash = matches[0].token
  if (!hash) throw new KeywardError('schema', `GET /key/list did not return the key's token for alias '${ref}'`, {endpoint: 'GET /key/list'})
  const info = await keyInfo(client, hash)
  return {hash, row: info.info, via: 'alias'}
}

/**
 * The existing alias closest to a mistyped one, from the first 10 pages of `/key/list` (this only runs
 * after a lookup failed). Undefined when nothing is close, or the list cannot be read.
 */
async function nearAlias(client: LiteLLMClient, typed: string): Promise<string | undefined> {
  const aliases: string[] = []
  try {
    for (let page = 1; page <= 10; page++) {
      const res = await listKeysPage(client, page)
      for (const row of res.rows) if (typeof row.key_alias === 'string' && row.key_alias !== '') aliases.push(row.key_alias)
      if (res.rows.length === 0 || (res.totalPages !== undefined && page >= res.totalPages)) break
    }
  } catch (error) {
    if (error instanceof KeywardError && error.kind !== 'interrupted') return undefined
    throw error
  }
  return closest(typed, aliases)
}

/** `POST /key/update` with only the given fields; the answer holds only changed columns, so re-read /key/info. */
export async function updateKey(client: LiteLLMClient, hash: string, fields: KeyFields): Promise<void> {
  await client.post('/key/update', {key: hash, ...fields}, KeyUpdateResponseSchema)
}

/** `POST /key/delete` by hash. */
export async function deleteKeys(client: LiteLLMClient, hashes: string[]): Promise<unknown[]> {
  const res = await client.post('/key/delete', {keys: hashes}, KeyDeleteResponseSchema)
  return res.deleted_keys
}

/** `POST /key/block` or `/key/unblock`. */
export async function setBlocked(client: LiteLLMClient, hash: string, blocked: boolean): Promise<void> {
  await client.post(blocked ? '/key/block' : '/key/unblock', {key: hash}, KeyBlockResponseSchema)
}

/** `POST /key/{key}/regenerate` (Enterprise-only on most proxies). Returns the new plaintext key. */
export async function regenerateKey(client: LiteLLMClient, hash: string, body: {grace_period?: string; new_key?: string} = {}): Promise<GenerateKeyResponse> {
  return client.post(`/key/${encodeURIComponent(hash)}/regenerate`, body, RegenerateKeyResponseSchema, {retry: false})
}
