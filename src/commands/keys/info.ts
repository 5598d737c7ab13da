import * as Args from '@oclif/core/args'

import {ownKeyInfo, resolveKey} from '../../api/keys.js'
import {usageError} from '../../core/errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {keyDetails, type KeyDetails} from '../../domain/keys-list.js'
import {dailyResetWarning, renderKeyDetails} from '../../output/keys.js'

export default class KeysInfo extends BaseCommand<typeof KeysInfo> {
  static args = {
    key: Args.string({description: 'the key: its alias, the sk-... key itself, or its hash (omit to show your own key with LITELLM_API_KEY)'}),
  }
  static description = `Shows one key: alias, key name (sk-...WXYZ), spent, budget, remaining, % used with a bar, the budget period, when it resets (absolute and relative), soft budget, models, rate limits, expiry and whether it is blocked. An alias is looked up with /key/list; an sk-... key is sent hashed, never in a URL.

With an admin key (LITELLM_MASTER_KEY or a profile) any key can be shown. With only a virtual key (LITELLM_API_KEY) and no argument, that key's own details are shown. A monthly budget that the proxy would reset daily is flagged on stderr.`
  static examples = [
    '<%= config.bin %> <%= command.id %> openclaw',
    '<%= config.bin %> <%= command.id %> openclaw --json',
    'LITELLM_API_KEY=sk-... <%= config.bin %> <%= command.id %>',
  ]
  static summary = 'show a key: spend, budget, reset time, limits and expiry'

  async run(): Promise<KeyDetails> {
    const ref = this.args.key
    const {client, role} = this.anyKeyClient()
    const now = this.now()
    let details: KeyDetails
    if (ref === undefined || ref === '') {
      if (role === 'admin') {
        throw usageError('name the key to show (alias, sk-... key or hash)', `${this.config.bin} keys info openclaw`, `List the keys: ${this.config.bin} keys list`)
      }
      const own = await ownKeyInfo(client)
      details = keyDetails(own.info, now, own.key.startsWith('sk-') ? undefined : own.key)
    } else {
      const resolved = await resolveKey(client, ref)
      details = keyDetails(resolved.row, now, resolved.hash)
    }
    const warning = dailyResetWarning(details, now, this.config.bin, {existing: true})
    if (warning) this.warnLine(warning)
    if (!this.jsonEnabled()) this.out(renderKeyDetails(details, now))
    return details
  }
}
