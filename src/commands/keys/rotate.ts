import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {rotateKeySafely, secretNotWritten} from '../../workflows/key-create.js'
import {ExitCode} from '../../core/exit-codes.js'
import {KeywardError, InputError} from '../../core/errors.js'
import {resolveKey} from '../../api/keys.js'
import {BaseCommand} from '../../cli/base-command.js'
import {parseExpiry} from '../../domain/inputs.js'
import {keyDetails} from '../../domain/keys-list.js'
import {dailyResetWarning, renderKeyDetails} from '../../output/keys.js'
import type {RotateResult} from '../../contracts/keys.js'

export default class KeysRotate extends BaseCommand<typeof KeysRotate> {
  static args = {
    key: Args.string({description: 'the key to rotate: alias, sk-... key or hash', required: true}),
  }
  static description = `Replaces a key's secret through /key/{key}/regenerate: budget, spend, alias and limits stay, the old secret stops working (at once, or after --grace). The new key is printed once on stdout, like keys create; --quiet prints it alone.

keyward chooses the new secret itself, so a lost answer is settled by looking up its hash; when that cannot settle it (a slow proxy, a failed check, Ctrl-C), the new key is printed once with a warning that it may or may not be active, and the exit code is 6 (130 for Ctrl-C).

Regenerating keys is a LiteLLM Enterprise feature on most proxies: without a licence the proxy refuses, keyward says so, exits 6 and nothing is changed.`
  static examples = [
    '<%= config.bin %> <%= command.id %> openclaw',
    '<%= config.bin %> <%= command.id %> ci-bot --grace 24h',
    'export LITELLM_API_KEY=$(<%= config.bin %> <%= command.id %> laptop --quiet)',
  ]
  static flags = {
    grace: Flags.custom<string>({
      parse: async (s) => {
        try {
          return parseExpiry(s)
        } catch (error) {
          const tooLong = error instanceof Error && error.message.includes('at most 10 years')
          throw new InputError(`invalid grace period '${s}': ${tooLong ? 'it must be at most 10 years (3653d)' : 'use a duration like 24h, 30m or 7d'}`, '--grace 24h')
        }
      },
    })({description: 'keep the old secret working this long, e.g. 24h (needs a proxy that supports grace_period)'}),
    quiet: Flags.boolean({char: 'q', description: 'print only the new key on stdout (for $(...))'}),
  }
  static summary = 'replace a key\'s secret, keeping its budget and spend (LiteLLM Enterprise)'

  async run(): Promise<RotateResult> {
    const f = this.flags
    const client = this.adminClient()
    const resolved = await resolveKey(client, this.args.key)
    const previousKeyName = resolved.row.key_name ?? null
    let rotated
    try {
      rotated = await rotateKeySafely(client, resolved.hash, {gracePeriod: f.grace, previousKeyName, onNote: (l) => this.note(l)})
    } catch (error) {
      if (error instanceof KeywardError && error.kind === 'enterprise_only') {
        throw new KeywardError('enterprise_only', `rotating keys is a LiteLLM Enterprise feature on this proxy, so the key was not rotated and nothing changed (the proxy said: ${error.message})`, {
          status: error.status,
          endpoint: error.endpoint,
          suggestions: [
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
}
