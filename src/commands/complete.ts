import {Command} from '@oclif/core/command'

import {LiteLLMClient} from '../api/client.js'
import {Agent} from '../api/undici.js'
import {completionSpec} from '../cli/completion-values.js'
import {complete} from '../domain/completion.js'
import {aliasCacheFile} from '../io/completion-cache.js'
import {checkConfigPermissions, configPath, readConfigFile} from '../io/config-file.js'
import {checkBaseUrl, isInsecureUrl, keySourceMismatch, resolveSettings} from '../io/settings.js'
import {completionAliases} from '../workflows/completion-aliases.js'

/** A completion must not keep the shell waiting: one try, this long at most. */
const PROXY_TIMEOUT_MS = 1500

/**
 * What the shell scripts of `keyward autocomplete` call on TAB: the words typed so far in, one
 * candidate a line out. Never an error: anything wrong means no candidates (exit 0, nothing on stderr).
 */
export default class Complete extends Command {
  static description = 'Prints the completion candidates for the words after --, one a line (used by the scripts of `keyward autocomplete`).'
  static examples = ['<%= config.bin %> <%= command.id %> -- keys info op']
  static hidden = true
  static strict = false
  static summary = 'completion candidates (for the shell scripts)'

  async run(): Promise<void> {
    const at = this.argv.indexOf('--')
    const words = at === -1 ? this.argv : this.argv.slice(at + 1)
    let lines: string[] = []
    try {
      const answer = complete(completionSpec(this.config.commands), words.length > 0 ? words : [''])
      if ('candidates' in answer) lines = answer.candidates
      else {
        const aliases = await this.aliases(words)
        lines = aliases.filter((a) => a.startsWith(answer.aliases.filter)).map((a) => `${answer.aliases.prefix}${a}`)
      }
    } catch {
      lines = []
    }
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
  }

  /** The proxy's aliases, with the URL and key keyward would use for this command line (--profile, --base-url). */
  private async aliases(words: readonly string[]): Promise<string[]> {
    const flag = (name: string): string | undefined => {
      for (let i = 0; i < words.length - 1; i++) {
        if (words[i] === `--${name}`) return words[i + 1]
        if (words[i]!.startsWith(`--${name}=`)) return words[i]!.slice(name.length + 3)
      }
      return undefined
    }
    const file = configPath(this.config.configDir)
    // A config file others can write is refused by every command: never read keys from it here.
    if ((await checkConfigPermissions(file)).length > 0) return []
    const settings = resolveSettings({flags: {profile: flag('profile'), baseUrl: flag('base-url')}, env: process.env, file: await readConfigFile(file)})
    const checked = checkBaseUrl(settings.baseUrl)
    if (!checked.ok) return []
    const which = settings.adminKey ? 'admin' : settings.apiKey ? 'api' : undefined
    const key = which === 'admin' ? settings.adminKey : settings.apiKey
    // The same rules as every command: a key goes only to its own source's URL, and not over plain http to another machine.
    const usable = which !== undefined && !keySourceMismatch(settings, which) && !isInsecureUrl(checked.url)
    const agent = new Agent()
    try {
      const client = usable
        ? new LiteLLMClient({baseUrl: checked.url, apiKey: key, keyHeader: settings.keyHeader, timeoutMs: PROXY_TIMEOUT_MS, maxAttempts: 1, dispatcher: agent, userAgent: `keyward/${this.config.version}`})
        : undefined
      return await completionAliases({client, cacheFile: aliasCacheFile(this.config.cacheDir, checked.url), nowMs: Date.now()})
    } finally {
      await agent.close().catch(() => undefined)
    }
  }
}
