import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {deleteKeys, resolveKey} from '../../api/keys.js'
import {usageError} from '../../core/errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {shellRef} from '../../domain/keys-fields.js'
import {confirm} from '../../io/prompt.js'
import {sanitizeForTerminal} from '../../output/sanitize.js'
import type {DeleteResult} from '../../contracts/keys.js'

export default class KeysDelete extends BaseCommand<typeof KeysDelete> {
  static args = {
    key: Args.string({description: 'the key to delete: alias, sk-... key or hash', required: true}),
  }
  static description = `Deletes a key for good: requests with it fail from then on (its spend logs stay). On a terminal it asks first; in scripts pass --yes. Without --yes and without a terminal it refuses (exit 2) and deletes nothing, so a pipe or cron job never deletes by accident.`
  static examples = ['<%= config.bin %> <%= command.id %> old-laptop', '<%= config.bin %> <%= command.id %> ci-bot --yes --json']
  static flags = {
    yes: Flags.boolean({char: 'y', description: 'delete without asking (required when not on a terminal)'}),
  }
  static summary = 'delete a key (asks first; --yes for scripts)'

  async run(): Promise<DeleteResult> {
    const ref = this.args.key
    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)
    if (!this.flags.yes && !interactive) {
      throw usageError(`refusing to delete '${ref}' without --yes: not on a terminal, so there is no one to ask. Nothing was deleted`, `${this.config.bin} keys delete ${shellRef(ref, null)} --yes`)
    }
    const client = this.adminClient()
    const resolved = await resolveKey(client, ref)
    const row = resolved.row
    const name = `${row.key_alias ? `'${sanitizeForTerminal(row.key_alias)}' ` : ''}(${row.key_name ?? resolved.hash.slice(0, 12)})`
    if (!this.flags.yes) {
      const ok = await confirm(`Delete key ${name}? Requests with it will fail from now on`)
      if (!ok) {
        this.note('Nothing was deleted.')
        return {deleted: false, alias: row.key_alias ?? null, keyName: row.key_name ?? null, hash: resolved.hash}
      }
    }
    await deleteKeys(client, [resolved.hash])
    this.out(`Deleted key ${name}.`)
    return {deleted: true, alias: row.key_alias ?? null, keyName: row.key_name ?? null, hash: resolved.hash}
  }
}
