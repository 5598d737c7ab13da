import {ExitCode} from './exit-codes.js'
import {redactSecrets} from './redact.js'

/** What went wrong, in the words a user can act on. */
export type ErrorKind =
  | 'usage'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'enterprise_only'
  | 'validation'
  | 'server'
  | 'network'
  | 'timeout'
  | 'not_litellm'
  | 'too_large'
  | 'redirect'
  | 'secret_undelivered'
  | 'schema'
  | 'interrupted'

const EXIT_BY_KIND: Record<ErrorKind, number> = {
  usage: ExitCode.USAGE,
  auth: ExitCode.AUTH,
  forbidden: ExitCode.AUTH,
  not_found: ExitCode.NOT_FOUND,
  conflict: ExitCode.CONFLICT,
  enterprise_only: ExitCode.PROXY,
  validation: ExitCode.USAGE,
  server: ExitCode.PROXY,
  network: ExitCode.PROXY,
  timeout: ExitCode.PROXY,
  not_litellm: ExitCode.PROXY,
  too_large: ExitCode.PROXY,
  redirect: ExitCode.PROXY,
  secret_undelivered: ExitCode.PROXY,
  schema: ExitCode.PROXY,
  interrupted: ExitCode.INTERRUPTED,
}

export interface KeywardErrorOptions {
  /** "Try this:" suggestions shown under the message. */
  suggestions?: string[]
  /** HTTP status when the error came from the proxy. */
  status?: number
  /** LiteLLM's `error.type`, when it sent one. */
  type?: string
  /** LiteLLM's `error.param`, when it sent one. */
  param?: string
  /** The endpoint the error came from, e.g. `GET /key/info`. */
  endpoint?: string
  cause?: unknown
}

/** The one error type keyward raises on purpose; the base command maps `kind` to an exit code. */
export class KeywardError extends Error {
  readonly kind: ErrorKind
  readonly suggestions: string[]
  readonly status?: number
  readonly type?: string
  readonly param?: string
  readonly endpoint?: string

  constructor(kind: ErrorKind, message: string, opts: KeywardErrorOptions = {}) {
    super(redactSecrets(message), opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = 'KeywardError'
    this.kind = kind
    this.suggestions = (opts.suggestions ?? []).map((s) => redactSecrets(s))
    this.status = opts.status
    this.type = opts.type
    this.param = opts.param
    this.endpoint = opts.endpoint
  }

  get exitCode(): number {
    return EXIT_BY_KIND[this.kind]
  }

  /** Stable JSON form for `--json` error output. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      exitCode: this.exitCode,
      ...(this.status === undefined ? {} : {status: this.status}),
      ...(this.type === undefined ? {} : {type: this.type}),
      ...(this.endpoint === undefined ? {} : {endpoint: this.endpoint}),
      suggestions: this.suggestions,
    }
  }
}

/** Bad input caught before any request was sent (exit 2). */
export function usageError(message: string, ...suggestions: string[]): KeywardError {
  return new KeywardError('usage', message, {suggestions})
}

export function isKeywardError(e: unknown): e is KeywardError {
  return e instanceof KeywardError
}

/**
 * A value that does not parse (a flag, an environment variable), raised by the pure parsers with an
 * example of what is right. The base command turns it into a usage error (exit 2).
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly example?: string,
  ) {
    super(message)
    this.name = 'InputError'
  }
}

/**
 * The `code` of an error or of the first cause that has one (Node and undici put ECONNRESET,
 * UND_ERR_* there). With `abortIsTimeout`, a TimeoutError or AbortError on the way reads as 'timeout'.
 */
export function errorCode(error: unknown, opts: {abortIsTimeout?: boolean} = {}): string | undefined {
  if (!error || typeof error !== 'object') return undefined
  const e = error as {code?: unknown; cause?: unknown; name?: unknown}
  if (typeof e.code === 'string') return e.code
  if (opts.abortIsTimeout && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timeout'
  return e.cause ? errorCode(e.cause, opts) : undefined
}

/** Waiting between retries (the client and webhook delivery take another one in tests). */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms))
