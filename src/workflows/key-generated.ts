/**
 * Minting and rotating on a proxy that refuses secrets chosen by the client (LiteLLM's
 * `disable_custom_api_keys`: 403 "Custom API key values are disabled by your administrator").
 *
 * There the proxy generates the secret and shows it once, in its answer. A lost answer cannot be settled
 * by hashing our own secret, so:
 *   - a create carries a one-time marker in its metadata (`keyward_create_id`); after a lost answer the
 *     alias is looked up, and a key with our marker is one whose secret nobody will ever see: it is
 *     deleted and the user is told that nothing usable was minted (or, if that fails, exactly which key to
 *     delete). Never two keys, never a key left unaccounted for.
 *   - a rotation is sent without `new_key` only after the proxy refused it with that 403 (which changed
 *     nothing); after a lost answer the old hash is looked up: gone means the key was rotated and the new
 *     secret is lost (rotate again), still there means not rotated so far.
 * The proxy's setting is remembered per client (one run), so the refused request is sent once per run.
 */
import {randomBytes} from '../core/crypto.js'

import type {LiteLLMClient} from '../api/client.js'
import {KeywardError} from '../core/errors.js'
import {hashKey} from '../api/hash.js'
import {deleteKeys, findKeysByAlias, generateKey, keyInfo, regenerateKey} from '../api/keys.js'
import type {GenerateKeyResponse, KeyFields, KeyRow} from '../core/wire.js'
import {metadataObject} from '../domain/metadata.js'

/** The metadata field that marks a key minted by keyward with a proxy-generated secret. */
export const CREATE_MARKER = 'keyward_create_id'

/** Lost answers: the proxy may or may not have applied the request. */
export function isAmbiguous(error: unknown): boolean {
  return error instanceof KeywardError && (error.kind === 'timeout' || error.kind === 'network' || (error.kind === 'server' && (error.status ?? 500) >= 500) || error.kind === 'not_litellm' || error.kind === 'too_large')
}

/** Ctrl-C while the create or rotation was in flight: the proxy may have applied it. */
export function isInterrupted(error: unknown): error is KeywardError {
  return error instanceof KeywardError && error.kind === 'interrupted'
}

const refusing = new WeakSet<LiteLLMClient>()

/** This run already learnt that the proxy refuses client-chosen secrets. */
export function refusesCustomKeys(client: LiteLLMClient): boolean {
  return refusing.has(client)
}

/** Remember the refusal for the rest of the run, and say once what it means. */
export function rememberRefusal(client: LiteLLMClient, onNote?: (line: string) => void): void {
  if (refusing.has(client)) return
  refusing.add(client)
  onNote?.(
    'The proxy generates key secrets itself (disable_custom_api_keys), so keyward lets it: if an answer is lost, keyward cannot double-check it the usual way (by the hash of a secret it chose) and will say what to do instead.',
  )
}

export function newCreateId(): string {
  return `kwc-${randomBytes(12).toString('hex')}`
}

/** The marker a key carries, if keyward minted it with a proxy-generated secret. */
export function markerOf(row: KeyRow): string | undefined {
  const value = metadataObject(row.metadata)[CREATE_MARKER]
  return typeof value === 'string' ? value : undefined
}

/** The key's metadata without the marker (sent with /key/update once the secret is safely in hand). */
export function withoutMarker(metadata: unknown): Record<string, string> {
  const {[CREATE_MARKER]: _marker, ...rest} = metadataObject(metadata)
  return rest as Record<string, string>
}

/**
 * A create or rotation with a proxy-generated secret whose answer was lost: the message says what became
 * of the key (deleted by keyward, not there, unknown, rotated); nothing can be printed.
 */
export class ProxySecretLost extends KeywardError {}

const lostWord = (error: KeywardError): KeywardError['kind'] => (error.kind === 'interrupted' ? 'interrupted' : error.kind === 'timeout' ? 'timeout' : 'network')

export interface GeneratedKey {
  key: string
  hash: string
  answer: GenerateKeyResponse
}

/**
 * `/key/generate` without `key`, marked with `createId`. Returns the proxy's secret; after a lost answer
 * it always throws (the secret is gone): having deleted our key, or naming the key to delete.
 * A conflict (alias taken) passes through for the caller.
 */
export async function generateWithProxySecret(
  client: LiteLLMClient,
  fields: KeyFields & {key_alias: string},
  opts: {createId?: string; onNote?: (line: string) => void} = {},
): Promise<GeneratedKey> {
  const id = opts.createId ?? newCreateId()
  const {key: _ours, ...rest} = fields as KeyFields & {key_alias: string; key?: string}
  const body = {...rest, metadata: {...(fields.metadata ?? {}), [CREATE_MARKER]: id}}
  try {
    const answer = await generateKey(client, body)
    if (typeof answer.key !== 'string' || !answer.key.startsWith('sk-')) {
      throw new KeywardError('schema', `the proxy minted the key '${fields.key_alias}' but its answer holds no secret`, {
        endpoint: 'POST /key/generate',
        suggestions: [`Delete it: keyward keys delete ${JSON.stringify(fields.key_alias)} --yes, then run the command again`],
      })
    }
    return {key: answer.key, hash: hashKey(answer.key), answer}
  } catch (error) {
    if (!(error instanceof KeywardError) || !(isInterrupted(error) || isAmbiguous(error))) throw error
    throw await settleLostCreate(client, fields.key_alias, id, error, opts.onNote)
  }
}

/** After a lost create with a proxy-generated secret: find our marked key and delete it; the error to throw. */
async function settleLostCreate(client: LiteLLMClient, alias: string, id: string, cause: KeywardError, onNote?: (line: string) => void): Promise<KeywardError> {
  const lost = cause.kind === 'interrupted' ? 'interrupted (Ctrl-C) before the proxy answered the create' : `the proxy's answer to the create was lost (${cause.message})`
  const check = `keyward keys info ${JSON.stringify(alias)} --json`
  const byHand = `If it shows a key with metadata ${CREATE_MARKER}=${id}, nobody has its secret: delete it with keyward keys delete ${JSON.stringify(alias)} --yes, then run the command again`
  if (isInterrupted(cause)) {
    return new ProxySecretLost('interrupted', `${lost}; the proxy generates secrets itself (disable_custom_api_keys), so a key '${alias}' may have been minted whose secret nobody will ever see`, {suggestions: [`Check: ${check}`, byHand]})
  }
  onNote?.(`${lost.charAt(0).toUpperCase()}${lost.slice(1)}; looking for the key by its alias and the marker keyward sent (${CREATE_MARKER}).`)
  let found: KeyRow[]
  try {
    found = await findKeysByAlias(client, alias)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return new ProxySecretLost(lostWord(cause), `${lost} and the check that followed failed too (${why}): a key '${alias}' may have been minted whose secret nobody will ever see (the proxy generates secrets itself)`, {
      suggestions: [`Check: ${check}`, byHand],
    })
  }
  const ours = found.find((row) => markerOf(row) === id)
  if (!ours) {
    if (found.length > 0) {
      return new ProxySecretLost('conflict', `${lost}, and the alias '${alias}' is now held by another key (${found[0].key_name ?? 'sk-...'}), not by one keyward minted; nothing was created by this run`, {
        suggestions: [`Show it: keyward keys info ${JSON.stringify(alias)}`],
      })
    }
    return new ProxySecretLost(lostWord(cause), `${lost}; no key '${alias}' exists, so nothing was minted so far (a slow proxy may still apply the request, and its secret would then be unknown)`, {
      suggestions: [`Check in a moment: ${check}`, byHand, 'Otherwise run the command again'],
    })
  }
  const token = ours.token
  try {
    if (!token) throw new Error('the proxy did not list its hash')
    await deleteKeys(client, [token])
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return new ProxySecretLost(lostWord(cause), `${lost}; the proxy did mint '${alias}' (${ours.key_name ?? 'sk-...'}), but its secret was only in that answer and is lost, and deleting the key failed (${why})`, {
      suggestions: [`Delete it: keyward keys delete ${token ?? JSON.stringify(alias)} --yes (metadata ${CREATE_MARKER}=${id}), then run the command again`],
    })
  }
  return new ProxySecretLost(lostWord(cause), `${lost}; the proxy had minted '${alias}', but its secret (generated by the proxy: disable_custom_api_keys) was only in that answer, so keyward deleted that key: nothing usable was minted`, {
    suggestions: ['Run the same command again'],
  })
}

export interface ProxyRotation {
  key: string
  hash: string
}

/**
 * `POST /key/{key}/regenerate` without `new_key`. After a lost answer it always throws: the old key is
 * looked up by its hash to say whether the key was rotated (then the new secret is lost: rotate again).
 */
export async function regenerateWithProxySecret(
  client: LiteLLMClient,
  oldHash: string,
  opts: {gracePeriod?: string; ref?: string; onNote?: (line: string) => void} = {},
): Promise<ProxyRotation> {
  const ref = opts.ref ?? oldHash
  const again = `keyward keys rotate ${JSON.stringify(ref)}`
  const oldWorks = opts.gracePeriod ? `the old secret works for ${opts.gracePeriod} more` : 'the old secret no longer works'
  let res: GenerateKeyResponse
  try {
    res = await regenerateKey(client, oldHash, opts.gracePeriod ? {grace_period: opts.gracePeriod} : {})
  } catch (error) {
    if (!(error instanceof KeywardError) || !(isInterrupted(error) || isAmbiguous(error))) throw error
    const lost = error.kind === 'interrupted' ? 'interrupted (Ctrl-C) before the proxy answered the rotation' : `the proxy's answer to the rotation was lost (${error.message})`
    const generated = 'the proxy generates secrets itself (disable_custom_api_keys)'
    const unknown = `${generated}, so if the key was rotated its new secret was only in that answer and nobody knows it`
    if (isInterrupted(error)) {
      throw new ProxySecretLost('interrupted', `${lost}; ${unknown}`, {suggestions: [`Check: keyward keys info ${oldHash}: if it is not found, the key was rotated (${oldWorks}); get a secret you can see with ${again}`]})
    }
    opts.onNote?.(`${lost.charAt(0).toUpperCase()}${lost.slice(1)}; checking whether the old key still exists.`)
    try {
      await keyInfo(client, oldHash)
    } catch (lookup) {
      if (lookup instanceof KeywardError && lookup.kind === 'not_found') {
        throw new ProxySecretLost(lostWord(error), `${lost}: the key was rotated (${oldWorks}), but ${generated}, so its new secret was only in that answer and nobody knows it`, {
          suggestions: [`Rotate it again to get a secret you can see: ${again}`],
        })
      }
      const why = lookup instanceof Error ? lookup.message : String(lookup)
      throw new ProxySecretLost(lostWord(error), `${lost} and the check that followed failed too (${why}): the key may or may not have been rotated; ${unknown}`, {
        suggestions: [`Check: keyward keys info ${oldHash}: if it is not found, the key was rotated (${oldWorks}); then rotate again: ${again}`],
      })
    }
    throw new ProxySecretLost(lostWord(error), `${lost}; the old key still exists, so it was not rotated so far (a slow proxy may still apply it; ${unknown})`, {
      suggestions: [`Check in a moment: keyward keys info ${oldHash}: if it is not found, the key was rotated; then rotate again: ${again}`, `Otherwise run the same command again`],
    })
  }
  return {key: res.key, hash: hashKey(res.key)}
}
