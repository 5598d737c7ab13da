/**
 * `keys rotate --replace`: rotate a key with open-source endpoints only (no /key/{key}/regenerate).
 *
 *   0. record the rotation (new secret chosen here, names) in the data directory, before anything is sent;
 *   1. mint the new key with the old one's settings under a temporary alias (`createKeySafely` with that
 *      secret: a lost answer is settled by the hash, never by minting again);
 *   2. rename the old key to `<alias>-rotated-<date>`; with --grace it expires after the grace and may
 *      spend only its grace share more, without it it is blocked in step 4;
 *   3. give the new key the alias, and the spend carried over (domain/key-replace.ts);
 *   4. without --grace: block the old key;
 *   5. the caller prints the secret, then removes the record.
 *
 * Each step first reads where the proxy is, so a run stopped anywhere (lost answer, Ctrl-C, crash) and
 * started again continues from there: the record holds the secret, and the new key is looked up by its
 * hash, so there is never a second new key.
 */
import type {LiteLLMClient} from '../api/client.js'
import {hashKey} from '../api/hash.js'
import {deleteKeys, findKeysByAlias, keyInfo, resolveKey, setBlocked, updateKey} from '../api/keys.js'
import {looksLikeHash, toKeyHash} from '../api/hash.js'
import {KeywardError} from '../core/errors.js'
import type {KeyFields, KeyRow} from '../core/wire.js'
import {replacementFields, rotatedAliasFor, spendCarry, tempAliasFor} from '../domain/key-replace.js'
import {finishRotation, readRotations, saveRotation, startRotation, type Rotation} from '../io/rotation-state.js'
import {AliasExistsError, createKeySafely, newSecret} from './key-create.js'
import {markerOf, newCreateId, ProxySecretLost, withoutMarker} from './key-generated.js'

export interface ReplaceOptions {
  grace?: string
  graceBudget?: number
  now: Date
  /** `<data dir>/rotations` */
  dir: string
  onNote?: (line: string) => void
}

export interface ReplacedKey {
  rotation: Rotation
  /** The new key as /key/info reads it at the end. */
  row: KeyRow
  /** The old key as /key/info reads it at the end. */
  old: KeyRow
  /** This run finished a rotation an earlier run had started. */
  resumed: boolean
  /** The record file (removed by `finishReplace` once the secret was shown). */
  file: string
}

const isNotFound = (e: unknown): boolean => e instanceof KeywardError && e.kind === 'not_found'

async function readKey(client: LiteLLMClient, hash: string): Promise<KeyRow | undefined> {
  try {
    return (await keyInfo(client, hash)).info
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

/** A rotation recorded for what the user typed: the alias, the old key (sk-…, hash) or the new one. */
async function pendingFor(dir: string, ref: string): Promise<{file: string; rotation: Rotation} | undefined> {
  const {rotations} = await readRotations(dir)
  const hash = ref.startsWith('sk-') || looksLikeHash(ref) ? toKeyHash(ref) : undefined
  return rotations.find(({rotation: r}) => r.alias === ref || (hash !== undefined && (r.oldHash === hash || r.newHash === hash)))
}

function stopped(step: string, error: unknown, alias: string): KeywardError {
  const cause = error instanceof Error ? error.message : String(error)
  const kind = error instanceof KeywardError ? error.kind : 'network'
  return new KeywardError(kind === 'interrupted' ? 'interrupted' : kind, `the rotation of '${alias}' stopped while ${step} (${cause}); nothing is lost: the new secret is kept until it has been shown`, {
    suggestions: [`Run the same command again to finish it: keyward keys rotate --replace ${JSON.stringify(alias)}`],
  })
}

export async function replaceKey(client: LiteLLMClient, ref: string, opts: ReplaceOptions): Promise<ReplacedKey> {
  let pending = await pendingFor(opts.dir, ref)
  const resumed = pending !== undefined
  if (pending) {
    const r = pending.rotation
    if ((opts.grace ?? null) !== r.grace) opts.onNote?.(`Finishing the rotation of '${r.alias}' started ${r.startedAt} with ${r.grace ? `--grace ${r.grace}` : 'no --grace'} (as recorded then).`)
    else opts.onNote?.(`Finishing the rotation of '${r.alias}' started ${r.startedAt}.`)
  } else {
    const resolved = await resolveKey(client, ref)
    const alias = resolved.row.key_alias
    if (!alias) {
      throw new KeywardError('usage', 'keys rotate --replace moves the key\'s alias to the new key, and this key has no alias', {
        suggestions: [`Give it one first: keyward keys update ${resolved.hash.slice(0, 12)} --alias <name>`],
      })
    }
    const day = opts.now.toISOString().slice(0, 10)
    let rotatedAlias = rotatedAliasFor(alias, day)
    for (let n = 2; (await findKeysByAlias(client, rotatedAlias)).length > 0; n++) rotatedAlias = rotatedAliasFor(alias, day, n)
    const secret = newSecret()
    const rotation: Rotation = {
      version: 1,
      oldHash: resolved.hash,
      oldKeyName: resolved.row.key_name ?? null,
      alias,
      tempAlias: tempAliasFor(alias),
      rotatedAlias,
      secret,
      newHash: hashKey(secret),
      createId: newCreateId(),
      grace: opts.grace ?? null,
      graceBudget: opts.graceBudget ?? null,
      startedAt: opts.now.toISOString(),
      carry: null,
    }
    const started = await startRotation(opts.dir, rotation)
    pending = await pendingFor(opts.dir, resolved.hash)
    if (!pending) throw new KeywardError('conflict', `another run is rotating '${alias}' right now`, {suggestions: ['Wait for it, then run the command again']})
    if (!started) opts.onNote?.(`A rotation of '${alias}' was already recorded; finishing that one.`)
  }
  const {file} = pending
  const r = pending.rotation

  // 1. The new key, under the temporary alias.
  let created = await readKey(client, r.newHash)
  if (!created) {
    const oldRow = await readKey(client, r.oldHash)
    if (!oldRow) {
      throw new KeywardError('not_found', `the key being rotated ('${r.alias}', ${r.oldHash.slice(0, 12)}) no longer exists, and the new key was never minted`, {
        suggestions: [`Start again with keyward keys create --alias ${JSON.stringify(r.alias)}, then remove ${file}`],
      })
    }
    if (!r.createId) {
      r.createId = newCreateId()
      await saveRotation(opts.dir, r)
    }
    await mintNewKey(client, r, replacementFields(oldRow, r.tempAlias) as KeyFields & {key_alias: string}, opts)
    created = await readKey(client, r.newHash)
    if (!created) throw stopped('reading the new key back', new Error('the proxy does not show it yet'), r.alias)
  }

  // 2. The old key gives up the alias (and, with --grace, gets its expiry and grace share).
  let old = await readKey(client, r.oldHash)
  if (!old) throw new KeywardError('not_found', `the old key (${r.oldHash.slice(0, 12)}) was deleted during the rotation; the new key exists as '${r.tempAlias}'`, {suggestions: [`Give it the alias: keyward keys update ${r.newHash.slice(0, 12)} --alias ${JSON.stringify(r.alias)}`]})
  if (old.key_alias !== r.rotatedAlias) {
    if (old.key_alias !== r.alias) throw new KeywardError('conflict', `the old key's alias changed to '${old.key_alias ?? ''}' during the rotation (expected '${r.alias}')`)
    const carry = spendCarry(old.max_budget, old.spend, r.grace !== null, r.graceBudget ?? undefined)
    r.carry = carry
    await saveRotation(opts.dir, r)
    const fields: KeyFields = {key_alias: r.rotatedAlias}
    if (r.grace) fields.duration = r.grace
    if (carry) fields.max_budget = carry.spend + carry.graceShare
    try {
      await updateKey(client, r.oldHash, fields)
    } catch (error) {
      throw stopped(`renaming the old key to '${r.rotatedAlias}'`, error, r.alias)
    }
    old = (await readKey(client, r.oldHash)) ?? old
  }

  // 3. The new key takes the alias and the spend carried over.
  if (created.key_alias !== r.alias) {
    const fields: KeyFields & {spend?: number} = {key_alias: r.alias}
    if (r.carry) fields.spend = r.carry.spend + r.carry.graceShare
    if (markerOf(created) !== undefined) fields.metadata = withoutMarker(created.metadata)
    try {
      await updateKey(client, r.newHash, fields as KeyFields)
    } catch (error) {
      throw stopped(`giving the new key the alias '${r.alias}'`, error, r.alias)
    }
  }

  // 4. Without a grace period the old secret stops working now.
  if (!r.grace && old.blocked !== true) {
    try {
      await setBlocked(client, r.oldHash, true)
    } catch (error) {
      throw stopped('blocking the old key', error, r.alias)
    }
    old = (await readKey(client, r.oldHash)) ?? old
  }
  const row = await readKey(client, r.newHash)
  if (!row) throw stopped('reading the new key back', new Error('not found'), r.alias)
  return {rotation: r, row, old, resumed, file}
}

/**
 * Step 1: the new key under the temporary alias. Where the proxy generates secrets itself, the record
 * gets the proxy's secret before anything else happens; a key under the temporary alias with this
 * rotation's marker is one an earlier run minted and never recorded (its secret is lost): it is deleted
 * and minted again.
 */
async function mintNewKey(client: LiteLLMClient, r: Rotation, fields: KeyFields & {key_alias: string}, opts: ReplaceOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The marker stays until the record holds the proxy's secret (step 3 removes it).
      const made = await createKeySafely(client, fields, {secret: r.secret, createId: r.createId, keepMarker: true, onNote: opts.onNote})
      if (made.uncertain) throw stopped('minting the new key', new Error(made.uncertain), r.alias)
      if (made.generated) {
        r.secret = made.key
        r.newHash = made.hash
        await saveRotation(opts.dir, r)
      }
      return
    } catch (error) {
      if (error instanceof AliasExistsError && error.existing.token === r.newHash) return // ours, seen through the list first
      const orphan = error instanceof AliasExistsError && r.createId !== undefined && markerOf(error.existing) === r.createId ? error.existing.token : undefined
      if (orphan && attempt === 1) {
        opts.onNote?.(`'${r.tempAlias}' was minted by an earlier run whose answer (with the proxy-generated secret) was lost; deleting it and minting the new key again.`)
        try {
          await deleteKeys(client, [orphan])
        } catch (e) {
          throw stopped(`deleting '${r.tempAlias}' (minted by an earlier run, its secret lost)`, e, r.alias)
        }
        continue
      }
      if (error instanceof AliasExistsError) {
        throw new KeywardError('conflict', `the temporary alias '${r.tempAlias}' is taken by another key (${error.existing.key_name ?? 'sk-...'})`, {suggestions: [`Rename or delete that key, then run the command again`]})
      }
      if (error instanceof KeywardError && error.message.startsWith(`the rotation of`)) throw error
      if (error instanceof ProxySecretLost) {
        // Nothing usable was minted (or what was is named): the next run mints again, and deletes a key it finds with this rotation's marker.
        throw new KeywardError(error.kind, `the rotation of '${r.alias}' stopped while minting the new key: ${error.message}`, {
          suggestions: [`Run the same command again: keyward keys rotate --replace ${JSON.stringify(r.alias)} (it deletes a '${r.tempAlias}' key left with ${r.createId ? `metadata keyward_create_id=${r.createId}` : 'its marker'}, and mints again)`],
        })
      }
      throw stopped('minting the new key', error, r.alias)
    }
  }
}

/** After the secret was shown: forget it. */
export async function finishReplace(dir: string, r: Rotation): Promise<void> {
  await finishRotation(dir, r.oldHash)
}
