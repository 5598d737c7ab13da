import * as Args from '@oclif/core/args'

import {BaseCommand} from '../../cli/base-command.js'
import type {BlockResult} from '../../contracts/keys.js'
import {blockMessage} from '../../output/keys.js'
import {setKeyBlocked} from '../../workflows/block.js'

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
