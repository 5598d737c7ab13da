import * as Flags from '@oclif/core/flags'

import {KeywardError} from '../../core/errors.js'
import {ownKeyInfo} from '../../api/keys.js'
import {abbreviateKey} from '../../core/redact.js'
import {BaseCommand} from '../../cli/base-command.js'
import {checkBaseUrl} from '../../io/settings.js'
import {summarizeKey} from '../../domain/key-summary.js'
import {API_KEY_VAR} from '../../domain/openclaw-models.js'
import {ExitCode} from '../../core/exit-codes.js'
import {inspectConfig, type ConfigView} from '../../domain/openclaw-config.js'
import {openclawPaths, readEnvFileValue, readTextIfExists} from '../../io/openclaw-files.js'
import {dailyResetWarning} from '../../output/keys.js'
import {renderOpenClawStatus} from '../../output/openclaw.js'
import type {OpenClawStatusResult} from '../../contracts/openclaw.js'

/** `${NAME}` → NAME (OpenClaw substitutes upper-case variables only). */
function referencedVariable(apiKey: string | null): string | undefined {
  const m = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(apiKey?.trim() ?? '')
  return m ? m[1] : undefined
}

/** The admin API lives at the proxy root; OpenClaw's baseUrl may end in /v1. */
function proxyRoot(baseUrl: string | null): string | undefined {
  if (!baseUrl || baseUrl.includes('${')) return undefined
  const checked = checkBaseUrl(baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/, ''))
  return checked.ok ? checked.url : undefined
}

export default class OpenClawStatus extends BaseCommand<typeof OpenClawStatus> {
  static description = `Reads OpenClaw's config (--config, else OPENCLAW_CONFIG_PATH, else ~/.openclaw/openclaw.json) and shows what it is set to use: the litellm provider's base URL and models, and the primary model. Then checks OpenClaw's key (the variable the provider's apiKey names, normally LITELLM_API_KEY, read from the .env next to the config, else from the environment) against the proxy OpenClaw points at, with /key/info using that key, and shows its budget: spent, budget, remaining and when it resets. The key itself is never shown.

Exit codes: 0 connected and the key works, 2 the config does not parse, 3 no key or the key is rejected, 4 no config or no litellm provider in it, 6 proxy failure.`
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --config ./openclaw.json --json']
  static flags = {
    config: Flags.string({description: "OpenClaw's config file [env: OPENCLAW_CONFIG_PATH] (default ~/.openclaw/openclaw.json)"}),
  }
  static summary = "show what OpenClaw is set to use, and its key's budget"

  async run(): Promise<OpenClawStatusResult> {
    const now = this.now()
    const paths = openclawPaths(this.flags.config ? {...process.env, OPENCLAW_CONFIG_PATH: this.flags.config} : process.env)
    const text = await readTextIfExists(paths.configPath)
    const view: ConfigView | undefined = text === undefined ? undefined : inspectConfig(text, paths.configPath)
    const p = view?.provider ?? null
    const literalKey = p?.apiKey && p.apiKey.startsWith('sk-') ? p.apiKey : undefined
    const result: OpenClawStatusResult = {
      configPath: paths.configPath,
      envPath: paths.envPath,
      configFound: text !== undefined,
      connected: p !== null,
      provider: p ? {baseUrl: p.baseUrl, api: p.api, apiKey: literalKey ? abbreviateKey(literalKey) : p.apiKey, models: p.models.map((m) => m.id)} : null,
      otherProviders: view?.otherProviders ?? [],
      primary: view?.primary ?? null,
      checkedAt: null,
      key: {variable: null, source: null, name: null, valid: null, alias: null, error: null},
      budget: null,
      problems: [],
    }
    if (text === undefined) result.problems.push(`no OpenClaw config at ${paths.configPath}: run ${this.config.bin} openclaw connect`)
    else if (!p) result.problems.push(`OpenClaw has no litellm provider: run ${this.config.bin} openclaw connect`)
    if (p?.apiKey && !literalKey && !referencedVariable(p.apiKey)) result.problems.push(`the provider's apiKey is neither \${VARIABLE} nor a key: ${p.apiKey}`)
    if (literalKey) result.problems.push(`the key is written in plain text in ${paths.configPath}; ${this.config.bin} openclaw connect moves it to ${paths.envPath}`)

    // The key OpenClaw would use.
    const variable = referencedVariable(p?.apiKey ?? null) ?? API_KEY_VAR
    let key: string | undefined
    if (literalKey) [key, result.key.source] = [literalKey, 'config']
    else {
      result.key.variable = variable
      const fromFile = await readEnvFileValue(paths.envPath, variable)
      const fromEnv = process.env[variable]?.trim() || undefined
      if (fromFile) [key, result.key.source] = [fromFile, '.env']
      else if (fromEnv) [key, result.key.source] = [fromEnv, 'environment']
    }
    if (key) result.key.name = abbreviateKey(key)
    else result.problems.push(`no ${variable} in ${paths.envPath} or the environment`)

    let failure: KeywardError | undefined
    if (key) {
      const root = proxyRoot(p?.baseUrl ?? null)
      if (p?.baseUrl && !root) result.problems.push(`cannot use the provider's baseUrl '${p.baseUrl}' here; checked against ${this.settings.baseUrl}`)
      result.checkedAt = root ?? this.settings.baseUrl
      try {
        const info = await ownKeyInfo(this.clientFor(key, root))
        const s = summarizeKey(info.info, now, info.key)
        result.key.valid = true
        result.key.alias = s.alias
        result.key.name = s.keyName ?? result.key.name
        result.budget = {
          spent: s.spent,
          budget: s.budget,
          remaining: s.remaining,
          pctUsed: s.pctUsed,
          period: s.period,
          resetAt: s.resetAt,
          status: s.status,
          resetCheck: s.resetCheck,
        }
        if (s.status !== 'active') result.problems.push(`the key is ${s.status}: OpenClaw's requests will be refused`)
        const daily = dailyResetWarning(s, now, this.config.bin, {existing: true})
        if (daily) result.problems.push(daily)
      } catch (error) {
        if (!(error instanceof KeywardError)) throw error
        failure = error
        if (['auth', 'forbidden', 'not_found'].includes(error.kind)) {
          result.key.valid = false
          result.key.error = error.message
          result.problems.push(`the proxy rejected OpenClaw's key: ${error.message}`)
        } else {
          result.problems.push(error.message)
        }
      }
    }

    if (text === undefined || !p) this.setExitCode(ExitCode.NOT_FOUND)
    else if (!key || result.key.valid === false) this.setExitCode(ExitCode.AUTH)
    else if (failure) this.setExitCode(failure.exitCode)
    this.out(renderOpenClawStatus(result, now))
    return result
  }
}
