import * as Flags from '@oclif/core/flags'

import {createKeySafely, rotateKeySafely} from '../../workflows/key-create.js'
import {KeywardError} from '../../core/errors.js'
import {findKeysByAlias, ownKeyInfo} from '../../api/keys.js'
import {fetchModelInfo, listModelIds} from '../../api/models.js'
import {abbreviateKey} from '../../core/redact.js'
import type {KeyRow} from '../../core/wire.js'
import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../core/exit-codes.js'
import {parseAlias, parseModelList, parseUsd} from '../../domain/inputs.js'
import {unifiedDiff} from '../../domain/openclaw-diff.js'
import {API_KEY_VAR, buildCatalogue, DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_TOKENS, choosePrimary, providerFields, stalePrimary, supportsSecretRef} from '../../domain/openclaw-models.js'
import {parseOpenClawProfile} from '../../domain/openclaw-paths.js'
import {summarizeKey} from '../../domain/key-summary.js'
import {labelForDuration, parsePeriod, parseTimestamp, type Period} from '../../domain/period.js'
import {applyConnect, inspectConfig} from '../../domain/openclaw-config.js'
import {backupFile, installedOpenClawVersion, openclawPaths, readEnvFileValue, readTextIfExists, writeConfig, writeEnvFileValue} from '../../io/openclaw-files.js'
import {formatUsd} from '../../output/format.js'
import {dailyResetWarning} from '../../output/keys.js'
import {renderConnect} from '../../output/openclaw.js'
import type {ModelInfoRow} from '../../core/wire.js'
import type {ConnectResult} from '../../contracts/openclaw.js'

const DEFAULT_ALIAS = 'openclaw'
const DEFAULT_BUDGET = 50
const DEFAULT_PERIOD = 'monthly'

interface LocalKey {
  key: string
  row: KeyRow
  from: '.env' | 'environment'
}

export default class OpenClawConnect extends BaseCommand<typeof OpenClawConnect> {
  static description = `Connects OpenClaw to the proxy in one step:

1. Mints a budgeted virtual key (like keys create: --period words are sent as durations, monthly → 30d, and the reset time the proxy stores is checked). If a key with --alias already exists and OpenClaw already holds a working key for it (checked with /key/info using that key), nothing is minted. If the alias exists but no local key works, nothing is changed and you are told how to proceed.
2. Reads the proxy's models from /v1/models, with context window, output limit, image input and reasoning from /model/info where the proxy offers it.
3. Writes models.providers.litellm (baseUrl, apiKey, api "openai-completions", models) into OpenClaw's config, sets agents.defaults.model.primary to litellm/<model> when it is unset or --primary is given, and enables OpenClaw's litellm plugin (plugins.entries.litellm.enabled, as openclaw doctor --fix would). apiKey is the SecretRef {source: "env", provider: "default", id: "LITELLM_API_KEY"} when the OpenClaw on PATH (else the one that last wrote the config) is 2026.6.0 or newer, else the string "\${LITELLM_API_KEY}"; both read the same variable. The config is JSON5: every other setting, comment and layout is kept; the original is backed up as openclaw.json.bak-<timestamp> and the new one written atomically. A config that does not parse is reported (line and column) and left untouched.
4. Puts the key as LITELLM_API_KEY in the .env file OpenClaw reads (~/.openclaw/.env by default), mode 0600, keeping the file's other lines. The key is never written into the JSON and never printed.

OpenClaw's files are found as OpenClaw finds them: --config (as OPENCLAW_CONFIG_PATH), OPENCLAW_STATE_DIR, OPENCLAW_HOME, --openclaw-profile NAME (as openclaw --profile NAME: ~/.openclaw-NAME), else ~/.openclaw/openclaw.json and ~/.openclaw/.env. A LITELLM_API_KEY exported in the shell wins over the .env for OpenClaw: you are warned when it differs. Running it again changes nothing. --dry-run shows the config change as a diff and writes nothing (and mints nothing).

--rotate replaces the secret of OpenClaw's key (a LiteLLM Enterprise feature on most proxies) and puts the new one in OpenClaw's .env at once (atomically, 0600), then checks it with /key/info using the new key; the rest of the config is updated as usual. Without the licence nothing is changed: replace the key by hand (keys create --alias <new>, then openclaw connect --alias <new>, then keys delete <old>).

Exit codes: 0 connected (or already connected, or rotated), 2 bad input or a config that does not parse (nothing changed), 3 no admin key, or the rotated key is refused, 4 --rotate for an alias that does not exist, 5 the alias exists but OpenClaw has no working key for it, 6 proxy failure (or rotation refused: not Enterprise).`
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --budget 20 --period weekly --primary claude-opus-4-6',
    '<%= config.bin %> <%= command.id %> --alias openclaw-laptop --models gpt-4o,claude-opus-4-6 --dry-run',
    '<%= config.bin %> <%= command.id %> --config ./openclaw.json --json',
  ]
  static flags = {
    alias: Flags.custom<string>({parse: async (s) => parseAlias(s)})({description: `alias of OpenClaw's key on the proxy [default: ${DEFAULT_ALIAS}]`}),
    budget: Flags.custom<number>({parse: async (s) => parseUsd(s, '--budget')})({description: `spend limit of a newly minted key, in US dollars [default: ${DEFAULT_BUDGET}]`}),
    config: Flags.string({description: "OpenClaw's config file [env: OPENCLAW_CONFIG_PATH] (default ~/.openclaw/openclaw.json); the key goes to .env in the same folder"}),
    'dry-run': Flags.boolean({description: 'show the config change as a diff; mint nothing, write nothing'}),
    rotate: Flags.boolean({description: "give OpenClaw's key (--alias) a new secret (/key/{key}/regenerate: budget and spend stay, the old secret stops working), write it to the .env OpenClaw reads and check it with one request"}),
    'openclaw-profile': Flags.custom<string>({parse: async (s) => parseOpenClawProfile(s)})({description: 'the OpenClaw profile to connect, as openclaw --profile NAME (its files live in ~/.openclaw-NAME)'}),
    models: Flags.custom<string[]>({parse: async (s) => parseModelList(s)})({description: 'comma-separated models to configure (and allow a newly minted key); default: every chat model the proxy serves'}),
    period: Flags.custom<Period>({parse: async (s) => parsePeriod(s)})({description: `when the budget resets: monthly, weekly, daily, hourly or a duration like 30d [default: ${DEFAULT_PERIOD}]`}),
    primary: Flags.string({description: "OpenClaw's default model (an id from the proxy, with or without litellm/); replaces the current one"}),
  }
  static summary = 'give OpenClaw a budgeted key and point its litellm provider at the proxy'

  async run(): Promise<ConnectResult> {
    const f = this.flags
    const now = this.now()
    const alias = f.alias ?? DEFAULT_ALIAS
    const period = f.period ?? parsePeriod(DEFAULT_PERIOD)
    const budget = f.budget ?? DEFAULT_BUDGET
    const dryRun = f['dry-run']
    const paths = openclawPaths(f.config ? {...process.env, OPENCLAW_CONFIG_PATH: f.config} : process.env, f['openclaw-profile'])
    const warnings: string[] = []

    // 1. The config must parse before anything is asked of the proxy (applyConnect below throws exit 2).
    const original = await readTextIfExists(paths.configPath)
    const view = inspectConfig(original ?? '', paths.configPath)

    // 2. Models.
    const admin = this.adminClient()
    const ids = await listModelIds(admin)
    let info: ModelInfoRow[] | undefined
    try {
      info = await fetchModelInfo(admin)
    } catch (error) {
      if (!(error instanceof KeywardError) || error.kind === 'auth' || error.kind === 'forbidden') throw error
      warnings.push(`could not read /model/info (${error.message}); default limits used`)
    }
    const catalogue = buildCatalogue(ids, info, f.models)
    if (catalogue.models.length === 0) {
      throw new KeywardError('not_found', `the proxy at ${this.settings.baseUrl} serves no chat models (GET /v1/models)`, {
        suggestions: ['Add models to the proxy config (model_list), then run this again'],
      })
    }
    if (catalogue.skipped.length > 0) this.note(`Left out (not chat models): ${catalogue.skipped.join(', ')}`)
    if (catalogue.defaulted.length > 0) {
      warnings.push(`${info ? '/model/info reports no limits' : 'the proxy has no /model/info'} for ${catalogue.defaulted.join(', ')}: defaults used where unknown (contextWindow ${DEFAULT_CONTEXT_WINDOW}, maxTokens ${DEFAULT_MAX_TOKENS}); adjust them in ${paths.configPath} if needed`)
    }
    const decision = choosePrimary(view.primary, f.primary, catalogue.models)
    if (decision.action === 'keep' && stalePrimary(decision.primary, catalogue.models)) {
      warnings.push(`the primary model ${decision.primary} is not among the proxy's models; choose one with --primary`)
    }

    // 3. The whole config change is computed (and checked) before a key is minted.
    const openclawVersion = (await installedOpenClawVersion(process.env)) ?? view.lastTouchedVersion ?? null
    const provider = providerFields(this.settings.baseUrl, view.provider?.rawModels, catalogue.models, {secretRef: supportsSecretRef(openclawVersion)})
    const edit = {...applyConnect(original ?? '', paths.configPath, {provider, primary: decision.action === 'set' ? decision.primary : undefined}), provider}

    // 4. The key.
    const [existing] = await findKeysByAlias(admin, alias)
    let local: LocalKey | undefined
    let rotated: {key: string; row: KeyRow} | undefined
    if (f.rotate) {
      if (!existing) {
        throw new KeywardError('not_found', `no key with alias '${alias}' to rotate; nothing was changed`, {suggestions: [`Connect with a new key: ${this.config.bin} openclaw connect --alias ${JSON.stringify(alias)}`]})
      }
      if (!dryRun) rotated = await this.rotate(existing, alias, paths.envPath)
    } else if (existing) {
      local = await this.workingLocalKey(alias, paths.envPath)
      if (!local) {
        throw new KeywardError('conflict', `a key with alias '${alias}' already exists (${existing.key_name ?? 'sk-...'}), but OpenClaw has no working key for it (none in ${paths.envPath} or $${API_KEY_VAR}); nothing was changed`, {
          suggestions: [
            `Connect with a new key: ${this.config.bin} openclaw connect --alias ${JSON.stringify(`${alias}-2`)}`,
            `Or, where the proxy allows it (key rotation is Enterprise-only on most proxies), give it a new secret and run this again with LITELLM_API_KEY set to it: ${this.config.bin} keys rotate ${JSON.stringify(alias)}`,
          ],
        })
      }
      const row = local.row
      if ((f.budget !== undefined && row.max_budget !== f.budget) || (f.period !== undefined && row.budget_duration !== f.period.duration)) {
        warnings.push(`the existing key '${alias}' keeps its budget (${row.max_budget ?? 'none'} ${labelForDuration(row.budget_duration)}); change it with: ${this.config.bin} keys update ${JSON.stringify(alias)}${f.budget === undefined ? '' : ` --budget ${f.budget}`}${f.period ? ` --period ${f.period.duration}` : ''}`)
      }
    }

    let minted: {key: string; row: KeyRow} | undefined
    let envChanged = false
    if (f.rotate) {
      envChanged = true
    } else if (!existing && !dryRun) {
      const created = await createKeySafely(
        admin,
        {key_alias: alias, max_budget: budget, budget_duration: period.duration, ...(f.models ? {models: f.models} : {}), metadata: {created_by: 'keyward openclaw connect'}},
        {onNote: (line) => this.note(line)},
      )
      minted = {key: created.key, row: created.row}
      if (created.uncertain) {
        // The secret is kept in .env anyway: if the key exists, OpenClaw can use it.
        warnings.push(`${created.uncertain}: the key '${alias}' may or may not exist; check with: ${this.config.bin} openclaw status`)
        this.setExitCode(ExitCode.PROXY)
      }
      // The key is saved before anything else can fail.
      const {previous} = await writeEnvFileValue(paths.envPath, API_KEY_VAR, created.key)
      envChanged = true
      if (previous && previous !== created.key) warnings.push(`replaced the ${API_KEY_VAR} that was in ${paths.envPath} (${abbreviateKey(previous)})`)
    } else if (!existing && dryRun) {
      envChanged = true
    } else if (local && local.from === 'environment') {
      // The working key is only in this shell: OpenClaw needs it in its .env.
      if (!dryRun) await writeEnvFileValue(paths.envPath, API_KEY_VAR, local.key)
      envChanged = true
      this.note(`Copied ${API_KEY_VAR} (${abbreviateKey(local.key)}) from the environment to ${paths.envPath}.`)
    }

    // For OpenClaw the environment wins over its .env (a .env never overrides a set variable).
    const written = minted?.key ?? rotated?.key ?? local?.key
    const shell = process.env[API_KEY_VAR]
    if (written && shell !== undefined && shell.trim() !== written) {
      warnings.push(`${API_KEY_VAR} is also set in this shell (${shell.trim() ? abbreviateKey(shell.trim()) : 'empty'}) and differs from the key in ${paths.envPath}: an OpenClaw started from this shell uses the shell's; unset it, or see ${this.config.bin} openclaw status`)
    }
    if (view.pluginEnabled === false) warnings.push(`plugins.entries.litellm.enabled is false in ${paths.configPath}: OpenClaw's litellm plugin stays disabled (left as you set it)`)

    const row = minted?.row ?? rotated?.row ?? local?.row ?? (f.rotate && existing ? existing : undefined)
    if (minted) {
      // The same check and words as keys create: a monthly budget must not reset every night.
      const s = summarizeKey(minted.row, now)
      const daily = dailyResetWarning(s, now, this.config.bin)
      if (daily) warnings.push(daily)
      else if (s.resetCheck?.status === 'unknown') warnings.push(`could not verify when the budget resets: ${s.resetCheck.reason}`)
    }

    // 5. The config.
    let backupPath: string | null = null
    let diff: string | null = null
    if (edit.changed) {
      if (dryRun) {
        diff = unifiedDiff(original ?? '', edit.text, {from: original === undefined ? '/dev/null' : paths.configPath, to: paths.configPath})
      } else {
        if (original !== undefined) backupPath = await backupFile(paths.configPath, now)
        await writeConfig(paths.configPath, edit.text)
      }
    }

    const result: ConnectResult = {
      alias,
      minted: Boolean(minted),
      keyName: row?.key_name ?? (minted ? abbreviateKey(minted.key) : local ? abbreviateKey(local.key) : null),
      keySource: minted ? 'minted' : rotated ? 'rotated' : f.rotate ? 'would-rotate' : local ? 'existing' : 'would-mint',
      configPath: paths.configPath,
      envPath: paths.envPath,
      openclawVersion,
      apiKeyForm: typeof edit.provider.apiKey === 'string' ? 'string' : 'secret-ref',
      backupPath,
      baseUrl: this.settings.baseUrl,
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
    for (const w of warnings) this.warnLine(w)
    if (dryRun) {
      if (diff) this.out(diff)
      else this.note(`${paths.configPath} already has these settings.`)
      if (f.rotate) this.note(`Would give key '${alias}' a new secret and write it to ${paths.envPath} as ${API_KEY_VAR}.`)
      else if (!existing) this.note(`Would mint key '${alias}' (${formatUsd(budget)} ${period.label}) and write it to ${paths.envPath} as ${API_KEY_VAR}.`)
      this.note('Dry run: nothing was minted or written.')
      return result
    }
    this.out(renderConnect(result, now))
    if (minted || rotated) this.note(`The ${rotated ? 'new secret' : 'key'} was written to ${paths.envPath} (${API_KEY_VAR}); it is not shown anywhere else.`)
    if (rotated) this.note('Restart the OpenClaw gateway so that it reads the new key; the old secret no longer works.')
    if (!result.changed) this.note('OpenClaw was already connected: nothing changed.')
    else if (edit.changed) this.note('Restart the OpenClaw gateway to pick up the change.')
    return result
  }

  /**
   * A new secret for the key (regenerate), saved to OpenClaw's .env as soon as the proxy has it (the old
   * one stops working), then checked with one /key/info using the new secret.
   */
  private async rotate(existing: KeyRow, alias: string, envPath: string): Promise<{key: string; row: KeyRow}> {
    const admin = this.adminClient()
    if (!existing.token) throw new KeywardError('schema', `GET /key/list did not return the key's token for alias '${alias}'`, {endpoint: 'GET /key/list'})
    let rotated
    try {
      rotated = await rotateKeySafely(admin, existing.token, {previousKeyName: existing.key_name ?? null, onNote: (l) => this.note(l)})
    } catch (error) {
      if (error instanceof KeywardError && error.kind === 'enterprise_only') {
        throw new KeywardError('enterprise_only', `rotating keys is a LiteLLM Enterprise feature on this proxy, so '${alias}' was not rotated and nothing changed (the proxy said: ${error.message})`, {
          status: error.status,
          endpoint: error.endpoint,
          suggestions: [
            'Add a LiteLLM Enterprise licence (LITELLM_LICENSE) to the proxy, or replace the key by hand:',
            `${this.config.bin} openclaw connect --alias ${JSON.stringify(`${alias}-2`)} (mints a new key and writes it to ${envPath}), then ${this.config.bin} keys delete ${JSON.stringify(alias)}`,
          ],
        })
      }
      throw error
    }
    await writeEnvFileValue(envPath, API_KEY_VAR, rotated.key)
    try {
      const info = await ownKeyInfo(this.clientFor(rotated.key))
      if (info.info.key_alias !== alias) throw new KeywardError('auth', `the new secret reads back as key '${info.info.key_alias ?? '(no alias)'}', not '${alias}'`)
      return {key: rotated.key, row: info.info}
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error
      throw new KeywardError(error.kind, `the key '${alias}' was rotated and its new secret written to ${envPath}, but checking it failed: ${error.message}`, {
        status: error.status,
        endpoint: error.endpoint,
        suggestions: [`Check it: ${this.config.bin} openclaw status`],
      })
    }
  }

  /** The key OpenClaw holds for `alias` (in its .env, else $LITELLM_API_KEY), if the proxy accepts it. */
  private async workingLocalKey(alias: string, envPath: string): Promise<LocalKey | undefined> {
    const candidates: Array<{key: string; from: LocalKey['from']}> = []
    const fromFile = await readEnvFileValue(envPath, API_KEY_VAR)
    if (fromFile) candidates.push({key: fromFile, from: '.env'})
    const fromEnv = process.env[API_KEY_VAR]?.trim()
    if (fromEnv && fromEnv !== fromFile) candidates.push({key: fromEnv, from: 'environment'})
    for (const c of candidates) {
      try {
        const info = await ownKeyInfo(this.clientFor(c.key))
        if (info.info.key_alias === alias) return {key: c.key, row: info.info, from: c.from}
      } catch (error) {
        if (!(error instanceof KeywardError) || !['auth', 'forbidden', 'not_found', 'validation'].includes(error.kind)) throw error
      }
    }
    return undefined
  }
}
