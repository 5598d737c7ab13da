/**
 * `openclaw status`: what OpenClaw's config says, which key OpenClaw really uses (the environment, then
 * its .env, then gateway.env, as OpenClaw takes it), checked with /key/info using that key against the
 * proxy OpenClaw points at; a different key in a source that loses is checked too.
 */
import type {LiteLLMClient} from '../api/client.js'
import {ownKeyInfo} from '../api/keys.js'
import type {KeySource, OpenClawStatusResult, OtherKey} from '../contracts/openclaw.js'
import {KeywardError} from '../core/errors.js'
import {ExitCode} from '../core/exit-codes.js'
import {abbreviateKey} from '../core/redact.js'
import {summarizeKey} from '../domain/key-summary.js'
import {inspectConfig, type ConfigView} from '../domain/openclaw-config.js'
import {API_KEY_VAR, apiKeyVariable} from '../domain/openclaw-models.js'
import {openclawPaths, readEnvFileValue, readTextIfExists} from '../io/openclaw-files.js'
import {checkBaseUrl} from '../io/settings.js'
import {dailyResetWarning} from '../output/keys.js'
import {shadowWarning} from '../output/openclaw.js'

export interface OpenClawStatusContext {
  /** A client that sends `key` to `baseUrl` (the proxy's when undefined). */
  clientFor(key: string, baseUrl?: string): LiteLLMClient
  /** The proxy keyward is set to use: the check goes there when OpenClaw's baseUrl cannot be used. */
  baseUrl: string
  env: Record<string, string | undefined>
  now: Date
  bin: string
}

/** The admin API lives at the proxy root; OpenClaw's baseUrl may end in /v1. */
function proxyRoot(baseUrl: string | null): string | undefined {
  if (!baseUrl || baseUrl.includes('${')) return undefined
  const checked = checkBaseUrl(baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/, ''))
  return checked.ok ? checked.url : undefined
}

/** The status, and the exit code it means: 4 no config or provider, 3 no key or a rejected one, a proxy failure's own. */
export async function openClawStatus(
  ctx: OpenClawStatusContext,
  o: {config?: string; openclawProfile?: string} = {},
): Promise<{result: OpenClawStatusResult; exitCode: number}> {
    const {now} = ctx
    const paths = openclawPaths(o.config ? {...ctx.env, OPENCLAW_CONFIG_PATH: o.config} : ctx.env, o.openclawProfile)
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
    if (text === undefined) result.problems.push(`no OpenClaw config at ${paths.configPath}: run ${ctx.bin} openclaw connect`)
    else if (!p) result.problems.push(`OpenClaw has no litellm provider: run ${ctx.bin} openclaw connect`)
    if (p?.apiKeyRef && !refVariable) result.problems.push(`the provider's apiKey is a ${p.apiKeyRef.source} SecretRef: keyward reads env SecretRefs only; checked $${API_KEY_VAR} instead`)
    else if (p?.apiKey && !literalKey && !refVariable) result.problems.push(`the provider's apiKey is neither \${VARIABLE}, an env SecretRef nor a key: ${p.apiKey}`)
    if (literalKey) result.problems.push(`the key is written in plain text in ${paths.configPath}; ${ctx.bin} openclaw connect moves it to ${paths.envPath}`)

    // The key OpenClaw would use: the environment first, then its .env, then gateway.env (first wins).
    const variable = refVariable ?? API_KEY_VAR
    const found: Candidate[] = []
    if (literalKey) found.push({key: literalKey, source: 'config', path: paths.configPath})
    else {
      result.key.variable = variable
      const fromEnv = ctx.env[variable]
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
      if (p?.baseUrl && !root) result.problems.push(`cannot use the provider's baseUrl '${p.baseUrl}' here; checked against ${ctx.baseUrl}`)
      result.checkedAt = root ?? ctx.baseUrl
      const checked = await check(ctx, key, root, now)
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
        const daily = dailyResetWarning(s, now, ctx.bin, {existing: true})
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
      const checked = await check(ctx, other.key, root, now)
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

    let exitCode: number = ExitCode.OK
    if (text === undefined || !p) exitCode = ExitCode.NOT_FOUND
    else if (!key || result.key.valid === false) exitCode = ExitCode.AUTH
    else if (failure) exitCode = failure.exitCode
    return {result, exitCode}
}

async function check(
ctx: OpenClawStatusContext,
key: string,
  root: string | undefined,
  now: Date,
): Promise<{ok: true; summary: ReturnType<typeof summarizeKey>} | {ok: false; rejected: boolean; error: KeywardError}> {
  try {
    const info = await ownKeyInfo(ctx.clientFor(key, root))
    return {ok: true, summary: summarizeKey(info.info, now, info.key)}
  } catch (error) {
    if (!(error instanceof KeywardError)) throw error
    return {ok: false, rejected: ['auth', 'forbidden', 'not_found'].includes(error.kind), error}
  }
}

interface Candidate {
  key: string
  source: KeySource
  path: string | null
}
