/**
 * Minting a key so that a lost answer never leaves two keys behind.
 *
 * keyward chooses the secret itself (`key` on /key/generate, a strong random `sk-...`), so when the
 * answer to the create is lost (timeout, reset socket, 5xx) it can look the alias up and *know*
 * whether the key that exists is the one it sent: its hash is sha256 of our secret. Only when the
 * alias is confirmed absent is the same request sent once more; the proxy refuses a duplicate key or
 * alias, so even that cannot mint a second one.
 */
import {randomBytes} from 'node:crypto'

import type {LiteLLMClient} from './client.js'
import {KeywardError} from './errors.js'
import {hashKey} from './hash.js'
import {findKeysByAlias, generateKey, keyInfo, type KeyFields} from './keys.js'
import type {KeyRow} from './schemas.js'

export interface CreatedKey {
  /** The plaintext key: shown once, never stored by keyward unless the user asks (OpenClaw's .env). */
  key: string
  hash: string
  /** The row as `/key/info` reads it back after creation (budget_reset_at included). */
  row: KeyRow
  /** The first answer was lost and the key was confirmed by looking the alias up. */
  recovered: boolean
}

/** A new secret in LiteLLM's format: `sk-` and 32 url-safe characters (192 random bits). */
export function newSecret(): string {
  return `sk-${randomBytes(24).toString('base64url')}`
}

/** Lost answers: the proxy may or may not have created the key. */
function isAmbiguous(error: unknown): boolean {
  return error instanceof KeywardError && (error.kind === 'timeout' || error.kind === 'network' || (error.kind === 'server' && (error.status ?? 500) >= 500) || error.kind === 'not_litellm')
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
        `Replace its secret: keyward keys rotate ${JSON.stringify(alias)}`,
      ],
    })
  }
}

/**
 * Create a key with `fields` (key_alias required). Throws AliasExistsError when the alias is taken
 * (checked before and, for races, after), and never leaves a duplicate behind.
 */
export async function createKeySafely(client: LiteLLMClient, fields: KeyFields & {key_alias: string}, opts: {onNote?: (line: string) => void} = {}): Promise<CreatedKey> {
  const alias = fields.key_alias
  const [existing] = await findKeysByAlias(client, alias)
  if (existing) throw new AliasExistsError(alias, existing)

  const secret = newSecret()
  const hash = hashKey(secret)
  const body = {...fields, key: secret}
  let recovered = false
  try {
    await generateKey(client, body)
  } catch (error) {
    if (error instanceof KeywardError && error.kind === 'conflict') {
      const [taken] = await findKeysByAlias(client, alias)
      if (taken) throw new AliasExistsError(alias, taken)
      throw error
    }
    if (!isAmbiguous(error)) throw error
    opts.onNote?.(`The proxy's answer to the create was lost (${(error as KeywardError).message}); checking whether the key exists before doing anything else.`)
    const found = await findKeysByAlias(client, alias)
    const ours = found.find((r) => r.token === hash)
    if (ours) recovered = true
    else if (found.length > 0) throw new AliasExistsError(alias, found[0])
    else {
      opts.onNote?.('The key was not created; sending the same request once more (the proxy refuses a duplicate, so this cannot mint two keys).')
      await generateKey(client, body)
    }
  }
  const info = await keyInfo(client, hash)
  return {key: secret, hash, row: info.info, recovered}
}
