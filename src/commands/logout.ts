import * as Flags from '@oclif/core/flags'

import {KeywardError} from '../core/errors.js'
import {BaseCommand} from '../cli/base-command.js'
import {writeConfigFile} from '../io/config-file.js'
import type {LogoutResult} from '../contracts/profiles.js'
import {hasOwnKey} from '../core/own.js'

export default class Logout extends BaseCommand<typeof Logout> {
  static acceptsUnknownProfile = true
  static description = 'Removes the profile (its URL and keys) from the config file. Environment variables are not touched.'
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --profile prod', '<%= config.bin %> <%= command.id %> --all']
  static flags = {
    all: Flags.boolean({description: 'remove every profile'}),
  }
  static summary = 'forget a stored profile and its keys'

  async run(): Promise<LogoutResult> {
    const file = this.configFile
    const names = this.flags.all ? Object.keys(file.profiles) : [this.settings.profile]
    const missing = names.filter((n) => !hasOwnKey(file.profiles, n))
    if (!this.flags.all && missing.length > 0) {
      throw new KeywardError('not_found', `no profile named '${missing[0]}'`, {suggestions: ['List them: keyward profiles']})
    }
    for (const n of names) delete file.profiles[n]
    const lostDefault = file.defaultProfile !== undefined && !hasOwnKey(file.profiles, file.defaultProfile)
    if (lostDefault) file.defaultProfile = Object.keys(file.profiles)[0]
    await writeConfigFile(this.configFilePath, file)
    this.note(names.length > 0 ? `Removed ${names.map((n) => `'${n}'`).join(', ')} from ${this.configFilePath}` : 'No profiles to remove')
    // Commands without --profile now go to another proxy: never silently.
    if (lostDefault && file.defaultProfile) {
      const url = file.profiles[file.defaultProfile]?.baseUrl
      this.note(`'${file.defaultProfile}' is now the default profile${url ? ` (${url})` : ''}: commands without --profile use it`)
    } else if (Object.keys(file.profiles).length === 0 && names.length > 0) {
      this.note('There is no profile left: commands use LITELLM_PROXY_URL and LITELLM_MASTER_KEY, or run keyward login')
    }
    return {removed: names, configFile: this.configFilePath, defaultProfile: file.defaultProfile ?? null}
  }
}
