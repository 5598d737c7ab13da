import type {LiteLLMClient} from '../api/client.js'
import {keyInfo, resolveKey, setBlocked} from '../api/keys.js'
import type {BlockResult} from '../contracts/keys.js'
import {keyDetails} from '../domain/keys-list.js'

/** Block or unblock by alias, sk- key or hash; reads the key back to report its real state. */
export async function setKeyBlocked(client: LiteLLMClient, ref: string, blocked: boolean, now: Date): Promise<BlockResult> {
  const resolved = await resolveKey(client, ref)
  const wasBlocked = resolved.row.blocked === true
  if (wasBlocked !== blocked) await setBlocked(client, resolved.hash, blocked)
  const after = keyDetails((await keyInfo(client, resolved.hash)).info, now, resolved.hash)
  return {alias: after.alias, keyName: after.keyName, hash: resolved.hash, blocked: after.blocked, changed: wasBlocked !== blocked}
}
