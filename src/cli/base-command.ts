import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'
import type {Dispatcher} from 'undici'

import {LiteLLMClient} from '../api/client.js'
import {KeywardError, isKeywardError, usageError, InputError} from '../core/errors.js'
import {keyIdentity} from '../api/health.js'
import {Agent, closePool} from '../api/undici.js'
import {redactSecrets} from '../core/redact.js'
import {checkConfigPermissions, configPath, readConfigFile, type ConfigFile} from '../io/config-file.js'
import {checkBaseUrl, isInsecureUrl, keySourceMismatch, resolveSettings, type Settings} from '../io/settings.js'
import {ExitCode} from '../core/exit-codes.js'
import {colors} from '../output/color.js'
import {sanitizeForTerminal, sanitizeLines} from '../output/sanitize.js'
import {hasOwnKey} from '../core/own.js'
import {closest} from '../domain/suggest.js'
import {JSON_SHAPES, parseFields, selectFields, takeJsonArgs, type JsonShape} from './json-fields.js'
import type {JqFilter} from './jq.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** Seconds, e.g. `30` or `2.5`: the one check for `--timeout` and KEYWARD_TIMEOUT. */
export function parseTimeoutSeconds(input: string, name = 'timeout', example = '--timeout 30'): number {
  const n = Number(input)
  if (!/^\d+(\.\d+)?$/.test(input.trim()) || n <= 0 || n > 3600) throw new InputError(`invalid ${name} '${input}': use a number of seconds above 0, at most 3600`, example)
  return n
}

/** Seconds, e.g. `--timeout 30` or `--timeout 2.5`. */
const timeoutFlag = Flags.custom<number>({
  parse: async (input) => parseTimeoutSeconds(input),
})

/**
 * The one base class: global flags, settings (flags → env → config → defaults), a lazily built
 * client, and the error → exit-code mapping. Commands return data; `--json` prints exactly that.
 */
/** 128 + the signal number, as shells report a process ended by that signal. */
const SIGNAL_EXIT = {SIGINT: ExitCode.INTERRUPTED, SIGTERM: ExitCode.TERMINATED, SIGHUP: ExitCode.HANGUP} as const

/** A profile's name: a plain word (never `__proto__` or the like, never a path). */
const PROFILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static baseFlags = {
    'base-url': Flags.string({
      description: 'LiteLLM proxy URL [env: LITELLM_PROXY_URL] (default http://localhost:4000)',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({description: 'print requests, retries and stack traces to stderr (never secrets)', helpGroup: 'GLOBAL'}),
    profile: Flags.string({description: 'profile from `keyward login` to use [env: KEYWARD_PROFILE]', helpGroup: 'GLOBAL'}),
    timeout: timeoutFlag({description: 'seconds before a request to the proxy is abandoned [default: 30]', helpGroup: 'GLOBAL'}),
    json: Flags.boolean({
      description: 'print the result as JSON on stdout; --json a,b (or --json=a,b) keeps only those fields (see JSON FIELDS)',
      helpGroup: 'GLOBAL',
    }),
    jq: Flags.string({
      description: 'filter the JSON result with a jq expression (jq 1.8, built in; implies --json): strings print raw, one value a line',
      helpGroup: 'GLOBAL',
    }),
  }
  static enableJsonFlag = true
  /** `login` creates profiles and `logout` reports missing ones itself; every other command refuses a profile that does not exist. */
  static acceptsUnknownProfile = false

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  protected settings!: Settings
  protected configFile!: ConfigFile
  /** `--json a,b`: the fields asked for (undefined: the whole result). */
  private jsonFields?: string[]
  /** `--jq`: given (errors then go to stderr as text, as with gh), and its compiled filter. */
  private jqGiven = false
  private jqFilter?: JqFilter
  /** The command's result before --json fields cut it (for the secret check). */
  private fullResult?: unknown
  private clients = new Map<string, LiteLLMClient>()
  /** The plain-http warning is given once per run. */
  private warnedInsecure = false
  private agent?: Agent
  private readonly interruption = new AbortController()
  /** Ctrl-C aborts the requests in flight (exit 130); a second Ctrl-C ends the process at once. */
  private readonly onSigint = (): void => this.onSignal('SIGINT')
  private readonly onSigterm = (): void => this.onSignal('SIGTERM')
  private readonly onSighup = (): void => this.onSignal('SIGHUP')
  /** The signal that interrupted this run (SIGTERM and SIGHUP are handled like Ctrl-C). */
  private signalled?: 'SIGINT' | 'SIGTERM' | 'SIGHUP'
  private onSignal(name: 'SIGINT' | 'SIGTERM' | 'SIGHUP'): void {
    if (this.interruption.signal.aborted) process.exit(SIGNAL_EXIT[name])
    this.signalled = name
    this.interruption.abort()
  }

  /** The exit code for the signal that interrupted this run: 130 (Ctrl-C), 143 (SIGTERM) or 129 (SIGHUP). */
  protected get interruptExitCode(): number {
    return SIGNAL_EXIT[this.signalled ?? 'SIGINT']
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
    process.off('SIGTERM', this.onSigterm)
    process.off('SIGHUP', this.onSighup)
    const agent = this.agent
    this.agent = undefined
    this.clients.clear()
    if (agent) await closePool(agent)
    return super.finally(err)
  }

  /** Where `keyward login` keeps profiles (mode 0600). */
  protected get configFilePath(): string {
    return configPath(this.config.configDir)
  }

  public override async init(): Promise<void> {
    await super.init()
    process.on('SIGINT', this.onSigint)
    process.on('SIGTERM', this.onSigterm)
    process.on('SIGHUP', this.onSighup)
    // `--json a,b` and `--jq` are read before oclif parses (its --json is a boolean).
    const shape = this.jsonShape()
    const request = takeJsonArgs(this.argv, shape, Object.keys(this.ctor.args ?? {}).length > 0)
    this.argv = request.argv
    this.jqGiven = request.jq
    if (request.fields !== undefined) this.jsonFields = this.checkFields(request.fields, shape)
    const {args, flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    for (const w of await checkConfigPermissions(this.configFilePath)) this.warnLine(w)
    this.configFile = await readConfigFile(this.configFilePath)
    const f = this.flags as {profile?: string; 'base-url'?: string; timeout?: number}
    checkEnvironment(process.env, f.timeout !== undefined)
    this.settings = resolveSettings({flags: {profile: f.profile, baseUrl: f['base-url'], timeoutS: f.timeout}, env: process.env, file: this.configFile})
    const named = [f.profile, process.env.KEYWARD_PROFILE].map((p) => p?.trim()).find(Boolean)
    if (named && !PROFILE_NAME_RE.test(named)) {
      const from = f.profile?.trim() ? '' : ' (from KEYWARD_PROFILE)'
      throw usageError(`invalid profile name '${named}'${from}: use letters, digits, '.', '_' or '-', starting with a letter or digit`, 'keyward login --profile prod')
    }
    if (named && !hasOwnKey(this.configFile.profiles, named) && !(this.ctor as unknown as typeof BaseCommand).acceptsUnknownProfile) {
      // A typo must not silently fall back to another proxy (or the environment's key).
      throw usageError(`no profile named '${named}' in ${this.configFilePath}`, 'List them: keyward profiles', `Create it: keyward login --profile ${named}`)
    }
    const checked = checkBaseUrl(this.settings.baseUrl)
    if (!checked.ok) {
      const from = this.settings.baseUrlSource === 'env' ? ' (from LITELLM_PROXY_URL)' : this.settings.baseUrlSource === 'config' ? ` (from profile ${this.settings.profile})` : ''
      throw usageError(checked.message + from, 'keyward status --base-url http://localhost:4000')
    }
    if (checked.droppedV1) {
      // Once, on stderr (also in --json mode: stdout stays pure); the URL holds no secret (credentials are refused above).
      process.stderr.write(`${colors('stderr').dim('note:')} using ${checked.url} for ${this.settings.baseUrl}: keyward talks to the proxy's admin API at its root, not to the OpenAI-style /v1 routes\n`)
    }
    this.settings.baseUrl = checked.url
    // After the settings: jq is compiled to WebAssembly, and what the flag set before it means for an https://
    // proxy's first connection is in ../api/wasm-flags.ts.
    const jq = (this.flags as {jq?: string}).jq
    if (jq !== undefined) {
      const {compileJq} = await import('./jq.js')
      this.jqFilter = await compileJq(jq, new URL(this.settings.baseUrl))
    }
  }

  /** What `--json FIELDS` can name for this command (by its oclif id; `doctor` is `status`). */
  private jsonShape(): JsonShape | undefined {
    const id = (this.ctor as {id?: string}).id ?? this.commandId() ?? ''
    return Object.hasOwn(JSON_SHAPES, id) ? JSON_SHAPES[id] : undefined
  }

  /** `--json a,b` checked before anything is sent: known fields only, and never one that drops a new key's secret. */
  private checkFields(text: string, shape: JsonShape | undefined): string[] {
    const command = `${this.config.bin} ${(this.commandId() ?? '').replaceAll(':', ' ')}`.trim()
    const fields = parseFields(text, shape, command)
    if (shape?.secret && !fields.includes(shape.secret)) {
      throw usageError(
        `--json ${fields.join(',')} would leave out '${shape.secret}', the new key's secret, which the proxy cannot show again`,
        `Include it: --json ${[shape.secret, ...fields].join(',')}`,
      )
    }
    return fields
  }

  /** `--json a,b`: the result cut to those fields (a list command prints its list's items). */
  public override toSuccessJson(result: unknown): unknown {
    this.fullResult = result
    return this.jsonFields ? selectFields(result, this.jsonShape(), this.jsonFields) : result
  }

  /** The JSON result, or with --jq what the expression makes of it; never output that drops a new key's secret. */
  public override logJson(json: unknown): void {
    if (!this.jqFilter) {
      this.writeJson(json)
      return
    }
    const toTerminal = Boolean(process.stdout.isTTY)
    const {text, error} = this.jqFilter.run(json, {pretty: toTerminal})
    const shape = this.jsonShape()
    const secret = shape?.secret && this.fullResult && typeof this.fullResult === 'object' ? (this.fullResult as Record<string, unknown>)[shape.secret] : undefined
    if (typeof secret === 'string' && secret !== '' && !text.includes(secret)) {
      this.warnLine(`the --jq output leaves out '${shape!.secret}', the new key's secret, which the proxy cannot show again: printing the whole result instead`)
      this.writeJson(this.fullResult)
    } else if (text !== '') {
      // Strings print raw (as jq -r and gh --jq do): on a terminal, without escape sequences.
      process.stdout.write(toTerminal ? sanitizeLines(text) : text)
    }
    if (error !== undefined) {
      process.stderr.write(`${colors('stderr').red('Error:')} --jq: ${sanitizeForTerminal(redactSecrets(error))}\n`)
      this.setExitCode(ExitCode.USAGE)
    }
  }

  /**
   * oclif's logJson, without its cost when there is nothing to colour. With no JSON colours in the theme (keyward
   * sets none; a user's theme.json may) it prints `JSON.stringify(json, null, 2)`, having stringified with a
   * replacer called for every value (to name cycles, which keyward's results never have), split the text into
   * tokens with regular expressions and joined them again: the same bytes, slower with each key listed. A string
   * (which oclif parses first) or a value JSON.stringify refuses still goes to oclif.
   */
  private writeJson(json: unknown): void {
    if (typeof json === 'string' || this.config.theme?.json) return super.logJson(json)
    let text: string | undefined
    try {
      text = JSON.stringify(json, null, 2)
    } catch {
      // a cycle (oclif names it) or a BigInt (oclif throws as JSON.stringify does): oclif's answer, whatever it is
    }
    if (text === undefined) super.logJson(json)
    else process.stdout.write(`${text}\n`)
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
    if (baseUrl === undefined && key !== undefined) this.refuseMixedSources(key)
    const id = baseUrl === undefined ? (key ?? '') : `${baseUrl}\n${key ?? ''}`
    let c = this.clients.get(id)
    if (!c) {
      const target = baseUrl ?? this.settings.baseUrl
      if (key && isInsecureUrl(target) && !this.warnedInsecure) {
        this.warnedInsecure = true
        this.warnLine(`${new URL(target).host} is reached over plain http://: the key crosses the network unencrypted. Use https:// for a proxy that is not on this machine.`)
      }
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
        onDebug: debug ? (line) => void process.stderr.write(`${colors('stderr').dim(`debug: ${sanitizeForTerminal(line)}`)}\n`) : undefined,
      })
      this.clients.set(id, c)
    }
    return c
  }

  /** A configured key goes only to a URL from the same source (exit 2 naming both otherwise). */
  private refuseMixedSources(key: string): void {
    const which = key === this.settings.adminKey ? 'admin' : key === this.settings.apiKey ? 'api' : undefined
    if (!which) return
    const mismatch = keySourceMismatch(this.settings, which)
    if (mismatch) {
      throw usageError(
        mismatch,
        `Use the profile's own URL and key: ${this.config.bin} <command> --profile ${this.settings.profile}`,
        'Or set both LITELLM_PROXY_URL and LITELLM_MASTER_KEY in the environment',
        'Or name the URL explicitly with --base-url',
      )
    }
  }

  /** Data to stdout (suppressed in --json mode, where the returned result is printed instead). */
  protected out(text: string): void {
    if (!this.jsonEnabled()) this.log(text)
  }

  /**
   * Data to stdout, confirmed written: resolves once the bytes are handed to the OS, rejects with the
   * write's error (ENOSPC on a full disk, EPIPE on a closed pipe) instead of crashing or exiting 0.
   * For output that must not be lost silently (a new key's secret).
   */
  protected async writeStdout(text: string): Promise<void> {
    const out = process.stdout
    // bin/run.js treats EPIPE as "the reader is done" and exits; here the caller must hear about it.
    const saved = out.listeners('error') as Array<(err: Error) => void>
    out.removeAllListeners('error')
    let failure: unknown
    const onError = (err: unknown): void => {
      failure ??= err
    }
    out.on('error', onError)
    try {
      await new Promise<void>((resolve) => {
        try {
          out.write(text.endsWith('\n') ? text : `${text}\n`, (err) => {
            if (err) failure ??= err
            resolve()
          })
        } catch (error) {
          failure ??= error
          resolve()
        }
      })
      // A stream reports some failures on the next tick, after the callback.
      await new Promise<void>((resolve) => setImmediate(resolve))
    } finally {
      // After a failure the stream is dead and may report it again: keep swallowing, the caller reports it.
      if (!failure) {
        out.off('error', onError)
        for (const l of saved) out.on('error', l)
      }
    }
    if (failure) throw failure
  }

  /** Progress, hints and warnings: stderr only, and not in --json mode. */
  protected note(text: string): void {
    if (!this.jsonEnabled()) this.logToStderr(sanitizeLines(text))
  }

  /** A warning on stderr, shown even in --json mode (stdout stays pure JSON). */
  protected warnLine(text: string): void {
    process.stderr.write(`${colors('stderr').yellow('warning:')} ${sanitizeForTerminal(redactSecrets(text))}\n`)
  }

  /** Set the exit code without ending the command (e.g. budget thresholds). Keeps the worst code. */
  protected setExitCode(code: number): void {
    const current = typeof process.exitCode === 'number' ? process.exitCode : 0
    if (code > current) process.exitCode = code
  }

  /** `keys:delete`: oclif's id (a class run directly, as in tests, gets its id from the manifest). */
  private commandId(): string | undefined {
    const id = this.id
    if (!id || id.includes(':')) return id
    return this.config.commands.find((c) => c.id === id || c.id.replaceAll(':', '') === id.toLowerCase())?.id ?? id
  }

  /** The names of this command's flags (its own, the global ones, --json), for "did you mean". */
  private knownFlagNames(): string[] {
    const ctor = this.ctor as unknown as {flags?: Record<string, unknown>; baseFlags?: Record<string, unknown>}
    return [...Object.keys(ctor.flags ?? {}), ...Object.keys(ctor.baseFlags ?? BaseCommand.baseFlags), 'json', 'help']
  }

  /** Errors become one line (plus "Try this:"), a documented exit code, and no stack trace. */
  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    let error = toKeywardError(err, {bin: this.config.bin, commandId: this.commandId(), flags: this.knownFlagNames()})
    if (error?.kind === 'interrupted' && this.signalled && this.signalled !== 'SIGINT') {
      error = new KeywardError('interrupted', error.message.replace(/^interrupted( \(Ctrl-C\))?/, `interrupted (${this.signalled})`), {endpoint: error.endpoint, suggestions: error.suggestions})
    }
    process.exitCode = error ? (error.kind === 'interrupted' && this.signalled ? SIGNAL_EXIT[this.signalled] : error.exitCode) : (err.oclif?.exit ?? ExitCode.BUG)
    if (err.oclif?.exit === 0) return
    const debug = (this.flags as {debug?: boolean} | undefined)?.debug || process.argv.includes('--debug')
    // With --jq the output is the filter's, not a JSON document: errors are one line on stderr, as with gh.
    if (this.jsonEnabled() && !this.jqGiven) {
      const payload = error ? error.toJSON() : {kind: 'bug', message: redactSecrets(firstLine(err.message)), exitCode: process.exitCode, suggestions: []}
      this.logJson({error: payload})
      return
    }
    const c = colors('stderr')
    if (error) {
      // Proxy messages, aliases and file contents end up in errors: one line, no escape sequences.
      process.stderr.write(`${c.red('Error:')} ${sanitizeForTerminal(error.message)}\n`)
      if (error.suggestions.length > 0) process.stderr.write(`${c.dim('Try this:')}\n${error.suggestions.map((s) => `  ${sanitizeForTerminal(s)}`).join('\n')}\n`)
    } else {
      process.stderr.write(`${c.red('Error:')} unexpected: ${sanitizeForTerminal(redactSecrets(firstLine(err.message)))}\n`)
      if (!debug) process.stderr.write(`${c.dim('Run again with --debug for details, and please report it.')}\n`)
    }
    if (debug && err.stack) process.stderr.write(`${c.dim(sanitizeLines(redactSecrets(err.stack)))}\n`)
  }
}

/**
 * Environment variables that take a value are checked before anything is sent: a typo is exit 2, not
 * a silent fallback (KEYWARD_TIMEOUT=abc used to mean 30 s, KEYWARD_NOW=garbage the real time).
 */
export function checkEnvironment(env: NodeJS.ProcessEnv, timeoutFlagGiven: boolean): void {
  const timeout = env.KEYWARD_TIMEOUT?.trim()
  if (timeout && !timeoutFlagGiven) {
    const n = Number(timeout)
    if (!/^\d+(\.\d+)?$/.test(timeout) || n <= 0 || n > 3600) throw usageError(`invalid KEYWARD_TIMEOUT '${timeout}': use a number of seconds above 0, at most 3600`, 'KEYWARD_TIMEOUT=30')
  }
  const now = env.KEYWARD_NOW?.trim()
  if (now) {
    const d = new Date(now)
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(now) || Number.isNaN(d.getTime())) {
      throw usageError(`invalid KEYWARD_NOW '${now}': use an ISO 8601 time such as 2026-11-18T10:20:00Z`, 'KEYWARD_NOW=2026-11-18T10:20:00Z')
    }
  }
}

export interface UsageContext {
  bin: string
  /** `keys:delete` (oclif's id) or undefined. */
  commandId?: string
  /** The command's flags, without dashes. */
  flags?: readonly string[]
}

function firstLine(s: string): string {
  return (String(s ?? '').split('\n').find((l) => l.trim() !== '') ?? '').trim()
}

/** Our own errors, input errors, and oclif's usage errors map to documented codes; the rest is a bug. */
export function toKeywardError(err: Error & {oclif?: {exit?: number}}, ctx?: UsageContext): KeywardError | undefined {
  if (isKeywardError(err)) return err
  const cause = (err as {cause?: unknown}).cause
  const input: InputError | undefined = err instanceof InputError ? err : cause instanceof InputError ? cause : undefined
  // oclif rewrites a flag parser's error message in place ("Parsing --x \n\t<message>\nSee more help..."): keep ours.
  if (input) return usageError(input.message.replace(/^Parsing --\S+\s*\n\t/, '').replace(/\nSee more help with --help$/, ''), ...(input.example ? [`for example: ${input.example}`] : []))
  if (isKeywardError(cause)) return cause
  if (err.oclif?.exit === ExitCode.USAGE || /^(Nonexistent flag|Unexpected argument|Missing required flag|Missing \d+ required arg|Expected .* but received|Parsing --|The following errors? occurred)/.test(err.message)) {
    const help = ctx?.commandId ? `See: ${ctx.bin} ${ctx.commandId.replaceAll(':', ' ')} --help` : 'See --help for usage and examples'
    const detail = err as {args?: Array<{name?: string; description?: string}>; flags?: string[]}
    if (/^Missing \d+ required args?/.test(err.message) && Array.isArray(detail.args) && detail.args.length > 0) {
      const named = detail.args.map((a) => `<${a.name}>${a.description ? `: ${a.description}` : ''}`)
      return usageError(`missing argument${named.length > 1 ? 's' : ''} ${named.join('; ')}`, help)
    }
    if (/^Nonexistent flags?/.test(err.message) && Array.isArray(detail.flags) && detail.flags.length > 0) {
      const typed = detail.flags[0]
      const guess = closest(typed.replace(/^-+/, '').replace(/=.*$/, ''), ctx?.flags ?? [])
      return usageError(`unknown flag ${typed}`, ...(guess ? [`Did you mean --${guess}?`] : []), help)
    }
    const msg = firstLine(err.message.replace(/^Error: /, '').replace(/^The following errors? occurred:\s*\n/, ''))
    return usageError(msg, help)
  }
  return undefined
}
