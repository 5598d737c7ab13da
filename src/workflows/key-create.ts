/**
 * Minting a key so that a lost answer never leaves two keys behind.
 *
 * keyward chooses the secret itself (`key` on /key/generate, a strong random `sk-...`), so when the
 * answer to the create is lost (timeout, reset socket, 5xx) it can look the alias up and *know*
 * whether the key that exists is the one it sent: its hash is sha256 of our secret. Only when the
 * alias is confirmed absent is the same request sent once more; the proxy refuses a duplicate key or
 * alias, so even that cannot mint a second one.
 */
import {randomBytes} from '../core/crypto.js'

import type {LiteLLMClient} from '../api/client.js'
import {KeywardError, usageError} from '../core/errors.js'
import {hashKey} from '../api/hash.js'
import {findKeysByAlias, generateKey, isCustomKeyRefusal, keyInfo, regenerateKey, updateKey} from '../api/keys.js'
import {listModelIds} from '../api/models.js'
import {KeyRowSchema, type GenerateKeyResponse, type KeyRow, type KeyFields} from '../core/wire.js'
import {PARSE} from '../core/zod-parse.js'
import {generateWithProxySecret, isAmbiguous, isInterrupted, markerOf, regenerateWithProxySecret, rememberRefusal, refusesCustomKeys, withoutMarker} from './key-generated.js'

export interface CreatedKey {
  /** The plaintext key: shown once, never stored by keyward unless the user asks (OpenClaw's .env). */
  key: string
  hash: string
  /** The row as `/key/info` reads it back after creation (budget_reset_at included). */
  row: KeyRow
  /** The first answer was lost and the key was confirmed by looking the alias up. */
  recovered: boolean
  /** Set when the key was created but could not be read back from /key/info (row is then partial). */
  unverified?: string
  /**
   * The answer was lost and the lookup that followed failed too: the key may or may not exist. The
   * secret is still returned (keyward chose it, so if the key exists this is its secret).
   */
  uncertain?: string
  /** Ctrl-C arrived before the create's answer: the key may or may not exist (nothing could be checked). */
  interrupted?: boolean
  /** The proxy generated the secret (disable_custom_api_keys): `key` is not the `secret` the caller chose. */
  generated?: boolean
}

/** A new secret in LiteLLM's format: `sk-` and 32 url-safe characters (192 random bits). */
export function newSecret(): string {
  return `sk-${randomBytes(24).toString('base64url')}`
}

/** LiteLLM's special values for a key's `models` (litellm-api.md §3). */
const SPECIAL_MODELS = new Set(['all-team-models', 'all-proxy-models', 'no-default-models'])

/** Every --models name must be one the proxy serves (or a LiteLLM special name / wildcard): exit 2 otherwise, nothing created. */
export async function checkModelsServed(client: LiteLLMClient, models: readonly string[], warn: (line: string) => void): Promise<void> {
  let served: string[]
  try {
    served = await listModelIds(client)
  } catch (error) {
    if (!(error instanceof KeywardError) || error.kind === 'interrupted') throw error
    warn(`could not check --models against the proxy's models (GET /v1/models: ${error.message}); sending them as given`)
    return
  }
  const known = new Set(served)
  const unknown = models.filter((m) => !known.has(m) && !SPECIAL_MODELS.has(m) && !m.includes('*'))
  if (unknown.length === 0) return
  throw usageError(
    `the proxy does not serve ${unknown.map((m) => `'${m}'`).join(', ')} (GET /v1/models lists: ${served.length > 0 ? served.join(', ') : 'no models'}); nothing was created`,
    `Use the models it serves, e.g. --models ${served[0] ?? 'gpt-4o'}`,
    'Or create the key anyway (a model added to the proxy later): add --force',
  )
}

export class AliasExistsError extends KeywardError {
  constructor(
    readonly alias: string,
    readonly existing: KeyRow,
  ) {
    super('conflict', `a key with alias '${alias}' already exists (${existing.key_name ?? 'sk-...'})`, {
      param: 'key_alias',
      suggestions: [
        `Show it: keyward keys info ${JSON.stringify(alias)}`,
        'Choose another --alias, or add --if-not-exists to accept the existing key',
        `Replace its secret (Enterprise-only on most proxies): keyward keys rotate ${JSON.stringify(alias)}`,
      ],
    })
  }
}

/**
 * Create a key with `fields` (key_alias required). Throws AliasExistsError when the alias is taken
 * (checked before and, for races, after), and never leaves a duplicate behind.
 */
export async function createKeySafely(
  client: LiteLLMClient,
  fields: KeyFields & {key_alias: string},
  opts: {onNote?: (line: string) => void; secret?: string; createId?: string; keepMarker?: boolean} = {},
): Promise<CreatedKey> {
  const alias = fields.key_alias
  const [existing] = await findKeysByAlias(client, alias)
  if (existing) throw new AliasExistsError(alias, existing)
  if (refusesCustomKeys(client)) return createWithProxySecret(client, fields, opts)

  // A caller that must survive an interruption (keys rotate --replace) chooses and saves the secret first.
  const secret = opts.secret ?? newSecret()
  const hash = hashKey(secret)
  const body = {...fields, key: secret}
  let recovered = false
  let answer: GenerateKeyResponse | undefined
  let fromList: KeyRow | undefined
  try {
    answer = await generateKey(client, body)
  } catch (error) {
    if (isCustomKeyRefusal(error)) {
      // Refused before anything was written: the proxy must generate the secret itself.
      rememberRefusal(client, opts.onNote)
      return createWithProxySecret(client, fields, opts)
    }
    if (error instanceof KeywardError && error.kind === 'conflict') {
      const [taken] = await findKeysByAlias(client, alias)
      if (taken) throw new AliasExistsError(alias, taken)
      throw error
    }
    if (isInterrupted(error)) return interruptedKey(secret, hash, fields)
    if (!isAmbiguous(error)) throw error
    opts.onNote?.(`The proxy's answer to the create was lost (${(error as KeywardError).message}); checking whether the key exists before doing anything else.`)
    const found = await lookUpAfterLoss(client, alias)
    if (!Array.isArray(found)) return uncertainKey(secret, hash, answer, fields, error as KeywardError, found.failed)
    const ours = found.find((r) => r.token === hash)
    if (ours) {
      recovered = true
      fromList = ours
    } else if (found.length > 0) throw new AliasExistsError(alias, found[0])
    else {
      opts.onNote?.('The key was not created; sending the same request once more (the proxy refuses a duplicate, so this cannot mint two keys).')
      try {
        answer = await generateKey(client, body)
      } catch (again) {
        if (isInterrupted(again)) return interruptedKey(secret, hash, fields)
        // The first request never reached the proxy, and this one was refused for carrying our secret (so was the first, if it lands).
        if (isCustomKeyRefusal(again)) {
          rememberRefusal(client, opts.onNote)
          return createWithProxySecret(client, fields, opts)
        }
        // A conflict now may be our first request landing late: the hash tells.
        if (!isAmbiguous(again) && !(again instanceof KeywardError && again.kind === 'conflict')) throw again
        const second = await lookUpAfterLoss(client, alias)
        if (!Array.isArray(second)) return uncertainKey(secret, hash, answer, fields, again as KeywardError, second.failed)
        fromList = second.find((r) => r.token === hash)
        if (!fromList) {
          if (second.length > 0) throw new AliasExistsError(alias, second[0])
          // The proxy itself answered with an error (not a gateway, not silence): it is done with the
          // request and the key is not there, so nothing was created.
          if (again instanceof KeywardError && again.kind === 'server' && again.status !== 502 && again.status !== 504) throw again
          // Lost twice and not visible (yet): the request may still be applied. Never drop the secret.
          return uncertainKey(secret, hash, answer, fields, again as KeywardError, 'the key is not on the proxy yet, but the request may still be applied')
        }
        recovered = true
      }
    }
  }
  // The key exists now: never lose its secret because the read-back failed.
  try {
    const info = await keyInfo(client, hash)
    return {key: secret, hash, row: info.info, recovered}
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return {key: secret, hash, row: fromList ?? rowFromAnswer(answer, fields, hash), recovered, unverified: message}
  }
}

/** The proxy chooses the secret (disable_custom_api_keys); a lost answer ends in an error that says what happened to the key. */
async function createWithProxySecret(
  client: LiteLLMClient,
  fields: KeyFields & {key_alias: string},
  opts: {onNote?: (line: string) => void; createId?: string; keepMarker?: boolean},
): Promise<CreatedKey> {
  const alias = fields.key_alias
  let made
  try {
    made = await generateWithProxySecret(client, fields, opts)
  } catch (error) {
    if (error instanceof KeywardError && error.kind === 'conflict' && error.status !== undefined) {
      const [taken] = await findKeysByAlias(client, alias)
      if (taken) throw new AliasExistsError(alias, taken)
    }
    throw error
  }
  try {
    const {info} = await keyInfo(client, made.hash)
    if (opts.keepMarker || markerOf(info) === undefined) return {key: made.key, hash: made.hash, row: info, recovered: false, generated: true}
    // The secret is in hand: the marker has done its job. If removing it fails it stays (harmless).
    const metadata = withoutMarker(info.metadata)
    try {
      await updateKey(client, made.hash, {metadata})
      return {key: made.key, hash: made.hash, row: {...info, metadata}, recovered: false, generated: true}
    } catch {
      return {key: made.key, hash: made.hash, row: info, recovered: false, generated: true}
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return {key: made.key, hash: made.hash, row: rowFromAnswer(made.answer, fields, made.hash), recovered: false, unverified: message, generated: true}
  }
}

/** After a lost answer: look the alias up; `failed` when even that did not work. */
async function lookUpAfterLoss(client: LiteLLMClient, alias: string): Promise<KeyRow[] | {failed: string}> {
  try {
    return await findKeysByAlias(client, alias)
  } catch (error) {
    return {failed: error instanceof Error ? error.message : String(error)}
  }
}

/** Neither the create's answer nor the check after it arrived: hand the secret back, marked uncertain. */
function uncertainKey(
  secret: string,
  hash: string,
  answer: GenerateKeyResponse | undefined,
  fields: KeyFields & {key_alias: string},
  cause: KeywardError,
  lookup: string,
): CreatedKey {
  return {
    key: secret,
    hash,
    row: rowFromAnswer(answer, fields, hash),
    recovered: false,
    uncertain: `the create's answer was lost (${cause.message}) and the check that followed failed too (${lookup})`,
  }
}

/** Ctrl-C before the answer: nothing can be checked any more (every request of the run is aborted). */
function interruptedKey(secret: string, hash: string, fields: KeyFields & {key_alias: string}): CreatedKey {
  return {key: secret, hash, row: rowFromAnswer(undefined, fields, hash), recovered: false, interrupted: true, uncertain: 'interrupted (Ctrl-C) before the proxy answered the create'}
}

/** A row from what /key/generate answered (or what was sent) when /key/info could not be read. */
function rowFromAnswer(answer: GenerateKeyResponse | undefined, fields: KeyFields & {key_alias: string}, hash: string): KeyRow {
  return KeyRowSchema.parse({
    token: hash,
    key_name: answer?.key_name ?? null,
    key_alias: answer?.key_alias ?? fields.key_alias,
    spend: 0,
    max_budget: answer?.max_budget ?? fields.max_budget ?? null,
    budget_duration: answer?.budget_duration ?? fields.budget_duration ?? null,
    expires: answer?.expires ?? null,
    models: answer?.models ?? fields.models ?? [],
    rpm_limit: fields.rpm_limit ?? null,
    tpm_limit: fields.tpm_limit ?? null,
    max_parallel_requests: fields.max_parallel_requests ?? null,
    team_id: fields.team_id ?? null,
    user_id: fields.user_id ?? null,
    metadata: fields.metadata ?? {},
    soft_budget: fields.soft_budget ?? null,
  }, PARSE)
}

export interface RotatedKey {
  /** The new plaintext key: shown once. */
  key: string
  hash: string
  /** The key as /key/info reads it after the rotation; undefined when the rotation is uncertain. */
  row?: KeyRow
  /** The answer was lost and the new key was confirmed by its hash. */
  recovered: boolean
  /**
   * The answer was lost and the new hash could not be confirmed: the rotation may or may not have
   * happened (or may still happen). The secret is returned anyway: if the key was rotated, it is this.
   */
  uncertain?: string
  /** Ctrl-C arrived before the answer. */
  interrupted?: boolean
  /** Rotated, but reading the key back failed (row is then undefined). */
  unverified?: string
}

/**
 * `POST /key/{key}/regenerate` with a secret chosen here (`new_key`), so a lost answer can be resolved
 * by looking the new hash up instead of leaving the user with a rotated key nobody knows.
 * Enterprise-only errors pass through unchanged (kind `enterprise_only`).
 */
export async function rotateKeySafely(
  client: LiteLLMClient,
  oldHash: string,
  opts: {gracePeriod?: string; previousKeyName?: string | null; ref?: string; onNote?: (line: string) => void} = {},
): Promise<RotatedKey> {
  if (refusesCustomKeys(client)) return rotateWithProxySecret(client, oldHash, opts)
  const secret = newSecret()
  const body = {new_key: secret, ...(opts.gracePeriod ? {grace_period: opts.gracePeriod} : {})}
  let key: string
  try {
    const res = await regenerateKey(client, oldHash, body)
    key = res.key
  } catch (error) {
    if (isCustomKeyRefusal(error)) {
      // A regenerate refused with this 403 changed nothing: send it again without new_key.
      rememberRefusal(client, opts.onNote)
      return rotateWithProxySecret(client, oldHash, opts)
    }
    const newHash = hashKey(secret)
    if (isInterrupted(error)) return {key: secret, hash: newHash, recovered: false, interrupted: true, uncertain: 'interrupted (Ctrl-C) before the proxy answered the rotation'}
    if (!isAmbiguous(error)) throw error
    const lost = (error as KeywardError).message
    opts.onNote?.(`The proxy's answer to the rotation was lost (${lost}); checking whether the key was rotated.`)
    // Only a key with our secret can have its hash: finding it proves the rotation happened.
    try {
      const info = await keyInfo(client, newHash)
      return {key: secret, hash: newHash, row: info.info, recovered: true}
    } catch (lookup) {
      if (isInterrupted(lookup)) return {key: secret, hash: newHash, recovered: false, interrupted: true, uncertain: `the rotation's answer was lost (${lost}) and the check was interrupted (Ctrl-C)`}
      if (!(lookup instanceof KeywardError && lookup.kind === 'not_found')) {
        return {key: secret, hash: newHash, recovered: false, uncertain: `the rotation's answer was lost (${lost}) and the check that followed failed too (${lookup instanceof Error ? lookup.message : String(lookup)})`}
      }
    }
    // Not visible: the proxy has not applied it so far, but a slow proxy may still do so, and the
    // secret would then be this one. Never claim "nothing changed".
    return {key: secret, hash: newHash, recovered: false, uncertain: `the rotation's answer was lost (${lost}) and the proxy does not show the new key so far; the request may still be applied`}
  }
  const hash = hashKey(key)
  // Rotated: never lose the new secret because the read-back failed.
  try {
    const info = await keyInfo(client, hash)
    return {key, hash, row: info.info, recovered: false}
  } catch (error) {
    return {key, hash, recovered: false, unverified: error instanceof Error ? error.message : String(error)}
  }
}

/** The proxy chooses the new secret; a lost answer ends in an error that says whether the key was rotated. */
type RotateOpts = {gracePeriod?: string; ref?: string; onNote?: (line: string) => void}
async function rotateWithProxySecret(client: LiteLLMClient, oldHash: string, opts: RotateOpts): Promise<RotatedKey> {
  const {key, hash} = await regenerateWithProxySecret(client, oldHash, opts)
  try {
    const info = await keyInfo(client, hash)
    return {key, hash, row: info.info, recovered: false}
  } catch (error) {
    return {key, hash, recovered: false, unverified: error instanceof Error ? error.message : String(error)}
  }
}

/**
 * stdout failed (full disk, closed pipe) after a key was minted: say so, name the key and how to get
 * rid of it, never print its secret anywhere else (stderr may be a log file).
 */
export function secretNotWritten(error: unknown, what: string, suggestions: string[]): KeywardError {
  const code = (error as {code?: unknown})?.code
  const why = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
  return new KeywardError('secret_undelivered', `${what}, but its secret could not be written to stdout (${why}) and is not shown anywhere else`, {suggestions})
}
