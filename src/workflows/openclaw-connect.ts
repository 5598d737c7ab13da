/**
 * `openclaw connect` in steps: read OpenClaw's config (it must parse before anything is asked of the
 * proxy), read the proxy's models, compute the whole config change, then the key (mint, rotate, or
 * the working key OpenClaw already holds), then write the `.env` and the config.
 */
import path from 'node:path'

import type {LiteLLMClient} from '../api/client.js'
import {findKeysByAlias, ownKeyInfo} from '../api/keys.js'
import {fetchModelInfo, listModelIds} from '../api/models.js'
import type {ConnectResult} from '../contracts/openclaw.js'
import {KeywardError, usageError} from '../core/errors.js'
import {abbreviateKey} from '../core/redact.js'
import type {KeyRow} from '../core/wire.js'
import type {ModelInfoRow} from '../core/wire-models.js'
import {summarizeKey} from '../domain/key-summary.js'
import {applyConnect, inspectConfig} from '../domain/openclaw-config.js'
import {unifiedDiff} from '../domain/openclaw-diff.js'
import {API_KEY_VAR, buildCatalogue, choosePrimary, DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_TOKENS, providerFields, stalePrimary, supportsSecretRef} from '../domain/openclaw-models.js'
import {labelForDuration, parsePeriod, parseTimestamp, type Period} from '../domain/period.js'
import {
  backupFile,
  configTarget,
  installedOpenClawVersion,
  openclawPaths,
  readEnvFileValue,
  readTextIfExists,
  writeConfig,
  writeEnvFileValue,
  writeProblem,
  type OpenClawPaths,
} from '../io/openclaw-files.js'
import {resetWarningAfterCreate} from '../output/keys.js'
import {createKeySafely, rotateKeySafely} from './key-create.js'
import type {Notes} from './notes.js'

export const DEFAULT_ALIAS = 'openclaw'
export const DEFAULT_BUDGET = 50
export const DEFAULT_PERIOD = 'monthly'

export interface ConnectContext {
  /** The admin (master) key's client. */
  admin: LiteLLMClient
  /** A client that sends `key` (OpenClaw's own key) to the proxy. */
  clientFor(key: string): LiteLLMClient
  baseUrl: string
  /** The environment OpenClaw would see (its variables decide where its files are, and which key wins). */
  env: Record<string, string | undefined>
  now: Date
  /** The CLI's name, for the commands suggested. */
  bin: string
  notes: Notes
}

export interface ConnectOptions {
  alias?: string
  budget?: number
  period?: Period
  models?: string[]
  primary?: string
  rotate?: boolean
  dryRun?: boolean
  /** OpenClaw's config file (as OPENCLAW_CONFIG_PATH). */
  config?: string
  openclawProfile?: string
}

export interface ConnectOutcome {
  result: ConnectResult
  /** The create's answer was lost and could not be resolved: the key may or may not exist (exit 6). */
  uncertain: boolean
}

/**
 * A key was minted (or given a new secret) but could not be written to OpenClaw's .env: the command
 * prints it once on stdout (with --json, as `key` in the error), since nothing else holds it.
 */
export class KeyNotSavedError extends KeywardError {
  constructor(
    readonly key: string,
    readonly envPath: string,
    what: string,
    cause: unknown,
    fix: string[],
  ) {
    super('secret_undelivered', `${what}, but writing it to ${envPath} failed (${reason(cause)}): the key is shown once on stdout and is not saved anywhere else`, {
      suggestions: fix,
      cause,
    })
  }

  override toJSON(): Record<string, unknown> {
    return {...super.toJSON(), key: this.key}
  }
}

const reason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}

/** Write the key to OpenClaw's .env; when that fails, the error carries the key so that it is not lost. */
async function saveKey(ctx: ConnectContext, envPath: string, key: string, alias: string, what: string): Promise<{previous: string | undefined}> {
  try {
    return await writeEnvFileValue(envPath, API_KEY_VAR, key)
  } catch (error) {
    throw new KeyNotSavedError(key, envPath, what, error, [
      `Make ${path.dirname(envPath)} writable, then run with the key printed: ${API_KEY_VAR}=<the key> ${ctx.bin} openclaw connect --alias ${JSON.stringify(alias)} (it copies the key to ${envPath})`,
      `Or add the line ${API_KEY_VAR}=<the key> to ${envPath} yourself (chmod 600)`,
    ])
  }
}

/** Before anything is minted: the files this run will write must be writable (exit 2 otherwise, nothing sent). */
async function checkWritable(paths: OpenClawPaths, writes: {env: boolean; config: boolean}): Promise<void> {
  const files = [...(writes.env ? [paths.envPath] : []), ...(writes.config ? [paths.configPath, await configTarget(paths.configPath)] : [])]
  for (const file of new Set(files)) {
    const problem = await writeProblem(file)
    if (problem) {
      throw usageError(
        `cannot write OpenClaw's files: ${problem}; nothing was minted or changed`,
        `Make it writable (e.g. chmod u+w ${JSON.stringify(problem.includes('folder') ? path.dirname(file) : file)}), then run this again`,
        'Or point keyward at another OpenClaw config: --config /path/to/openclaw.json (the key goes to .env in the same folder)',
      )
    }
  }
}

interface LocalKey {
  key: string
  row: KeyRow
  from: '.env' | 'environment'
}

export async function connectOpenClaw(ctx: ConnectContext, o: ConnectOptions): Promise<ConnectOutcome> {
  const {admin, now, bin, notes} = ctx
  const alias = o.alias ?? DEFAULT_ALIAS
  const period = o.period ?? parsePeriod(DEFAULT_PERIOD)
  const budget = o.budget ?? DEFAULT_BUDGET
  const dryRun = Boolean(o.dryRun)
  const paths = openclawPaths(o.config ? {...ctx.env, OPENCLAW_CONFIG_PATH: o.config} : ctx.env, o.openclawProfile)
  const warnings: string[] = []

  // 1. The config must parse before anything is asked of the proxy (applyConnect below throws exit 2).
  const original = await readTextIfExists(paths.configPath)
  const view = inspectConfig(original ?? '', paths.configPath)

  // 2. Models.
  const ids = await listModelIds(admin)
  let info: ModelInfoRow[] | undefined
  try {
    info = await fetchModelInfo(admin)
  } catch (error) {
    if (!(error instanceof KeywardError) || error.kind === 'auth' || error.kind === 'forbidden') throw error
    warnings.push(`could not read /model/info (${error.message}); default limits used`)
  }
  const catalogue = buildCatalogue(ids, info, o.models)
  if (catalogue.models.length === 0) {
    throw new KeywardError('not_found', `the proxy at ${ctx.baseUrl} serves no chat models (GET /v1/models)`, {
      suggestions: ['Add models to the proxy config (model_list), then run this again'],
    })
  }
  if (catalogue.skipped.length > 0) notes.note(`Left out (not chat models): ${catalogue.skipped.join(', ')}`)
  if (catalogue.defaulted.length > 0) {
    warnings.push(
      `${info ? '/model/info reports no limits' : 'the proxy has no /model/info'} for ${catalogue.defaulted.join(', ')}: defaults used where unknown ` +
        `(contextWindow ${DEFAULT_CONTEXT_WINDOW}, maxTokens ${DEFAULT_MAX_TOKENS}); adjust them in ${paths.configPath} if needed`,
    )
  }
  const decision = choosePrimary(view.primary, o.primary, catalogue.models)
  if (decision.action === 'keep' && stalePrimary(decision.primary, catalogue.models)) {
    warnings.push(`the primary model ${decision.primary} is not among the proxy's models; choose one with --primary`)
  }

  // 3. The whole config change is computed (and checked) before a key is minted.
  const openclawVersion = (await installedOpenClawVersion(ctx.env)) ?? view.lastTouchedVersion ?? null
  const provider = providerFields(ctx.baseUrl, view.provider?.rawModels, catalogue.models, {secretRef: supportsSecretRef(openclawVersion)})
  const edit = {...applyConnect(original ?? '', paths.configPath, {provider, primary: decision.action === 'set' ? decision.primary : undefined}), provider}

  // 4. The key.
  const [existing] = await findKeysByAlias(admin, alias)
  let local: LocalKey | undefined
  let rotated: {key: string; row: KeyRow} | undefined
  if (o.rotate) {
    if (!existing) {
      throw new KeywardError('not_found', `no key with alias '${alias}' to rotate; nothing was changed`, {suggestions: [`Connect with a new key: ${bin} openclaw connect --alias ${JSON.stringify(alias)}`]})
    }
  } else if (existing) {
    local = await workingLocalKey(ctx, alias, paths.envPath)
    if (!local) {
      throw new KeywardError(
        'conflict',
        `a key with alias '${alias}' already exists (${existing.key_name ?? 'sk-...'}), but OpenClaw has no working key for it (none in ${paths.envPath} or $${API_KEY_VAR}); nothing was changed`,
        {
          suggestions: [
            `Connect with a new key: ${bin} openclaw connect --alias ${JSON.stringify(`${alias}-2`)}`,
            'Or, where the proxy allows it (key rotation is Enterprise-only on most proxies), give it a new secret and run this again ' +
              `with LITELLM_API_KEY set to it: ${bin} keys rotate ${JSON.stringify(alias)}`,
          ],
        },
      )
    }
    const row = local.row
    if ((o.budget !== undefined && row.max_budget !== o.budget) || (o.period !== undefined && row.budget_duration !== o.period.duration)) {
      warnings.push(
        `the existing key '${alias}' keeps its budget (${row.max_budget ?? 'none'} ${labelForDuration(row.budget_duration)}); change it with: ` +
          `${bin} keys update ${JSON.stringify(alias)}${o.budget === undefined ? '' : ` --budget ${o.budget}`}${o.period ? ` --period ${o.period.duration}` : ''}`,
      )
    }
  }

  if (!dryRun) await checkWritable(paths, {env: Boolean(o.rotate) || !existing || local?.from === 'environment', config: edit.changed})

  let minted: {key: string; row: KeyRow} | undefined
  let uncertain = false
  let envChanged = false
  if (o.rotate) {
    if (!dryRun && existing) rotated = await rotate(ctx, existing, alias, paths.envPath)
    envChanged = true
  } else if (!existing && !dryRun) {
    const created = await createKeySafely(
      admin,
      {key_alias: alias, max_budget: budget, budget_duration: period.duration, ...(o.models ? {models: o.models} : {}), metadata: {created_by: 'keyward openclaw connect'}},
      {onNote: (line) => notes.note(line)},
    )
    minted = {key: created.key, row: created.row}
    if (created.uncertain) {
      // The secret is kept in .env anyway: if the key exists, OpenClaw can use it.
      warnings.push(`${created.uncertain}: the key '${alias}' may or may not exist; check with: ${bin} openclaw status`)
      uncertain = true
    }
    // The key is saved before anything else can fail.
    const {previous} = await saveKey(ctx, paths.envPath, created.key, alias, `the key '${alias}' ${uncertain ? 'may have been minted' : 'was minted'}`)
    envChanged = true
    if (previous && previous !== created.key) warnings.push(`replaced the ${API_KEY_VAR} that was in ${paths.envPath} (${abbreviateKey(previous)})`)
  } else if (!existing && dryRun) {
    envChanged = true
  } else if (local && local.from === 'environment') {
    // The working key is only in this shell: OpenClaw needs it in its .env.
    if (!dryRun) await writeEnvFileValue(paths.envPath, API_KEY_VAR, local.key)
    envChanged = true
    notes.note(`Copied ${API_KEY_VAR} (${abbreviateKey(local.key)}) from the environment to ${paths.envPath}.`)
  }

  // For OpenClaw the environment wins over its .env (a .env never overrides a set variable).
  const written = minted?.key ?? rotated?.key ?? local?.key
  const shell = ctx.env[API_KEY_VAR]
  if (written && shell !== undefined && shell.trim() !== written) {
    warnings.push(
      `${API_KEY_VAR} is also set in this shell (${shell.trim() ? abbreviateKey(shell.trim()) : 'empty'}) and differs from the key in ${paths.envPath}: ` +
        `an OpenClaw started from this shell uses the shell's; unset it, or see ${bin} openclaw status`,
    )
  }
  if (view.pluginEnabled === false) warnings.push(`plugins.entries.litellm.enabled is false in ${paths.configPath}: OpenClaw's litellm plugin stays disabled (left as you set it)`)

  const row = minted?.row ?? rotated?.row ?? local?.row ?? (o.rotate && existing ? existing : undefined)
  if (minted) {
    // The same check and words as keys create: a monthly budget must not reset every night.
    const resetWarning = resetWarningAfterCreate(summarizeKey(minted.row, now), now, bin)
    if (resetWarning) warnings.push(resetWarning)
  }

  // 5. The config.
  let backupPath: string | null = null
  let diff: string | null = null
  if (edit.changed) {
    if (dryRun) {
      diff = unifiedDiff(original ?? '', edit.text, {from: original === undefined ? '/dev/null' : paths.configPath, to: paths.configPath})
    } else {
      try {
        if (original !== undefined) backupPath = await backupFile(paths.configPath, now)
        await writeConfig(paths.configPath, edit.text)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code
        if (typeof code !== 'string') throw error
        const key = minted || rotated ? ` The key is saved in ${paths.envPath}.` : ''
        throw usageError(`could not write OpenClaw's config ${paths.configPath} (${code}); it was left as it was.${key}`, `Fix the problem (permissions, space), then run ${bin} openclaw connect again`)
      }
      if (backupPath && view.inlineKeys.length > 0) {
        warnings.push(
          `the previous config held a key in plain text (apiKey of ${view.inlineKeys.map((p) => `models.providers.${p}`).join(', ')}); its backup ${backupPath} keeps it ` +
            '(mode 0600): delete the backup when you no longer need it, and rotate that key if others could read the config',
        )
      }
    }
  }

  const result: ConnectResult = {
    alias,
    minted: Boolean(minted),
    keyName: row?.key_name ?? (minted ? abbreviateKey(minted.key) : local ? abbreviateKey(local.key) : null),
    keySource: minted ? 'minted' : rotated ? 'rotated' : o.rotate ? 'would-rotate' : local ? 'existing' : 'would-mint',
    configPath: paths.configPath,
    envPath: paths.envPath,
    openclawVersion,
    apiKeyForm: typeof edit.provider.apiKey === 'string' ? 'string' : 'secret-ref',
    backupPath,
    baseUrl: ctx.baseUrl,
    models: catalogue.models,
    primary: decision.primary,
    primaryChanged: decision.action === 'set' && decision.primary !== view.primary,
    changed: edit.changed || envChanged,
    configChanged: edit.changed,
    envChanged,
    budget: row ? (row.max_budget ?? null) : budget,
    period: row ? (row.budget_duration ? labelForDuration(row.budget_duration) : null) : period.label,
    resetAt: row ? (parseTimestamp(row.budget_reset_at)?.toISOString() ?? null) : null,
    dryRun,
    diff,
    warnings,
  }
  return {result, uncertain}
}

/**
 * A new secret for the key (regenerate), saved to OpenClaw's .env as soon as the proxy has it (the old
 * one stops working), then checked with one /key/info using the new secret.
 */
async function rotate(ctx: ConnectContext, existing: KeyRow, alias: string, envPath: string): Promise<{key: string; row: KeyRow}> {
  const {bin} = ctx
  if (!existing.token) throw new KeywardError('schema', `GET /key/list did not return the key's token for alias '${alias}'`, {endpoint: 'GET /key/list'})
  let rotated
  try {
    rotated = await rotateKeySafely(ctx.admin, existing.token, {previousKeyName: existing.key_name ?? null, ref: alias, onNote: (l) => ctx.notes.note(l)})
  } catch (error) {
    if (error instanceof KeywardError && error.kind === 'enterprise_only') {
      throw new KeywardError('enterprise_only', `rotating keys is a LiteLLM Enterprise feature on this proxy, so '${alias}' was not rotated and nothing changed (the proxy said: ${error.message})`, {
        status: error.status,
        endpoint: error.endpoint,
        suggestions: [
          'Add a LiteLLM Enterprise licence (LITELLM_LICENSE) to the proxy, or replace the key by hand:',
          `${bin} openclaw connect --alias ${JSON.stringify(`${alias}-2`)} (mints a new key and writes it to ${envPath}), then ${bin} keys delete ${JSON.stringify(alias)}`,
        ],
      })
    }
    throw error
  }
  await saveKey(ctx, envPath, rotated.key, alias, `the key '${alias}' ${rotated.uncertain ? 'may have been given a new secret' : 'was given a new secret (the old one no longer works)'}`)
  try {
    const info = await ownKeyInfo(ctx.clientFor(rotated.key))
    if (info.info.key_alias !== alias) throw new KeywardError('auth', `the new secret reads back as key '${info.info.key_alias ?? '(no alias)'}', not '${alias}'`)
    return {key: rotated.key, row: info.info}
  } catch (error) {
    if (!(error instanceof KeywardError)) throw error
    throw new KeywardError(error.kind, `the key '${alias}' was rotated and its new secret written to ${envPath}, but checking it failed: ${error.message}`, {
      status: error.status,
      endpoint: error.endpoint,
      suggestions: [`Check it: ${bin} openclaw status`],
    })
  }
}

/** The key OpenClaw holds for `alias` (in its .env, else $LITELLM_API_KEY), if the proxy accepts it. */
async function workingLocalKey(ctx: ConnectContext, alias: string, envPath: string): Promise<LocalKey | undefined> {
  const candidates: Array<{key: string; from: LocalKey['from']}> = []
  const fromFile = await readEnvFileValue(envPath, API_KEY_VAR)
  if (fromFile) candidates.push({key: fromFile, from: '.env'})
  const fromEnv = ctx.env[API_KEY_VAR]?.trim()
  if (fromEnv && fromEnv !== fromFile) candidates.push({key: fromEnv, from: 'environment'})
  for (const c of candidates) {
    try {
      const info = await ownKeyInfo(ctx.clientFor(c.key))
      if (info.info.key_alias === alias) return {key: c.key, row: info.info, from: c.from}
    } catch (error) {
      if (!(error instanceof KeywardError) || !['auth', 'forbidden', 'not_found', 'validation'].includes(error.kind)) throw error
    }
  }
  return undefined
}
