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
    if (file.defaultProfile && !hasOwnKey(file.profiles, file.defaultProfile)) file.defaultProfile = Object.keys(file.profiles)[0]
    await writeConfigFile(this.configFilePath, file)
    this.note(names.length > 0 ? `Removed ${names.map((n) => `'${n}'`).join(', ')} from ${this.configFilePath}` : 'No profiles to remove')
    return {removed: names, configFile: this.configFilePath}
  }
}
