/**
 * Where `budget check` keeps its alert state: a file (the default), or a Redis server named by a
 * `redis://[user:pass@]host:port/db` or `rediss://` (TLS) URL. Pure: parsing and redaction only, so
 * the command can refuse a bad URL before any request without loading a Redis client.
 */
import {InputError} from '../core/errors.js'

export interface RedisStateUrl {
  kind: 'redis'
  /** The URL as given (with its password): only ever handed to the Redis client. */
  url: string
  /** The URL with the password replaced by `***`: the only form that is printed. */
  display: string
  tls: boolean
  host: string
  port: number
  db: number
}

export type StateLocation = {kind: 'file'; file: string} | RedisStateUrl

export function isRedisUrl(value: string): boolean {
  return /^rediss?:\/\//i.test(value.trim())
}

/** `redis://user:***@host:6379/0`: the password never leaves in a message. */
export function redactRedisUrl(raw: string): string {
  const scheme = /^rediss?:\/\//i.exec(raw)?.[0]
  // The last '@': a password with an unescaped '@' is hidden whole too.
  const at = raw.lastIndexOf('@')
  if (!scheme || at < scheme.length) return raw
  const auth = raw.slice(scheme.length, at)
  const colon = auth.indexOf(':')
  const user = colon < 0 ? '' : auth.slice(0, colon)
  return `${scheme}${user}:***${raw.slice(at)}`
}

/** Parse and check a Redis state URL; a bad one is an input error (exit 2) that never shows the password. */
export function parseRedisStateUrl(raw: string, source = '--state'): RedisStateUrl {
  const display = redactRedisUrl(raw.trim())
  const example = 'redis://:PASSWORD@redis.example:6379/0 (put it in KEYWARD_STATE_URL to keep the password out of ps)'
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    throw new InputError(`invalid Redis URL in ${source}: ${display}`, example)
  }
  const scheme = u.protocol.toLowerCase()
  if (scheme !== 'redis:' && scheme !== 'rediss:') throw new InputError(`invalid Redis URL in ${source}: ${display} (use redis:// or rediss://)`, example)
  if (!u.hostname) throw new InputError(`invalid Redis URL in ${source}: ${display} (no host)`, example)
  const port = u.port === '' ? 6379 : Number(u.port)
  const dbText = u.pathname.replace(/^\//, '')
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) throw new InputError(`invalid Redis URL in ${source}: ${display} (the database is a number: /0)`, example)
  if (u.search || u.hash) throw new InputError(`invalid Redis URL in ${source}: ${display} (no query or fragment)`, example)
  return {kind: 'redis', url: raw.trim(), display, tls: scheme === 'rediss:', host: u.hostname, port, db: dbText === '' ? 0 : Number(dbText)}
}

/** Has the URL a password (so it should not be on a command line)? */
export function hasPassword(u: RedisStateUrl): boolean {
  try {
    return new URL(u.url).password !== ''
  } catch {
    return false
  }
}

/**
 * How long the Redis record of a delivered budget alert is kept: past the window's end (one day of
 * grace for a proxy that resets late), and never less than two days from now (a `budget_reset_at` the
 * proxy has not moved on yet is in the past). A window that never ends (`lifetime`) keeps it 400 days.
 */
export function recordExpiresAt(windowId: string | null, nowMs: number): number {
  const DAY = 86_400_000
  const end = windowId === null ? Number.NaN : Date.parse(windowId)
  if (!Number.isFinite(end)) return nowMs + 400 * DAY
  return Math.max(end + DAY, nowMs + 2 * DAY)
}
