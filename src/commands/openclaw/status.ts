import * as Flags from '@oclif/core/flags'

import {KeywardError} from '../../core/errors.js'
import {ownKeyInfo} from '../../api/keys.js'
import {abbreviateKey} from '../../core/redact.js'
import {BaseCommand} from '../../cli/base-command.js'
import {checkBaseUrl} from '../../io/settings.js'
import {summarizeKey} from '../../domain/key-summary.js'
import {API_KEY_VAR, apiKeyVariable} from '../../domain/openclaw-models.js'
import {parseOpenClawProfile} from '../../domain/openclaw-paths.js'
import {ExitCode} from '../../core/exit-codes.js'
import {inspectConfig, type ConfigView} from '../../domain/openclaw-config.js'
import {openclawPaths, readEnvFileValue, readTextIfExists} from '../../io/openclaw-files.js'
import {dailyResetWarning} from '../../output/keys.js'
import {formatUsd} from '../../output/format.js'
import {renderOpenClawStatus} from '../../output/openclaw.js'
import type {KeySource, OpenClawStatusResult, OtherKey} from '../../contracts/openclaw.js'

/** The admin API lives at the proxy root; OpenClaw's baseUrl may end in /v1. */
function proxyRoot(baseUrl: string | null): string | undefined {
  if (!baseUrl || baseUrl.includes('${')) return undefined
  const checked = checkBaseUrl(baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/, ''))
  return checked.ok ? checked.url : undefined
}

export default class OpenClawStatus extends BaseCommand<typeof OpenClawStatus> {
  static description = `Reads OpenClaw's config, found as OpenClaw finds it (--config, else OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_HOME, --openclaw-profile NAME as openclaw --profile NAME, else ~/.openclaw/openclaw.json), and shows what it is set to use: the litellm provider's base URL and models, and the primary model. Then checks the key OpenClaw would really use against the proxy OpenClaw points at, with /key/info using that key, and shows its budget: spent, budget, remaining and when it resets. That key is the variable the provider's apiKey names ("\${LITELLM_API_KEY}" or the SecretRef {source: "env", id: "LITELLM_API_KEY"}), taken as OpenClaw takes it: from the environment when set there (a .env never overrides it), else from OpenClaw's .env, else from ~/.config/openclaw/gateway.env. When another of those holds a different key, that one is checked too and you are told which one has the budget. The keys themselves are never shown.

Exit codes: 0 connected and the key works, 2 the config does not parse, 3 no key or the key is rejected, 4 no config or no litellm provider in it, 6 proxy failure.`
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --config ./openclaw.json --json']
  static flags = {
    config: Flags.string({description: "OpenClaw's config file [env: OPENCLAW_CONFIG_PATH] (default ~/.openclaw/openclaw.json)"}),
    'openclaw-profile': Flags.custom<string>({parse: async (s) => parseOpenClawProfile(s)})({description: 'the OpenClaw profile, as openclaw --profile NAME (its files live in ~/.openclaw-NAME)'}),
  }
  static summary = "show what OpenClaw is set to use, and its key's budget"

  async run(): Promise<OpenClawStatusResult> {
    const now = this.now()
    const paths = openclawPaths(this.flags.config ? {...process.env, OPENCLAW_CONFIG_PATH: this.flags.config} : process.env, this.flags['openclaw-profile'])
    const text = await readTextIfExists(paths.configPath)
    const view: ConfigView | undefined = text === undefined ? undefined : inspectConfig(text, paths.configPath)
    const p = view?.provider ?? null
    const literalKey = p?.apiKey && p.apiKey.startsWith('sk-') ? p.apiKey : undefined
    const refVariable = apiKeyVariable(p?.apiKeyRef ?? p?.apiKey)
    const shownApiKey = p?.apiKeyRef ? `SecretRef ${p.apiKeyRef.source}:${p.apiKeyRef.provider ?? 'default'}:${p.apiKeyRef.id}` : literalKey ? abbreviateKey(literalKey) : (p?.apiKey ?? null)
    const result: OpenClawStatusResult = {
      configPath: paths.configPath,
      envPath: paths.envPath,
      configFound: text !== undefined,
      connected: p !== null,
      provider: p ? {baseUrl: p.baseUrl, api: p.api, apiKey: shownApiKey, models: p.models.map((m) => m.id)} : null,
      otherProviders: view?.otherProviders ?? [],
      primary: view?.primary ?? null,
      checkedAt: null,
      key: {variable: null, source: null, path: null, name: null, valid: null, alias: null, error: null},
      budget: null,
      otherKeys: [],
      problems: [],
    }
    if (text === undefined) result.problems.push(`no OpenClaw config at ${paths.configPath}: run ${this.config.bin} openclaw connect`)
    else if (!p) result.problems.push(`OpenClaw has no litellm provider: run ${this.config.bin} openclaw connect`)
    if (p?.apiKeyRef && !refVariable) result.problems.push(`the provider's apiKey is a ${p.apiKeyRef.source} SecretRef: keyward reads env SecretRefs only; checked $${API_KEY_VAR} instead`)
    else if (p?.apiKey && !literalKey && !refVariable) result.problems.push(`the provider's apiKey is neither \${VARIABLE}, an env SecretRef nor a key: ${p.apiKey}`)
    if (literalKey) result.problems.push(`the key is written in plain text in ${paths.configPath}; ${this.config.bin} openclaw connect moves it to ${paths.envPath}`)

    // The key OpenClaw would use: the environment first, then its .env, then gateway.env (first wins).
    const variable = refVariable ?? API_KEY_VAR
    const found: Candidate[] = []
    if (literalKey) found.push({key: literalKey, source: 'config', path: paths.configPath})
    else {
      result.key.variable = variable
      const fromEnv = process.env[variable]
      if (fromEnv !== undefined) found.push({key: fromEnv.trim(), source: 'environment', path: null})
      const fromFile = await readEnvFileValue(paths.envPath, variable)
      if (fromFile) found.push({key: fromFile, source: '.env', path: paths.envPath})
      const fromGateway = paths.gatewayEnvPath ? await readEnvFileValue(paths.gatewayEnvPath, variable) : undefined
      if (fromGateway) found.push({key: fromGateway, source: 'gateway.env', path: paths.gatewayEnvPath})
    }
    const used = found[0]
    if (used) [result.key.source, result.key.path] = [used.source, used.path]
    const key = used?.key || undefined
    if (used && !key) result.problems.push(`${variable} is set but empty in the environment: OpenClaw does not read it from ${paths.envPath} then; unset it`)
    if (key) result.key.name = abbreviateKey(key)
    else if (!used) result.problems.push(`no ${variable} in the environment, ${paths.envPath}${paths.gatewayEnvPath ? ` or ${paths.gatewayEnvPath}` : ''}`)

    let failure: KeywardError | undefined
    const root = proxyRoot(p?.baseUrl ?? null)
    if (key) {
      if (p?.baseUrl && !root) result.problems.push(`cannot use the provider's baseUrl '${p.baseUrl}' here; checked against ${this.settings.baseUrl}`)
      result.checkedAt = root ?? this.settings.baseUrl
      const checked = await this.check(key, root, now)
      if (checked.ok) {
        const s = checked.summary
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
      } else {
        failure = checked.error
        if (checked.rejected) {
          result.key.valid = false
          result.key.error = checked.error.message
          result.problems.push(`the proxy rejected OpenClaw's key: ${checked.error.message}`)
        } else {
          result.problems.push(checked.error.message)
        }
      }
    }

    // A different key in a source that loses: checked too, so you can tell which one has the budget.
    const seen = new Set(key ? [key] : [])
    for (const other of key ? found.slice(1) : []) {
      if (!other.key || seen.has(other.key)) continue
      seen.add(other.key)
      const checked = await this.check(other.key, root, now)
      const entry: OtherKey = {
        source: other.source,
        path: other.path,
        name: abbreviateKey(other.key),
        valid: checked.ok ? true : checked.rejected ? false : null,
        alias: null,
        remaining: null,
        budget: null,
        status: null,
      }
      if (checked.ok) Object.assign(
        entry,
        {
          name: checked.summary.keyName ?? entry.name,
          alias: checked.summary.alias,
          remaining: checked.summary.remaining,
          budget: checked.summary.budget,
          status: checked.summary.status,
        },
      )
      result.otherKeys.push(entry)
      result.problems.push(shadowWarning(result, entry, variable))
    }

    if (text === undefined || !p) this.setExitCode(ExitCode.NOT_FOUND)
    else if (!key || result.key.valid === false) this.setExitCode(ExitCode.AUTH)
    else if (failure) this.setExitCode(failure.exitCode)
    this.out(renderOpenClawStatus(result, now))
    return result
  }

  private async check(
    key: string,
    root: string | undefined,
    now: Date,
  ): Promise<{ok: true; summary: ReturnType<typeof summarizeKey>} | {ok: false; rejected: boolean; error: KeywardError}> {
    try {
      const info = await ownKeyInfo(this.clientFor(key, root))
      return {ok: true, summary: summarizeKey(info.info, now, info.key)}
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error
      return {ok: false, rejected: ['auth', 'forbidden', 'not_found'].includes(error.kind), error}
    }
  }
}

interface Candidate {
  key: string
  source: KeySource
  path: string | null
}

const where = (source: KeySource, file: string | null, variable: string): string => (source === 'environment' ? `$${variable} in the environment` : `${file}`)

function budgetWords(valid: boolean | null, alias: string | null, remaining: number | null, budget: number | null, status: string | null): string {
  if (valid === false) return 'rejected by the proxy'
  if (valid === null) return 'not checked (proxy error)'
  const name = alias ? `'${alias}', ` : ''
  if (status && status !== 'active') return `${name}${status}`
  return budget === null ? `${name}no budget limit` : `${name}${formatUsd(remaining)} of ${formatUsd(budget)} left`
}

/** "the key in X (sk-...A: 'alias', $3 of $5 left) is used; the different key in Y (sk-...B: ...) is ignored". */
function shadowWarning(r: OpenClawStatusResult, o: OtherKey, variable: string): string {
  const k = r.key
  const b = r.budget
  const usedWords = budgetWords(k.valid, k.alias, b?.remaining ?? null, b?.budget ?? null, b?.status ?? null)
  const otherWords = budgetWords(o.valid, o.alias, o.remaining, o.budget, o.status)
  const usedHas = k.valid === true && b?.status === 'active' && (b.remaining === null || b.remaining > 0)
  const otherHas = o.valid === true && o.status === 'active' && (o.remaining === null || o.remaining > 0)
  const verdict = usedHas === otherHas ? '' : usedHas ? ' The one OpenClaw uses has the budget.' : ` Only the ignored one has budget: ${o.source === '.env' || o.source === 'gateway.env' ? `unset $${variable}` : 'fix the one OpenClaw uses'}.`
  return `OpenClaw uses ${variable} from ${where(k.source!, k.path, variable)} (${k.name}: ${usedWords}); the different one in ${where(o.source, o.path, variable)} (${o.name}: ${otherWords}) is ignored.${verdict}`
}
