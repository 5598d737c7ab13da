/**
 * Parsers for user input (flags and arguments). Pure; each throws InputError with a message that says
 * what is wrong and an example of what is right.
 */
import {checkDurationBound, DURATION_RE, refuseCapitalM} from './period.js'
import {InputError} from '../core/errors.js'

const MAX_USD = 1_000_000_000

/** `--budget 50`, `--budget 12.5`: plain non-negative decimal dollars. */
export function parseUsd(input: string, flag = '--budget'): number {
  const v = input.trim()
  if (!/^\d+(\.\d+)?$/.test(v)) {
    const hint = v.startsWith('-') ? 'it cannot be negative' : 'use a plain number of US dollars'
    throw new InputError(`invalid amount '${input}' for ${flag}: ${hint}`, `${flag} 50`)
  }
  const n = Number(v)
  if (!Number.isFinite(n) || n > MAX_USD) {
    throw new InputError(`invalid amount '${input}' for ${flag}: it must be at most ${MAX_USD.toLocaleString('en-US')}`, `${flag} 50`)
  }
  return n
}

/** The largest limit keyward sends: the proxy stores rpm/tpm/parallel limits in 32-bit integer columns. */
export const MAX_LIMIT = 2_147_483_647

/** A positive whole number (`--rpm 60`), at most MAX_LIMIT. */
export function parsePositiveInt(input: string, flag: string): number {
  const v = input.trim()
  if (!/^\d+$/.test(v) || Number(v) <= 0 || !Number.isSafeInteger(Number(v))) {
    throw new InputError(`invalid value '${input}' for ${flag}: use a positive whole number`, `${flag} 60`)
  }
  if (Number(v) > MAX_LIMIT) throw new InputError(`invalid value '${input}' for ${flag}: it must be at most ${MAX_LIMIT}`, `${flag} 60`)
  return Number(v)
}

// The line and paragraph separators count as control characters (LiteLLM refuses them in an alias too).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
/** Zero-width characters, direction marks, overrides and isolates, line separators, the BOM: they make look-alike names. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/

const codePoint = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * A name keyward sends (alias, team, user, metadata key): no control characters (newline, tab,
 * escape), no invisible or direction-changing ones. `what` starts the message, e.g. 'the alias'.
 */
export function checkName(input: string, what: string, example: string): void {
  if (CONTROL.test(input)) throw new InputError(`${what} contains control characters (newline, tab, escape, ...)`, example)
  const hidden = INVISIBLE.exec(input)
  if (hidden) throw new InputError(`${what} contains invisible or direction-changing characters (${codePoint(hidden[0])}), which make look-alike names`, example)
}

/** A `..` path segment: LiteLLM refuses such an alias (`_validate_key_alias_format`, 400). */
const DOT_DOT_SEGMENT = /(^|\/)\.\.(\/|$)/

/**
 * A key alias: not empty, no control or invisible characters (line separators included, which LiteLLM refuses too), no surrounding blanks, no `..` path
 * segment, at most 255 characters.
 */
export function parseAlias(input: string): string {
  if (input.trim() === '') throw new InputError('the alias is empty', '--alias openclaw')
  checkName(input, 'the alias', '--alias openclaw')
  if (input !== input.trim()) throw new InputError(`the alias '${input}' starts or ends with blanks`, '--alias openclaw')
  if (input.length > 255) throw new InputError('the alias is longer than 255 characters', '--alias openclaw')
  if (DOT_DOT_SEGMENT.test(input)) throw new InputError(`the alias '${input}' has a '..' path segment, which LiteLLM refuses`, '--alias openclaw')
  return input
}

/** Key lifetime for `--expires`: a LiteLLM duration such as 90d, 12h, 1mo. */
export function parseExpiry(input: string): string {
  refuseCapitalM(input, 'expiry', '--expires 1mo')
  const v = input.trim().toLowerCase()
  const m = DURATION_RE.exec(v)
  if (!m || Number(m[1]) <= 0) {
    throw new InputError(`invalid expiry '${input}': use a duration like 90d, 12w, 24h or 1mo (omit --expires for a key that never expires)`, '--expires 90d')
  }
  checkDurationBound(input, 'expiry', '--expires 90d')
  return v
}

/** `--metadata team=platform`: one key=value pair. */
export function parseMetadataPair(input: string): [string, string] {
  const i = input.indexOf('=')
  if (i <= 0) throw new InputError(`invalid metadata '${input}': use key=value`, '--metadata owner=platform-team')
  if (input.slice(0, i).trim() === '') throw new InputError(`invalid metadata '${input}': use key=value (the key cannot be blank)`, '--metadata owner=platform-team')
  const key = input.slice(0, i).trim()
  checkName(key, 'the metadata key', '--metadata owner=platform-team')
  return [key, input.slice(i + 1)]
}

/** `--team`/`--user`: an id, not empty, no control or invisible characters. */
export function parseId(input: string, flag: string): string {
  const v = input.trim()
  if (v === '') throw new InputError(`${flag} is empty`, `${flag} platform`)
  checkName(v, `the ${flag} value`, `${flag} platform`)
  return v
}

/** A key named on the command line (alias, sk- key or hash): one line, no control characters. */
export function parseKeyRef(input: string): string {
  if (input.trim() === '') throw new InputError('the key is empty: give an alias, an sk-... key or a hash', 'keyward keys info openclaw')
  checkName(input, 'the key name', 'keyward keys info openclaw')
  return input
}

/** Comma-separated list (`--models gpt-4o,claude`), blanks dropped. */
export function parseList(input: string): string[] {
  return input
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** `YYYY-MM` → {year, month(1-12)}. */
export function parseMonth(input: string): {year: number; month: number} {
  const m = /^(\d{4})-(\d{2})$/.exec(input.trim())
  const month = m ? Number(m[2]) : 0
  if (!m) throw new InputError(`invalid month '${input}': use YYYY-MM`, '--month 2026-10')
  if (month < 1 || month > 12) throw new InputError(`invalid month '${input}': the month must be 01 to 12`, '--month 2026-10')
  return {year: Number(m[1]), month}
}

/** `YYYY-MM-DD` → the UTC date at midnight. */
export function parseDay(input: string, flag = '--since'): Date {
  // 2026-11-01, or 20261101 as ccusage takes it.
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim()) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(input.trim())
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
    if (d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])) return d
  }
  throw new InputError(`invalid date '${input}' for ${flag}: use YYYY-MM-DD`, `${flag} 2026-10-01`)
}

/** `50,80,100` → sorted unique percentages. */
export function parseThresholds(input: string): number[] {
  const parts = parseList(input)
  if (parts.length === 0) throw new InputError('no thresholds given', '--threshold 50,80,100')
  const values = parts.map((p) => {
    const v = p.replace(/%$/, '')
    if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0 || Number(v) > 1000) {
      throw new InputError(`invalid threshold '${p}': use percentages between 1 and 1000`, '--threshold 50,80,100')
    }
    return Number(v)
  })
  return [...new Set(values)].sort((a, b) => a - b)
}

/** `--models a,b`: at least one name (an empty list would allow every model). */
export function parseModelList(input: string, flag = '--models'): string[] {
  const models = parseList(input)
  if (models.length === 0) throw new InputError(`no model names in ${flag} '${input}': list one or more, separated by commas`, `${flag} gpt-4o,claude-opus-4-6`)
  return models
}
