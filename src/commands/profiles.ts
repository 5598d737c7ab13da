import {abbreviateKey} from '../core/redact.js'
import {BaseCommand} from '../cli/base-command.js'
import {renderTable} from '../output/table.js'
import type {ProfilesResult} from '../contracts/profiles.js'

export default class Profiles extends BaseCommand<typeof Profiles> {
  static description = 'Lists the profiles saved by `keyward login`. Keys are shown only as sk-...WXYZ.'
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static summary = 'list stored profiles'

  async run(): Promise<ProfilesResult> {
    const file = this.configFile
    const profiles = Object.entries(file.profiles).map(([name, p]) => ({
      name,
      default: file.defaultProfile === name,
      active: this.settings.profile === name,
      baseUrl: p.baseUrl ?? null,
      masterKey: p.masterKey ? abbreviateKey(p.masterKey) : null,
      apiKey: p.apiKey ? abbreviateKey(p.apiKey) : null,
    }))
    if (profiles.length === 0) this.note(`No profiles yet (${this.configFilePath}). Create one: keyward login`)
    else {
      this.out(
        renderTable(profiles, [
          {header: 'Profile', get: (p) => `${p.name}${p.default ? ' (default)' : ''}${p.active ? ' *' : ''}`, essential: true},
          {header: 'Proxy URL', get: (p) => p.baseUrl ?? '-', essential: true},
          {header: 'Master key', get: (p) => p.masterKey ?? '-', essential: true},
          {header: 'Virtual key', get: (p) => p.apiKey ?? '-'},
        ]),
      )
    }
    return {configFile: this.configFilePath, profiles}
  }
}
