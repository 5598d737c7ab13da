/**
 * The one table of exit codes. Documented in the README; `budget check` relies on 10/11 so that
 * cron can tell an alert from a failure.
 */
export const ExitCode = {
  /** Everything went fine. */
  OK: 0,
  /** An unexpected bug in keyward. */
  BUG: 1,
  /** Bad usage or bad input: nothing was sent to the proxy. */
  USAGE: 2,
  /** The proxy rejected the key (missing, wrong, expired, blocked, not an admin key). */
  AUTH: 3,
  /** The key, alias or resource does not exist. */
  NOT_FOUND: 4,
  /** Conflict, e.g. the alias is already taken. */
  CONFLICT: 5,
  /** The proxy or the network failed (unreachable, timeout, 5xx, an answer over the size cap, not a LiteLLM proxy, Enterprise-only). */
  PROXY: 6,
  /** A budget threshold was crossed or is forecast to be (warning). */
  THRESHOLD: 10,
  /** A budget is exhausted. */
  EXHAUSTED: 11,
  /** Interrupted with Ctrl-C. */
  INTERRUPTED: 130,
  /** Ended by SIGTERM (handled like Ctrl-C: temporary files removed, progress said). */
  TERMINATED: 143,
  /** Ended by SIGHUP (the terminal went away), handled like Ctrl-C. */
  HANGUP: 129,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODE_TABLE: ReadonlyArray<{code: number; meaning: string}> = [
  {code: ExitCode.OK, meaning: 'success'},
  {code: ExitCode.BUG, meaning: 'unexpected error (a bug: please report it)'},
  {code: ExitCode.USAGE, meaning: 'bad usage or input; nothing was sent'},
  {code: ExitCode.AUTH, meaning: 'authentication failed (missing, wrong, expired or non-admin key)'},
  {code: ExitCode.NOT_FOUND, meaning: 'key, alias or resource not found'},
  {code: ExitCode.CONFLICT, meaning: 'conflict (e.g. the alias already exists)'},
  {code: ExitCode.PROXY, meaning: 'proxy or network failure, an answer too large, not a LiteLLM proxy, an Enterprise-only feature, or a new key whose secret could not be confirmed or written'},
  {code: ExitCode.THRESHOLD, meaning: 'budget threshold crossed or forecast to be exceeded'},
  {code: ExitCode.EXHAUSTED, meaning: 'budget exhausted'},
  {code: ExitCode.HANGUP, meaning: 'hung up (SIGHUP), handled like Ctrl-C'},
  {code: ExitCode.INTERRUPTED, meaning: 'interrupted (Ctrl-C)'},
  {code: ExitCode.TERMINATED, meaning: 'terminated (SIGTERM), handled like Ctrl-C'},
]
