import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import type {OpenClawStatusResult} from '../../contracts/openclaw.js'
import {parseOpenClawProfile} from '../../domain/openclaw-paths.js'
import {renderOpenClawStatus} from '../../output/openclaw.js'
import {openClawStatus} from '../../workflows/openclaw-status.js'

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
    const clientFor = (key: string, baseUrl?: string) => this.clientFor(key, baseUrl)
    const ctx = {clientFor, baseUrl: this.settings.baseUrl, env: process.env, now, bin: this.config.bin}
    const {result, exitCode} = await openClawStatus(ctx, {config: this.flags.config, openclawProfile: this.flags['openclaw-profile']})
    this.setExitCode(exitCode)
    this.out(renderOpenClawStatus(result, now))
    return result
  }
}
