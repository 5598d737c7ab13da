import * as Args from '@oclif/core/args'

import {keyInfo, resolveKey, setBlocked} from '../../api/keys.js'
import type {LiteLLMClient} from '../../api/client.js'
import {BaseCommand} from '../../cli/base-command.js'
import {keyDetails} from '../../domain/keys-list.js'
import {sanitizeForTerminal} from '../../output/sanitize.js'
import type {BlockResult} from '../../contracts/keys.js'

/** Block or unblock by alias, sk- key or hash; reads the key back to report its real state. */
export async function setKeyBlocked(client: LiteLLMClient, ref: string, blocked: boolean, now: Date): Promise<BlockResult> {
  const resolved = await resolveKey(client, ref)
  const wasBlocked = resolved.row.blocked === true
  if (wasBlocked !== blocked) await setBlocked(client, resolved.hash, blocked)
  const after = keyDetails((await keyInfo(client, resolved.hash)).info, now, resolved.hash)
  return {alias: after.alias, keyName: after.keyName, hash: resolved.hash, blocked: after.blocked, changed: wasBlocked !== blocked}
}

export function blockMessage(r: BlockResult): string {
  const name = `${r.alias ? `'${sanitizeForTerminal(r.alias)}' ` : ''}(${r.keyName ?? r.hash.slice(0, 12)})`
  const state = r.blocked ? 'blocked: the proxy refuses its requests' : 'unblocked: it works again'
  return r.changed ? `Key ${name} is now ${state}.` : `Key ${name} was already ${r.blocked ? 'blocked' : 'unblocked'}; nothing changed.`
}

export default class KeysBlock extends BaseCommand<typeof KeysBlock> {
  static args = {
    key: Args.string({description: 'the key to block: alias, sk-... key or hash', required: true}),
  }
  static description = 'Blocks a key: the proxy refuses its requests until it is unblocked. Its budget, spend and settings are kept. Blocking a blocked key changes nothing.'
  static examples = ['<%= config.bin %> <%= command.id %> openclaw', '<%= config.bin %> <%= command.id %> ci-bot --json']
  static summary = 'block a key (requests refused until unblocked)'

  async run(): Promise<BlockResult> {
    const r = await setKeyBlocked(this.adminClient(), this.args.key, true, this.now())
    this.out(blockMessage(r))
    return r
  }
}
