import * as Flags from '@oclif/core/flags'

import {KeywardError, usageError} from '../core/errors.js'
import {keyIdentity} from '../api/health.js'
import {listKeysPage} from '../api/keys.js'
import {abbreviateKey} from '../core/redact.js'
import {BaseCommand} from '../cli/base-command.js'
import {writeConfigFile} from '../io/config-file.js'
import {checkBaseUrl, isInsecureUrl} from '../io/settings.js'
import {ask, askHidden, readStdinLine} from '../io/prompt.js'
import {sanitizeForTerminal} from '../output/sanitize.js'
import type {LoginResult} from '../contracts/profiles.js'
import {ownValue, setOwn} from '../core/own.js'

export default class Login extends BaseCommand<typeof Login> {
  static acceptsUnknownProfile = true
  static description = `Asks for the proxy URL and the master key (typed hidden), checks the key with an admin-only call, and saves both to a profile in the config file (mode 0600, written atomically). When stdin is not a terminal, the key is read from stdin's first line, so it never appears in process arguments or shell history.`
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --profile prod --base-url https://litellm.example.com',
    'pass show litellm/master | <%= config.bin %> <%= command.id %> --base-url http://localhost:4000',
  ]
  static flags = {
    'allow-insecure-http': Flags.boolean({description: 'save a plain http:// URL to a host that is not this machine (the master key then crosses the network unencrypted)'}),
    'no-verify': Flags.boolean({description: 'save without checking the key against the proxy'}),
  }
  static summary = 'store a proxy URL and master key in a profile'

  async run(): Promise<LoginResult> {
    const interactive = Boolean(process.stdin.isTTY)
    let baseUrl = this.settings.baseUrl
    if (interactive && this.settings.baseUrlSource !== 'flag') {
      const answer = await ask('LiteLLM proxy URL', baseUrl)
      const checked = checkBaseUrl(answer)
      if (!checked.ok) throw usageError(checked.message)
      baseUrl = checked.url
    }
    if (isInsecureUrl(baseUrl) && !this.flags['allow-insecure-http']) {
      throw usageError(
        `refusing to send the master key to ${new URL(baseUrl).host} over plain http:// (unencrypted, and not this machine)`,
        'Use the https:// URL of the proxy',
        `Or, on a network you trust: ${this.config.bin} login --base-url ${baseUrl} --allow-insecure-http`,
      )
    }
    const key = interactive ? await askHidden('Master key (input hidden)') : await readStdinLine()
    if (!key) throw usageError('no key given', interactive ? 'Paste the proxy master key at the prompt' : 'Pipe it in: printf %s "$KEY" | keyward login')
    // Not a LiteLLM key: say so without repeating any of it (it may be some other secret).
    if (!key.startsWith('sk-')) throw usageError('that does not look like a LiteLLM key: they start with sk-', 'Use the proxy master key (general_settings.master_key)')
    this.settings.baseUrl = baseUrl
    let verified = false
    if (!this.flags['no-verify']) {
      const client = this.clientFor(key)
      // Both checks at once (one round trip); the /key/list answer decides first, as when they ran in turn.
      const identityCheck = keyIdentity(client)
      identityCheck.catch(() => undefined) // thrown below, once /key/list has answered
      try {
        await listKeysPage(client, 1, {size: 1})
      } catch (error) {
        if (error instanceof KeywardError && (error.kind === 'auth' || error.kind === 'forbidden')) {
          throw new KeywardError('auth', `the proxy at ${baseUrl} rejected the key ${abbreviateKey(key)} as an admin key: ${error.message}`, {
            suggestions: ['Use the proxy master key (general_settings.master_key)', 'Nothing was saved'],
          })
        }
        throw error
      }
      // /key/list also answers a virtual key (scoped to its own keys): make sure this is the master key.
      const identity = await identityCheck
      if (identity?.kind === 'virtual') {
        throw new KeywardError('auth', `the key ${abbreviateKey(key)} is a virtual key${identity.alias ? ` (alias '${sanitizeForTerminal(identity.alias)}')` : ''}, not the proxy master key`, {
          suggestions: ['Use the proxy master key (general_settings.master_key)', 'Nothing was saved; to save it anyway: keyward login --no-verify'],
        })
      }
      verified = true
    }
    const file = this.configFile
    const name = this.settings.profile
    setOwn(file.profiles, name, {...ownValue(file.profiles, name), baseUrl, masterKey: key})
    file.defaultProfile = file.defaultProfile ?? name
    await writeConfigFile(this.configFilePath, file)
    this.note(`Saved profile '${name}' (${baseUrl}, key ${abbreviateKey(key)}) to ${this.configFilePath}${verified ? '' : ' without checking the key'}`)
    return {profile: name, baseUrl, key: abbreviateKey(key), verified, configFile: this.configFilePath}
  }
}
