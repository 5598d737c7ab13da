import * as Flags from '@oclif/core/flags'

import {keyIdentity, liveliness, readOpenApi, readiness, readinessDetails} from '../api/health.js'
import {KeywardError} from '../core/errors.js'
import {listKeysPage, ownKeyInfo} from '../api/keys.js'
import {abbreviateKey} from '../core/redact.js'
import {BaseCommand} from '../cli/base-command.js'
import {ExitCode} from '../core/exit-codes.js'
import {renderStatus} from '../output/status.js'
import {advisoriesFor} from '../domain/advisories.js'
import {ADVISORIES} from '../domain/advisory-data.js'
import type {StatusResult} from '../contracts/status.js'

export default class Status extends BaseCommand<typeof Status> {
  static hiddenAliases = ['doctor']
  static description = `Checks, in order: the proxy answers (/health/liveliness), its version and database (/health/readiness), the configured key (an admin call for the master key, /key/info for a virtual key), and which spend endpoints it offers (/openapi.json). Then it compares the proxy's version (from /health/readiness, else /health/readiness/details with the key, else the version in /openapi.json) with the security advisories keyward ships (compromised releases such as LiteLLM 1.82.7, 1.82.8 and 1.107.0, and published vulnerable ranges such as the SQL injection fixed in 1.83.7) and warns when one applies; it says so when the version cannot be read. Exits 0 when all is well (also with an advisory warning, unless --strict), 3 when the key is rejected, 6 when the proxy cannot be reached or is not a LiteLLM proxy, 10 with --strict when an advisory applies.`
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --base-url http://litellm.internal:4000 --json',
    'LITELLM_MASTER_KEY=sk-... <%= config.bin %> <%= command.id %> --profile prod',
    '<%= config.bin %> <%= command.id %> --strict   # exit 10 when the proxy runs a compromised or vulnerable release (for cron or CI)',
  ]
  static flags = {
    strict: Flags.boolean({description: 'exit 10 when a security advisory applies to the proxy\'s version'}),
  }
  static summary = 'check the proxy, the key and the features keyward uses, on one screen'

  async run(): Promise<StatusResult> {
    const s = this.settings
    const useAdmin = Boolean(s.adminKey)
    const key = useAdmin ? s.adminKey : s.apiKey
    const result: StatusResult = {
      baseUrl: s.baseUrl,
      profile: s.profile,
      reachable: false,
      latencyMs: null,
      version: null,
      versionSource: null,
      db: null,
      key: {
        role: key ? (useAdmin ? 'admin' : 'self') : null,
        source: key ? (useAdmin ? (s.adminKeyName ?? s.adminKeySource) : s.apiKeySource === 'env' ? 'LITELLM_API_KEY' : `profile ${s.profile}`) : null,
        name: key ? abbreviateKey(key) : null,
        valid: null,
        error: null,
      },
      access: null,
      features: null,
      advisories: [],
      verdict: 'ok',
      problems: [],
    }
    const client = this.clientFor(key)
    let failure: KeywardError | undefined
    try {
      result.latencyMs = await liveliness(client)
      result.reachable = true
      const ready = await readiness(client)
      result.db = ready.db ?? null
      result.version = ready.litellm_version || null
      if (result.version) result.versionSource = 'readiness'
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error
      failure = error
      result.problems.push(error.message)
    }
    if (result.reachable && key) {
      try {
        if (useAdmin) await listKeysPage(client, 1, {size: 1})
        else await ownKeyInfo(client)
        result.key.valid = true
        result.access = useAdmin ? 'admin' : 'own-key'
        if (useAdmin) {
          // /key/list answers virtual keys too (scoped to their own keys): is this really the master key?
          const identity = await keyIdentity(client)
          if (identity?.kind === 'virtual') {
            result.access = 'own-key'
            result.problems.push(
              `the admin key ${result.key.name} (from ${result.key.source}) is a virtual key${identity.alias ? ` (alias '${identity.alias}')` : ''}, not the proxy master key: admin commands may be refused`,
            )
          }
        }
        if (!result.version) {
          const details = await readinessDetails(client)
          result.version = details?.litellm_version || null
          if (result.version) result.versionSource = 'readiness/details'
          result.db = result.db ?? details?.db ?? null
        }
      } catch (error) {
        if (!(error instanceof KeywardError)) throw error
        if (error.kind === 'auth' || error.kind === 'forbidden') {
          result.key.valid = false
          result.key.error = error.message
          result.problems.push(`the ${useAdmin ? 'admin' : 'virtual'} key ${result.key.name} was rejected: ${error.message}`)
        } else {
          result.problems.push(error.message)
        }
        failure = failure ?? error
      }
    } else if (result.reachable) {
      result.problems.push('no key configured: set LITELLM_MASTER_KEY (admin) or LITELLM_API_KEY, or run keyward login')
    }
    if (result.reachable) {
      try {
        const doc = await readOpenApi(client)
        const {source: _source, ...features} = doc.features
        result.features = features
        if (!result.version && doc.version) {
          result.version = doc.version
          result.versionSource = 'openapi'
        }
        if (!features.spendLogsV2 && !features.spendLogsUi) result.problems.push('no paged spend-log endpoint (/spend/logs/v2 or /spend/logs/ui): exports fall back to /spend/logs')
      } catch (error) {
        if (!(error instanceof KeywardError)) throw error
        result.problems.push(`could not read /openapi.json: ${error.message}`)
      }
    }
    if (result.version) {
      result.advisories = advisoriesFor(result.version, ADVISORIES)
      for (const a of result.advisories) {
        result.problems.push(`SECURITY: LiteLLM ${result.version} ${a.kind === 'compromised' ? 'is a compromised release' : 'is affected by'} (${a.id}, ${a.published}): ${a.title}. ${a.advice}${a.url ? ` (${a.url})` : a.note ? ` (source: ${a.note})` : ''}`)
      }
    } else if (result.reachable) {
      result.problems.push('proxy version unknown (not in /health/readiness, /health/readiness/details or /openapi.json): security advisories were not checked')
    }
    const hardFailure = !result.reachable || result.key.valid === false || !key || failure !== undefined
    result.verdict = hardFailure ? 'error' : result.problems.length > 0 ? 'warning' : 'ok'
    // Unreachable or not a LiteLLM proxy: 6, as the help says (Ctrl-C keeps its own code).
    if (!result.reachable) this.setExitCode(failure?.kind === 'interrupted' ? failure.exitCode : ExitCode.PROXY)
    else if (!key || result.key.valid === false) this.setExitCode(ExitCode.AUTH)
    else if (failure) this.setExitCode(failure.exitCode)
    else if (this.flags.strict && result.advisories.length > 0) this.setExitCode(ExitCode.THRESHOLD)
    this.out(renderStatus(result))
    return result
  }
}
