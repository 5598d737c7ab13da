import * as Args from '@oclif/core/args'

import {BaseCommand} from '../../cli/base-command.js'
import {blockMessage} from '../../output/keys.js'
import {setKeyBlocked} from '../../workflows/block.js'
import type {BlockResult} from '../../contracts/keys.js'

export default class KeysUnblock extends BaseCommand<typeof KeysUnblock> {
  static args = {
    key: Args.string({description: 'the key to unblock: alias, sk-... key or hash', required: true}),
  }
  static description = 'Unblocks a key blocked with keys block (or in the LiteLLM UI): its requests work again, within its budget.'
  static examples = ['<%= config.bin %> <%= command.id %> openclaw', '<%= config.bin %> <%= command.id %> ci-bot --json']
  static summary = 'unblock a blocked key'

  async run(): Promise<BlockResult> {
    const r = await setKeyBlocked(this.adminClient(), this.args.key, false, this.now())
    this.out(blockMessage(r))
    return r
  }
}
