import * as Flags from '@oclif/core/flags'

import {AliasExistsError, checkModelsServed, createKeySafely, secretNotWritten} from '../../workflows/key-create.js'
import {requireBudgetLimits, teamBudgetWarning} from '../../workflows/key-limits.js'
import {keyInfo} from '../../api/keys.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../core/exit-codes.js'
import {keyFieldFlags, keyFieldValues} from '../../cli/key-flags.js'
import {parseAlias} from '../../domain/inputs.js'
import {buildCreateFields, describePeriod, shellRef} from '../../domain/keys-fields.js'
import {keyDetails} from '../../domain/keys-list.js'
import {formatUsd} from '../../output/format.js'
import {dailyResetWarning, renderKeyDetails, resetNote, resetWarningAfterCreate} from '../../output/keys.js'
import type {CreateResult} from '../../contracts/keys.js'

export default class KeysCreate extends BaseCommand<typeof KeysCreate> {
  static description = `Mints a virtual key with a budget that really resets when you think it does. --period words are sent as LiteLLM durations (monthly → 30d, weekly → 7d, daily → 1d, hourly → 1h), because many LiteLLM versions store the word "monthly" and then reset the budget every night. A --budget without --period is monthly. After creating, the key is read back from /key/info and the next reset time is shown; a monthly budget that the proxy would reset daily gets a loud warning.

The new key is printed once, on stdout (inside the result with --json); keep it, the proxy cannot show it again. --quiet prints the key alone, for $(...). If the proxy's answer is lost (timeout, reset connection, 5xx), keyward looks the alias up before doing anything else, so a retry never mints a second key. When that cannot settle it (a second lost answer, Ctrl-C), the key is still printed once with a warning that it may or may not be active (exit 6, or 130 for Ctrl-C); when stdout cannot be written after minting, keyward says so, never prints the secret elsewhere, and names the command that deletes the key (exit 6). On a proxy that refuses secrets chosen by the client (disable_custom_api_keys), the proxy generates the secret: after a lost answer keyward deletes the key whose secret nobody can know (found by a one-time marker in its metadata) and exits 6; run it again.

Without --budget the key is unlimited, and a warning says so. --models are checked against the models the proxy serves (GET /v1/models) unless --force is given.

Exit codes: 0 created (or, with --if-not-exists, already there), 2 bad input or a model the proxy does not serve (nothing created), 3 not an admin key, 5 the alias is taken, 6 proxy failure or a key whose secret could not be confirmed or written.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --alias openclaw --budget 50',
    '<%= config.bin %> <%= command.id %> --alias ci-bot --budget 20 --period weekly --models gpt-4o-mini --expires 90d --metadata owner=platform',
    'export LITELLM_API_KEY=$(<%= config.bin %> <%= command.id %> --alias laptop --budget 10 --quiet)',
    '<%= config.bin %> <%= command.id %> --alias openclaw --budget 50 --if-not-exists --json',
  ]
  static flags = {
    alias: Flags.custom<string>({parse: async (s) => parseAlias(s)})({description: 'unique name of the key (how keyward finds it later)', required: true}),
    ...keyFieldFlags,
    'if-not-exists': Flags.boolean({description: 'when the alias is taken, show that key (without its secret, which the proxy cannot give back; with --quiet stdout stays empty) and exit 0 instead of 5'}),
    force: Flags.boolean({description: 'do not check --models against the models the proxy serves (GET /v1/models)'}),
    quiet: Flags.boolean({char: 'q', description: 'print only the new key on stdout (for $(...)); warnings still go to stderr'}),
  }
  static summary = 'create a virtual key with a budget (monthly unless told otherwise)'

  async run(): Promise<CreateResult> {
    const f = this.flags
    const fields = buildCreateFields(f.alias, keyFieldValues(f))
    const client = this.adminClient()
    const now = () => this.now()
    if (f.models && !f.force) await checkModelsServed(client, f.models, (line) => this.warnLine(line))
    if (fields.budget_limits) await requireBudgetLimits(client)
    // An unlimited key is allowed, but never by accident.
    const unlimited = f.budget === undefined && !fields.budget_limits ? `no --budget: '${f.alias}' can spend without limit; cap it with: ${this.config.bin} keys update ${shellRef(f.alias, null)} --budget 50` : undefined
    let created
    try {
      created = await createKeySafely(client, fields, {onNote: (line) => this.note(line)})
    } catch (error) {
      if (error instanceof AliasExistsError && f['if-not-exists']) return this.existing(error)
      throw error
    }
    const details = keyDetails(created.row, now(), created.hash)
    const warnings: string[] = unlimited ? [unlimited] : []
    const team = f.team && !created.uncertain ? await teamBudgetWarning(client, f.team, f.budget) : undefined
    if (team) warnings.push(team)
    const resetWarning = resetWarningAfterCreate(details, now(), this.config.bin)
    if (created.uncertain) {
      // keyward chose the secret: if the key exists, this is it. Shown once, like any new key.
      warnings.push(`${created.uncertain}: the key '${f.alias}' may or may not exist (it may or may not be active). If it exists, the key printed is its secret. Check with: ${this.config.bin} keys info ${created.hash}`)
      this.setExitCode(created.interrupted ? this.interruptExitCode : ExitCode.PROXY)
    } else if (created.unverified) {
      warnings.push(`the key was created, but reading it back from /key/info failed (${created.unverified}), so its reset time is not verified: check it with ${this.config.bin} keys info ${JSON.stringify(f.alias)}`)
    } else if (resetWarning) warnings.push(resetWarning)
    for (const w of warnings) this.warnLine(w)
    if (created.recovered) this.note('The key was created by the first request (its answer was lost); no second key was made.')
    if (!this.jsonEnabled()) {
      try {
        await this.writeStdout(f.quiet ? created.key : renderKeyDetails(details, now(), {secret: created.key}))
      } catch (error) {
        throw secretNotWritten(error, `the key '${f.alias}' ${created.uncertain ? 'may have been created' : 'was created'}`, [
          `Delete it: ${this.config.bin} keys delete ${created.hash} --yes`,
          `Or give it a new secret: ${this.config.bin} keys rotate ${created.hash}`,
        ])
      }
    }
    if (!f.quiet) {
      const reset = resetNote(details, now())
      if (reset) this.note(reset)
      this.note('Save the key now: the proxy cannot show it again.')
      this.note('To use it: export LITELLM_API_KEY=<the key above>')
    }
    return {created: created.uncertain ? 'uncertain' : true, recovered: created.recovered, key: created.key, details, warnings}
  }

  /** --if-not-exists and the alias is taken: show the existing key, never its secret. */
  private async existing(error: AliasExistsError): Promise<CreateResult> {
    const now = this.now()
    const hash = error.existing.token ?? undefined
    const row = hash ? (await keyInfo(this.adminClient(), hash)).info : error.existing
    const details = keyDetails(row, now, hash)
    const warnings: string[] = []
    const daily = dailyResetWarning(details, now, this.config.bin, {existing: true})
    if (daily) warnings.push(daily)
    const wanted = this.flags.budget
    if (wanted !== undefined && (details.budget !== wanted || details.duration !== (this.flags.period?.duration ?? '30d'))) {
      warnings.push(
        `the existing key '${error.alias}' has budget ${details.budget === null ? 'none' : formatUsd(details.budget)} ${describePeriod(details.duration)}, not the ${formatUsd(wanted)} ${describePeriod(this.flags.period?.duration ?? '30d')} asked for; change it with: ${this.config.bin} keys update ${shellRef(error.alias, null)} --budget ${wanted}${this.flags.period ? ` --period ${this.flags.period.label}` : ''}`,
      )
    }
    for (const w of warnings) this.warnLine(w)
    this.note(`A key with alias '${error.alias}' already exists (${details.keyName ?? 'sk-...'}); nothing was created. Its secret cannot be shown again: to get a new one, run ${this.config.bin} keys rotate ${shellRef(error.alias, null)}`)
    if (!this.flags.quiet) this.out(renderKeyDetails(details, now))
    return {created: false, recovered: false, key: null, details, warnings}
  }
}
