import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import type {ConnectResult} from '../../contracts/openclaw.js'
import {ExitCode} from '../../core/exit-codes.js'
import {parseAlias, parseModelList, parseUsd} from '../../domain/inputs.js'
import {API_KEY_VAR} from '../../domain/openclaw-models.js'
import {parseOpenClawProfile} from '../../domain/openclaw-paths.js'
import {parsePeriod, type Period} from '../../domain/period.js'
import {formatUsd} from '../../output/format.js'
import {renderConnect} from '../../output/openclaw.js'
import {secretNotWritten} from '../../workflows/key-create.js'
import {connectOpenClaw, DEFAULT_ALIAS, DEFAULT_BUDGET, DEFAULT_PERIOD, KeyNotSavedError} from '../../workflows/openclaw-connect.js'

export default class OpenClawConnect extends BaseCommand<typeof OpenClawConnect> {
  static description = `Connects OpenClaw to the proxy in one step:

1. Mints a budgeted virtual key (like keys create: --period words are sent as durations, monthly → 30d, and the reset time the proxy stores is checked). If a key with --alias already exists and OpenClaw already holds a working key for it (checked with /key/info using that key), nothing is minted. If the alias exists but no local key works, nothing is changed and you are told how to proceed.
2. Reads the proxy's models from /v1/models, with context window, output limit, image input and reasoning from /model/info where the proxy offers it.
3. Writes models.providers.litellm (baseUrl, apiKey, api "openai-completions", models) into OpenClaw's config, sets agents.defaults.model.primary to litellm/<model> when it is unset or --primary is given, and enables OpenClaw's litellm plugin (plugins.entries.litellm.enabled, as openclaw doctor --fix would). apiKey is the SecretRef {source: "env", provider: "default", id: "LITELLM_API_KEY"} when the OpenClaw on PATH (else the one that last wrote the config) is 2026.6.0 or newer, else the string "\${LITELLM_API_KEY}"; both read the same variable. The config is JSON5: every other setting, comment and layout is kept; the original is backed up as openclaw.json.bak-<timestamp> (mode 0600; you are warned when it holds a key in plain text) and the new one written atomically. A config that does not parse is reported (line and column) and left untouched.
4. Puts the key as LITELLM_API_KEY in the .env file OpenClaw reads (~/.openclaw/.env by default), mode 0600, keeping the file's other lines. The key is never written into the JSON and never printed.

OpenClaw's files are found as OpenClaw finds them: --config (as OPENCLAW_CONFIG_PATH), OPENCLAW_STATE_DIR, OPENCLAW_HOME, --openclaw-profile NAME (as openclaw --profile NAME: ~/.openclaw-NAME), else ~/.openclaw/openclaw.json and ~/.openclaw/.env. A LITELLM_API_KEY exported in the shell wins over the .env for OpenClaw: you are warned when it differs. Running it again changes nothing. --dry-run shows the config change as a diff and writes nothing (and mints nothing).

--rotate replaces the secret of OpenClaw's key (a LiteLLM Enterprise feature on most proxies) and puts the new one in OpenClaw's .env at once (atomically, 0600), then checks it with /key/info using the new key; the rest of the config is updated as usual. Without the licence nothing is changed: replace the key by hand (keys create --alias <new>, then openclaw connect --alias <new>, then keys delete <old>).

Exit codes: 0 connected (or already connected, or rotated), 2 bad input, a config that does not parse, or OpenClaw's folder or .env not writable (checked before a key is minted; nothing changed), 3 no admin key, or the rotated key is refused, 4 --rotate for an alias that does not exist, 5 the alias exists but OpenClaw has no working key for it, 6 proxy failure (or rotation refused: not Enterprise), or a new key that could not be written to the .env (it is then printed once on stdout).`
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
    const ctx = {
      admin: this.adminClient(),
      clientFor: (key: string) => this.clientFor(key),
      baseUrl: this.settings.baseUrl,
      env: process.env,
      now,
      bin: this.config.bin,
      notes: {warn: (l: string) => this.warnLine(l), note: (l: string) => this.note(l)},
    }
    const options = {
      alias: f.alias,
      budget: f.budget,
      period: f.period,
      models: f.models,
      primary: f.primary,
      rotate: f.rotate,
      dryRun: f['dry-run'],
      config: f.config,
      openclawProfile: f['openclaw-profile'],
    }
    const {result, uncertain} = await connectOpenClaw(ctx, options).catch((error: unknown) => this.keyNotSaved(error))
    if (uncertain) this.setExitCode(ExitCode.PROXY)
    for (const w of result.warnings) this.warnLine(w)
    const {alias, envPath} = result
    if (result.dryRun) {
      if (result.diff) this.out(result.diff)
      else this.note(`${result.configPath} already has these settings.`)
      if (result.keySource === 'would-rotate') this.note(`Would give key '${alias}' a new secret and write it to ${envPath} as ${API_KEY_VAR}.`)
      else if (result.keySource === 'would-mint') this.note(`Would mint key '${alias}' (${formatUsd(result.budget)} ${result.period}) and write it to ${envPath} as ${API_KEY_VAR}.`)
      this.note('Dry run: nothing was minted or written.')
      return result
    }
    const rotated = result.keySource === 'rotated'
    this.out(renderConnect(result, now))
    if (result.minted || rotated) this.note(`The ${rotated ? 'new secret' : 'key'} was written to ${envPath} (${API_KEY_VAR}); it is not shown anywhere else.`)
    if (rotated) this.note('Restart the OpenClaw gateway so that it reads the new key; the old secret no longer works.')
    if (!result.changed) this.note('OpenClaw was already connected: nothing changed.')
    else if (result.configChanged) this.note('Restart the OpenClaw gateway to pick up the change.')
    return result
  }

  /** The key could not be written to OpenClaw's .env: print it once on stdout (--json: in the error), then fail. */
  private async keyNotSaved(error: unknown): Promise<never> {
    if (error instanceof KeyNotSavedError && !this.jsonEnabled()) {
      try {
        await this.writeStdout(error.key)
      } catch (stdoutError) {
        const alias = JSON.stringify(this.flags.alias ?? DEFAULT_ALIAS)
        throw secretNotWritten(stdoutError, `the key ${alias} has a new secret that could not be written to ${error.envPath}`, [
          `Delete it: ${this.config.bin} keys delete ${alias} --yes`,
          `Or give it a new secret: ${this.config.bin} keys rotate ${alias}`,
        ])
      }
    }
    throw error
  }
}
