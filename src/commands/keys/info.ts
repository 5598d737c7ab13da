import * as Args from '@oclif/core/args'

import {ownKeyInfo, resolveKey} from '../../api/keys.js'
import {usageError} from '../../core/errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {keyDetails, type KeyDetails} from '../../domain/keys-list.js'
import {dailyResetWarning, renderKeyDetails} from '../../output/keys.js'
import {formatUsd} from '../../output/format.js'
import {sanitizeForTerminal} from '../../output/sanitize.js'
import {tighterHolder} from '../../workflows/key-limits.js'
import {windowStatuses} from '../../domain/budget-windows.js'
import {renderWindows} from '../../output/orgs.js'
import type {KeyRow} from '../../core/wire.js'
import type {InfoResult} from '../../contracts/keys.js'

export default class KeysInfo extends BaseCommand<typeof KeysInfo> {
  static args = {
    key: Args.string({description: 'the key: its alias, the sk-... key itself, or its hash (omit to show your own key with LITELLM_API_KEY)'}),
  }
  static description = `Shows one key: alias, key name (sk-...WXYZ), spent, budget, remaining, % used with a bar, the budget period, every budget window (--limit / budget_limits) with its own spent, remaining and reset, when it resets (absolute and relative), soft budget, models, rate limits, expiry and whether it is blocked. When the key's team (or user) has less left than the key itself, that tighter limit is shown too ("team budget: $12.00 left"; --json: limitedBy). An alias is looked up with /key/list; an sk-... key is sent hashed, never in a URL.

With an admin key (LITELLM_MASTER_KEY or a profile) any key can be shown. With only a virtual key (LITELLM_API_KEY) and no argument, that key's own details are shown. A monthly budget that the proxy would reset daily is flagged on stderr.`
  static examples = [
    '<%= config.bin %> <%= command.id %> openclaw',
    '<%= config.bin %> <%= command.id %> openclaw --json',
    'LITELLM_API_KEY=sk-... <%= config.bin %> <%= command.id %>',
  ]
  static summary = 'show a key: spend, budget, reset time, limits and expiry'

  async run(): Promise<InfoResult> {
    const ref = this.args.key
    const {client, role} = this.anyKeyClient()
    const now = this.now()
    let details: KeyDetails
    let row: KeyRow
    if (ref === undefined || ref === '') {
      if (role === 'admin') {
        throw usageError('name the key to show (alias, sk-... key or hash)', `${this.config.bin} keys info openclaw`, `List the keys: ${this.config.bin} keys list`)
      }
      const own = await ownKeyInfo(client)
      row = own.info
      details = keyDetails(own.info, now, own.key.startsWith('sk-') ? undefined : own.key)
    } else {
      const resolved = await resolveKey(client, ref)
      row = resolved.row
      details = keyDetails(resolved.row, now, resolved.hash)
    }
    const windows = windowStatuses(row.budget_limits, row.budget_limits_usage)
    const warning = dailyResetWarning(details, now, this.config.bin, {existing: true})
    if (warning) this.warnLine(warning)
    const limitedBy = role === 'admin' && (details.teamId || details.userId) ? await tighterHolder(client, details) : undefined
    const tighter = limitedBy ? `\n${limitedBy.kind} budget: ${formatUsd(limitedBy.remaining)} left (${limitedBy.kind} ${sanitizeForTerminal(limitedBy.id)}, ${formatUsd(limitedBy.spent)} of ${formatUsd(limitedBy.budget)}): the tighter limit for this key` : ''
    if (!this.jsonEnabled()) this.out(renderKeyDetails(details, now) + renderWindows(windows) + tighter)
    return {...details, ...(windows.length > 0 ? {windows} : {}), ...(limitedBy ? {limitedBy} : {})}
  }
}
