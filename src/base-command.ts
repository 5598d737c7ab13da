import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'
import type {Dispatcher} from 'undici'

import {LiteLLMClient} from './api/client.js'
import {KeywardError, isKeywardError, usageError} from './api/errors.js'
import {keyIdentity} from './api/health.js'
import {redactSecrets} from './api/redact.js'
import {configPath, readConfigFile, type ConfigFile} from './config/config-file.js'
import {checkBaseUrl, resolveSettings, type Settings} from './config/settings.js'
import {InputError} from './domain/period.js'
import {Agent} from './io/undici.js'
import {ExitCode} from './exit-codes.js'
import {colors} from './output/color.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** Seconds, e.g. `--timeout 30` or `--timeout 2.5`. */
const timeoutFlag = Flags.custom<number>({
  parse: async (input) => {
    const n = Number(input)
    if (!/^\d+(\.\d+)?$/.test(input.trim()) || n <= 0 || n > 3600) throw new InputError(`invalid timeout '${input}': use a number of seconds above 0, at most 3600`, '--timeout 30')
    return n
  },
})

/**
 * The one base class: global flags, settings (flags → env → config → defaults), a lazily built
 * client, and the error → exit-code mapping. Commands return data; `--json` prints exactly that.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static baseFlags = {
    'base-url': Flags.string({
      description: 'LiteLLM proxy URL [env: LITELLM_PROXY_URL] (default http://localhost:4000)',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({description: 'print requests, retries and stack traces to stderr (never secrets)', helpGroup: 'GLOBAL'}),
    profile: Flags.string({description: 'profile from `keyward login` to use [env: KEYWARD_PROFILE]', helpGroup: 'GLOBAL'}),
    timeout: timeoutFlag({description: 'seconds before a request to the proxy is abandoned [default: 30]', helpGroup: 'GLOBAL'}),
  }
  static enableJsonFlag = true
  /** `login` creates profiles and `logout` reports missing ones itself; every other command refuses a profile that does not exist. */
  static acceptsUnknownProfile = false

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  protected settings!: Settings
  protected configFile!: ConfigFile
  private clients = new Map<string, LiteLLMClient>()
  private agent?: Agent
  private readonly interruption = new AbortController()
  /** Ctrl-C aborts the requests in flight (exit 130); a second Ctrl-C ends the process at once. */
  private readonly onSigint = (): void => {
    if (this.interruption.signal.aborted) process.exit(ExitCode.INTERRUPTED)
    this.interruption.abort()
  }

  /** Aborted by Ctrl-C: pass it to long waits; every client request already listens to it. */
  protected get interrupted(): AbortSignal {
    return this.interruption.signal
  }

  /**
   * The connection pool of this run. Closed when the command ends, so an idle keep-alive socket does not
   * hold the process open after its work is done.
   */
  protected get dispatcher(): Dispatcher {
    this.agent ??= new Agent()
    return this.agent
  }

  public override async finally(err: Error | undefined): Promise<unknown> {
    process.off('SIGINT', this.onSigint)
    const agent = this.agent
    this.agent = undefined
    this.clients.clear()
    await agent?.close().catch(() => undefined)
    return super.finally(err)
  }

  /** Where `keyward login` keeps profiles (mode 0600). */
  protected get configFilePath(): string {
    return configPath(this.config.configDir)
  }

  public override async init(): Promise<void> {
    await super.init()
    process.on('SIGINT', this.onSigint)
    const {args, flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.configFile = await readConfigFile(this.configFilePath)
    const f = this.flags as {profile?: string; 'base-url'?: string; timeout?: number}
    this.settings = resolveSettings({flags: {profile: f.profile, baseUrl: f['base-url'], timeoutS: f.timeout}, env: process.env, file: this.configFile})
    const named = [f.profile, process.env.KEYWARD_PROFILE].map((p) => p?.trim()).find(Boolean)
    if (named && !(named in this.configFile.profiles) && !(this.ctor as unknown as typeof BaseCommand).acceptsUnknownProfile) {
      // A typo must not silently fall back to another proxy (or the environment's key).
      throw usageError(`no profile named '${named}' in ${this.configFilePath}`, 'List them: keyward profiles', `Create it: keyward login --profile ${named}`)
    }
    const checked = checkBaseUrl(this.settings.baseUrl)
    if (!checked.ok) {
      const from = this.settings.baseUrlSource === 'env' ? ' (from LITELLM_PROXY_URL)' : this.settings.baseUrlSource === 'config' ? ` (from profile ${this.settings.profile})` : ''
      throw usageError(checked.message + from, 'keyward status --base-url http://localhost:4000')
    }
    this.settings.baseUrl = checked.url
  }

  /** The clock: real time, or KEYWARD_NOW (ISO 8601) to replay a run at a fixed time. */
  protected now(): Date {
    const fixed = process.env.KEYWARD_NOW
    if (fixed) {
      const d = new Date(fixed)
      if (!Number.isNaN(d.getTime())) return d
    }
    return new Date()
  }

  /** A client with the admin (master) key; fails with exit 3 when none is configured. */
  protected adminClient(): LiteLLMClient {
    if (!this.settings.adminKey) {
      throw new KeywardError('auth', 'no admin key configured', {
        suggestions: ['export LITELLM_MASTER_KEY=sk-... (the proxy master key)', 'or store it once: keyward login'],
      })
    }
    return this.clientFor(this.settings.adminKey)
  }

  /**
   * The admin client, checked to hold the proxy master key. For commands that look at every key: the
   * proxy answers /key/list for a virtual key too, scoped to that key's own keys, so a wrong key would
   * silently report "all is well" about a fraction of the keys. One extra GET /key/info.
   */
  protected async masterClient(): Promise<LiteLLMClient> {
    return (await this.masterClientWith(async () => undefined)).client
  }

  /**
   * masterClient(), with the command's first request (a read) sent alongside the check: one round trip
   * instead of two. Its answer, or its error, is used only once the key is known not to be a virtual key,
   * so a virtual key is refused exactly as before and nothing of that answer is shown.
   */
  protected async masterClientWith<R>(first: (client: LiteLLMClient) => Promise<R>): Promise<{client: LiteLLMClient; first: R}> {
    const client = this.adminClient()
    const pending = first(client)
    pending.catch(() => undefined) // thrown below, after the check
    const identity = await keyIdentity(client)
    if (identity?.kind === 'virtual') {
      throw new KeywardError('auth', `the admin key (from ${this.settings.adminKeyName ?? 'the config'}) is a virtual key${identity.alias ? ` (alias '${identity.alias}')` : ''}, not the proxy master key: it would see only its own keys`, {
        suggestions: ['Set LITELLM_MASTER_KEY to the proxy master key (general_settings.master_key), or run: keyward login'],
      })
    }
    return {client, first: await pending}
  }

  /** A client with the admin key if there is one, else the self-service key (LITELLM_API_KEY). */
  protected anyKeyClient(): {client: LiteLLMClient; role: 'admin' | 'self'} {
    if (this.settings.adminKey) return {client: this.clientFor(this.settings.adminKey), role: 'admin'}
    if (this.settings.apiKey) return {client: this.clientFor(this.settings.apiKey), role: 'self'}
    throw new KeywardError('auth', 'no key configured', {
      suggestions: ['export LITELLM_MASTER_KEY=sk-... (admin) or LITELLM_API_KEY=sk-... (a virtual key, for its own info)', 'or run: keyward login'],
    })
  }

  /**
   * A client for an explicit key (e.g. a key read from OpenClaw's .env), or none for public routes.
   * `baseUrl` overrides the configured proxy URL (e.g. the one OpenClaw's config points at).
   */
  protected clientFor(key: string | undefined, baseUrl?: string): LiteLLMClient {
    const id = baseUrl === undefined ? (key ?? '') : `${baseUrl}\n${key ?? ''}`
    let c = this.clients.get(id)
    if (!c) {
      const debug = (this.flags as {debug?: boolean}).debug
      c = new LiteLLMClient({
        baseUrl: baseUrl ?? this.settings.baseUrl,
        apiKey: key,
        keyHeader: this.settings.keyHeader,
        timeoutMs: this.settings.timeoutMs,
        dispatcher: this.dispatcher,
        signal: this.interruption.signal,
        userAgent: `keyward/${this.config.version}`,
        // stderr also in --json mode: stdout stays pure JSON, and debugging a script is when --json is used.
        onDebug: debug ? (line) => void process.stderr.write(`${colors('stderr').dim(`debug: ${line}`)}\n`) : undefined,
      })
      this.clients.set(id, c)
    }
    return c
  }

  /** Data to stdout (suppressed in --json mode, where the returned result is printed instead). */
  protected out(text: string): void {
    if (!this.jsonEnabled()) this.log(text)
  }

  /** Progress, hints and warnings: stderr only, and not in --json mode. */
  protected note(text: string): void {
    if (!this.jsonEnabled()) this.logToStderr(text)
  }

  /** A warning on stderr, shown even in --json mode (stdout stays pure JSON). */
  protected warnLine(text: string): void {
    process.stderr.write(`${colors('stderr').yellow('warning:')} ${redactSecrets(text)}\n`)
  }

  /** Set the exit code without ending the command (e.g. budget thresholds). Keeps the worst code. */
  protected setExitCode(code: number): void {
    const current = typeof process.exitCode === 'number' ? process.exitCode : 0
    if (code > current) process.exitCode = code
  }

  /** Errors become one line (plus "Try this:"), a documented exit code, and no stack trace. */
  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    const error = toKeywardError(err)
    process.exitCode = error ? error.exitCode : (err.oclif?.exit ?? ExitCode.BUG)
    if (err.oclif?.exit === 0) return
    const debug = (this.flags as {debug?: boolean} | undefined)?.debug || process.argv.includes('--debug')
    if (this.jsonEnabled()) {
      const payload = error ? error.toJSON() : {kind: 'bug', message: redactSecrets(firstLine(err.message)), exitCode: process.exitCode, suggestions: []}
      this.logJson({error: payload})
      return
    }
    const c = colors('stderr')
    if (error) {
      process.stderr.write(`${c.red('Error:')} ${error.message}\n`)
      if (error.suggestions.length > 0) process.stderr.write(`${c.dim('Try this:')}\n${error.suggestions.map((s) => `  ${s}`).join('\n')}\n`)
    } else {
      process.stderr.write(`${c.red('Error:')} unexpected: ${redactSecrets(firstLine(err.message))}\n`)
      if (!debug) process.stderr.write(`${c.dim('Run again with --debug for details, and please report it.')}\n`)
    }
    if (debug && err.stack) process.stderr.write(`${c.dim(redactSecrets(err.stack))}\n`)
  }
}

function firstLine(s: string): string {
  return (String(s ?? '').split('\n').find((l) => l.trim() !== '') ?? '').trim()
}

/** Our own errors, input errors, and oclif's usage errors map to documented codes; the rest is a bug. */
export function toKeywardError(err: Error & {oclif?: {exit?: number}}): KeywardError | undefined {
  if (isKeywardError(err)) return err
  const cause = (err as {cause?: unknown}).cause
  const input: InputError | undefined = err instanceof InputError ? err : cause instanceof InputError ? cause : undefined
  // oclif rewrites a flag parser's error message in place ("Parsing --x \n\t<message>\nSee more help..."): keep ours.
  if (input) return usageError(input.message.replace(/^Parsing --\S+\s*\n\t/, '').replace(/\nSee more help with --help$/, ''), ...(input.example ? [`for example: ${input.example}`] : []))
  if (isKeywardError(cause)) return cause
  if (err.oclif?.exit === ExitCode.USAGE || /^(Nonexistent flag|Unexpected argument|Missing required flag|Missing \d+ required arg|Expected .* but received|Parsing --|The following errors? occurred)/.test(err.message)) {
    const msg = firstLine(err.message.replace(/^Error: /, '').replace(/^The following errors? occurred:\s*\n/, ''))
    return usageError(msg, 'See --help for usage and examples')
  }
  return undefined
}
