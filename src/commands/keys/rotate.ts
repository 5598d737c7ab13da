import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import path from 'node:path'

import {rotateKeySafely, secretNotWritten} from '../../workflows/key-create.js'
import {finishReplace, replaceKey} from '../../workflows/key-replace.js'
import {rotationsDir} from '../../io/rotation-state.js'
import {ExitCode} from '../../core/exit-codes.js'
import {KeywardError} from '../../core/errors.js'
import {resolveKey} from '../../api/keys.js'
import {BaseCommand} from '../../cli/base-command.js'
import {graceFlag} from '../../cli/key-flags.js'
import {parseUsd} from '../../domain/inputs.js'
import {keyDetails} from '../../domain/keys-list.js'
import {dailyResetWarning, renderKeyDetails} from '../../output/keys.js'
import type {ReplaceResult, RotateResult} from '../../contracts/keys.js'

export default class KeysRotate extends BaseCommand<typeof KeysRotate> {
  static args = {
    key: Args.string({description: 'the key to rotate: alias, sk-... key or hash', required: true}),
  }
  static description = `Replaces a key's secret through /key/{key}/regenerate: budget, spend, alias and limits stay, the old secret stops working (at once, or after --grace). The new key is printed once on stdout, like keys create; --quiet prints it alone.

keyward chooses the new secret itself, so a lost answer is settled by looking up its hash; when that cannot settle it (a slow proxy, a failed check, Ctrl-C), the new key is printed once with a warning that it may or may not be active, and the exit code is 6 (130 for Ctrl-C). On a proxy that refuses secrets chosen by the client (disable_custom_api_keys) the proxy generates it: after a lost answer keyward says whether the key was rotated (its new secret is then lost: rotate again), exit 6.

Regenerating keys is a LiteLLM Enterprise feature on most proxies: without a licence the proxy refuses, keyward says so, exits 6 and nothing is changed. Use --replace there.

--replace rotates with open-source endpoints only: it mints a new key with the old one's settings (models, budget and period, soft budget, budget windows, rate limits, metadata, team, user; not its expiry) under the alias <alias>-rotating, renames the old key to <alias>-rotated-<date>, then gives the new key the alias. With --grace the old key keeps working until it expires, that long after the switch; without it the old key is blocked at once. Spend is carried so that the two keys together cannot spend more than the budget in the current window: when the alias moves, the old key has spent S; it may spend a grace share G more (--grace-budget, default half of what is left; 0 without --grace), its budget becoming S + G, and the new key starts the window with S + G counted as spent, so it can spend what is left after that. At the next budget reset the proxy zeroes the new key's spend and it has its whole budget again. (Budget windows from budget_limits start afresh on the new key.)

Every step is resumable: the new secret is chosen and saved first (in keyward's data directory, rotations/, readable by you only) and removed once printed. A run stopped at any step (a lost answer, Ctrl-C, a crash) is finished by running the same command again: it never mints a second new key and prints the secret once, at the end.`
  static examples = [
    '<%= config.bin %> <%= command.id %> openclaw',
    '<%= config.bin %> <%= command.id %> ci-bot --grace 24h',
    'export LITELLM_API_KEY=$(<%= config.bin %> <%= command.id %> laptop --quiet)',
    '<%= config.bin %> <%= command.id %> ci-bot --replace --grace 24h   # without an Enterprise licence',
    '<%= config.bin %> <%= command.id %> ci-bot --replace --grace 2h --grace-budget 1',
  ]
  static flags = {
    grace: graceFlag({description: 'keep the old secret working this long, e.g. 24h (needs a proxy that supports grace_period)'}),
    quiet: Flags.boolean({char: 'q', description: 'print only the new key on stdout (for $(...))'}),
    replace: Flags.boolean({description: 'rotate without /key/{key}/regenerate (no Enterprise licence needed): a new key takes over the alias; resumable'}),
    'grace-budget': Flags.custom<number>({parse: async (s) => parseUsd(s, '--grace-budget')})({
      description: 'with --replace --grace: USD the old key may still spend during the grace period [default: half of what is left]',
      dependsOn: ['replace', 'grace'],
    }),
  }
  static summary = 'replace a key\'s secret, keeping its budget and spend (LiteLLM Enterprise)'

  async run(): Promise<RotateResult | ReplaceResult> {
    const f = this.flags
    const client = this.adminClient()
    if (f.replace) return this.replace()
    const resolved = await resolveKey(client, this.args.key)
    const previousKeyName = resolved.row.key_name ?? null
    let rotated
    try {
      const ref = resolved.row.key_alias || undefined
      rotated = await rotateKeySafely(client, resolved.hash, {gracePeriod: f.grace, previousKeyName, ref, onNote: (l) => this.note(l)})
    } catch (error) {
      if (error instanceof KeywardError && error.kind === 'enterprise_only') {
        throw new KeywardError('enterprise_only', `rotating keys is a LiteLLM Enterprise feature on this proxy, so the key was not rotated and nothing changed (the proxy said: ${error.message})`, {
          status: error.status,
          endpoint: error.endpoint,
          suggestions: [
            `Rotate with open-source endpoints instead: ${this.config.bin} keys rotate ${JSON.stringify(resolved.row.key_alias || resolved.hash)} --replace${f.grace ? ` --grace ${f.grace}` : ''}`,
            'Add a LiteLLM Enterprise licence (LITELLM_LICENSE) to the proxy, or',
            `replace the key by hand: ${this.config.bin} keys create --alias <new alias> --budget <USD>, switch clients over, then ${this.config.bin} keys delete <old alias>`,
          ],
        })
      }
      throw error
    }
    const now = this.now()
    const alias = resolved.row.key_alias
    const name = alias ? `'${alias}'` : resolved.hash.slice(0, 12)
    if (rotated.uncertain || !rotated.row) {
      // keyward chose the secret: if the rotation happened (or still happens), this is the key. Shown once.
      const why = rotated.uncertain ?? `the key was rotated, but reading it back failed (${rotated.unverified})`
      this.warnLine(`${why}: the key ${name} may or may not have been rotated, so the new key printed may or may not be active. If it is, the old key ${previousKeyName ?? ''} ${f.grace ? `works for ${f.grace} more` : 'no longer works'}. Check with: ${this.config.bin} keys info ${rotated.hash}`)
      if (rotated.uncertain) this.setExitCode(rotated.interrupted ? this.interruptExitCode : ExitCode.PROXY)
    }
    const details = keyDetails(rotated.row ?? {...resolved.row, token: rotated.hash}, now, rotated.hash)
    const warnings: string[] = []
    const daily = rotated.row ? dailyResetWarning(details, now, this.config.bin, {existing: true}) : undefined
    if (daily) warnings.push(daily)
    for (const w of warnings) this.warnLine(w)
    if (!this.jsonEnabled()) {
      try {
        await this.writeStdout(f.quiet || rotated.uncertain ? rotated.key : renderKeyDetails(details, now, {secret: rotated.key}))
      } catch (error) {
        throw secretNotWritten(error, `the key ${name} ${rotated.uncertain ? 'may have been rotated' : 'was rotated'}`, [
          `Rotate it again to get a secret you can see: ${this.config.bin} keys rotate ${rotated.hash}`,
        ])
      }
    }
    if (!f.quiet && !rotated.uncertain) {
      this.note(f.grace ? `The old key ${previousKeyName ?? ''} keeps working for ${f.grace}.` : `The old key ${previousKeyName ?? ''} no longer works.`)
      this.note('Save the new key now: the proxy cannot show it again.')
      this.note('To use it: export LITELLM_API_KEY=<the key above>')
    }
    return {rotated: rotated.uncertain ? 'uncertain' : true, key: rotated.key, previousKeyName, previousHash: resolved.hash, gracePeriod: f.grace ?? null, details, warnings}
  }

  private async replace(): Promise<ReplaceResult> {
    const f = this.flags
    const dir = rotationsDir(this.config.dataDir)
    const now = this.now()
    const done = await replaceKey(this.adminClient(), this.args.key, {grace: f.grace, graceBudget: f['grace-budget'], now, dir, onNote: (l) => this.note(l)})
    const r = done.rotation
    const details = keyDetails(done.row, now, r.newHash)
    const warnings: string[] = []
    const daily = dailyResetWarning(details, now, this.config.bin, {existing: true})
    if (daily) warnings.push(daily)
    for (const w of warnings) this.warnLine(w)
    if (!this.jsonEnabled()) {
      try {
        await this.writeStdout(f.quiet ? r.secret : renderKeyDetails(details, now, {secret: r.secret}))
      } catch (error) {
        throw secretNotWritten(error, `the key '${r.alias}' was replaced`, [`Run the same command again to print it: ${this.config.bin} keys rotate ${JSON.stringify(r.alias)} --replace (the secret is kept in ${path.join(dir, `${r.oldHash}.json`)})`])
      }
    }
    await finishReplace(dir, r)
    if (!f.quiet) {
      this.note(r.grace ? `The old key is now '${r.rotatedAlias}' and works until ${done.old.expires ?? '?'}${r.carry ? `, spending at most $${r.carry.graceShare} more` : ''}.` : `The old key is now '${r.rotatedAlias}' and is blocked.`)
      this.note('Save the new key now: the proxy cannot show it again.')
    }
    return {
      rotated: 'replaced',
      key: r.secret,
      alias: r.alias,
      newHash: r.newHash,
      previousHash: r.oldHash,
      previousKeyName: r.oldKeyName,
      previousAlias: r.rotatedAlias,
      previousExpires: done.old.expires ?? null,
      previousBlocked: done.old.blocked === true,
      gracePeriod: r.grace,
      carriedSpend: r.carry ? r.carry.spend + r.carry.graceShare : null,
      graceShare: r.carry ? r.carry.graceShare : null,
      resumed: done.resumed,
      details,
      warnings,
    }
  }
}
