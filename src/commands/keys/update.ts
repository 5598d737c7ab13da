import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {keyInfo, resolveKey, updateKey} from '../../api/keys.js'
import {usageError} from '../../core/errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {keyFieldFlags, keyFieldValues} from '../../cli/key-flags.js'
import {parseAlias} from '../../domain/inputs.js'
import {buildUpdateFields} from '../../domain/keys-fields.js'
import {diffSummaries, keyDetails} from '../../domain/keys-list.js'
import {dailyResetWarning, renderChanges, resetNote, softBudgetNotApplied} from '../../output/keys.js'
import type {UpdateResult} from '../../contracts/keys.js'

export default class KeysUpdate extends BaseCommand<typeof KeysUpdate> {
  static args = {
    key: Args.string({description: 'the key to change: alias, sk-... key or hash', required: true}),
  }
  static description = `Changes a key with the same flags as keys create, sending only what was given, then reads the key back from /key/info and shows each changed setting as before → after. --period words are sent as durations (monthly → 30d). A --budget without --period keeps the key's period, or makes it monthly when the key had none. --no-budget removes the limit (max_budget null); --new-alias renames the key. --metadata pairs are merged into the key's existing metadata.

A monthly budget that the proxy would reset daily after the change gets a loud warning.`
  static examples = [
    '<%= config.bin %> <%= command.id %> openclaw --budget 80',
    '<%= config.bin %> <%= command.id %> openclaw --period monthly',
    '<%= config.bin %> <%= command.id %> ci-bot --no-budget --new-alias ci-bot-old --json',
  ]
  static flags = {
    ...keyFieldFlags,
    expires: {...keyFieldFlags.expires, description: 'new key lifetime from now, as a duration, e.g. 90d, 12w, 24h, 1mo'},
    'new-alias': Flags.custom<string>({parse: async (s) => parseAlias(s)})({description: 'rename the key (the alias must be free)'}),
    'no-budget': Flags.boolean({description: 'remove the budget limit (sends max_budget null)', exclusive: ['budget']}),
  }
  static summary = 'change a key\'s budget, period, limits or alias and show before → after'

  async run(): Promise<UpdateResult> {
    const f = this.flags
    const given = keyFieldValues(f)
    const anything = Object.values(given).some((v) => v !== undefined) || f['no-budget'] || f['new-alias'] !== undefined
    if (!anything) throw usageError('nothing to change: give at least one setting', `for example: ${this.config.bin} keys update ${this.args.key} --budget 80`)
    const client = this.adminClient()
    const resolved = await resolveKey(client, this.args.key)
    const before = keyDetails(resolved.row, this.now(), resolved.hash)
    const plan = buildUpdateFields({...given, noBudget: f['no-budget'], newAlias: f['new-alias']}, resolved.row)
    for (const n of plan.notes) this.note(`Note: ${n}`)
    if (Object.keys(plan.fields).length > 0) await updateKey(client, resolved.hash, plan.fields)
    const now = this.now()
    const after = keyDetails((await keyInfo(client, resolved.hash)).info, now, resolved.hash)
    const changes = diffSummaries(before, after)
    const warnings: string[] = []
    const daily = dailyResetWarning(after, now, this.config.bin, {existing: plan.fields.budget_duration === undefined})
    if (daily) warnings.push(daily)
    const soft = softBudgetNotApplied(plan.fields.soft_budget, after)
    if (soft) warnings.push(soft)
    for (const w of warnings) this.warnLine(w)
    this.out(renderChanges(changes))
    if (plan.fields.budget_duration !== undefined || plan.fields.max_budget !== undefined) {
      const reset = resetNote(after, now)
      if (reset) this.note(reset)
    }
    return {sent: {...plan.fields}, changes, before, after, warnings}
  }
}
