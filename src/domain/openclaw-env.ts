import {InputError} from '../core/errors.js'
/**
 * Reading and changing one variable in a dotenv file's text, keeping every other line as it is.
 * Pure: the caller reads and writes the file.
 */

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Matches `NAME=...` or `export NAME=...` (blanks allowed around `=`). */
function assignmentRe(name: string): RegExp {
  return new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`)
}

function unquote(raw: string): string {
  const v = raw.trim()
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) return v.slice(1, -1)
  // An unquoted value ends at an inline comment (` #`).
  const hash = v.search(/\s#/)
  return (hash >= 0 ? v.slice(0, hash) : v).trim()
}

/** The value of `name` (the last assignment wins, as in most dotenv loaders), or undefined. */
export function readEnvValue(text: string, name: string): string | undefined {
  if (!NAME_RE.test(name)) return undefined
  const re = assignmentRe(name)
  let value: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (!re.test(line)) continue
    value = unquote(line.slice(line.indexOf('=') + 1))
  }
  return value === '' ? undefined : value
}

/**
 * Set `name=value`: the first assignment is replaced in place, later ones are removed (so the file
 * holds one value), and when there is none the line is appended. The value must be a plain token
 * (a key such as `sk-...`): no blanks, quotes or newlines, so it cannot break the file.
 */
export function setEnvValue(text: string, name: string, value: string): string {
  if (!NAME_RE.test(name)) throw new InputError(`invalid variable name '${name}'`, 'LITELLM_API_KEY')
  if (!/^[A-Za-z0-9_\-.~+/=]+$/.test(value)) throw new InputError(`refusing to write a value with blanks, quotes or newlines to ${name}`)
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = text === '' ? [] : text.split(/\r?\n/)
  // A final newline produces an empty last element: keep it as the terminator.
  const endsWithNewline = lines.length > 0 && lines.at(-1) === ''
  if (endsWithNewline) lines.pop()
  const re = assignmentRe(name)
  const out: string[] = []
  let done = false
  for (const line of lines) {
    if (!re.test(line)) {
      out.push(line)
      continue
    }
    if (done) continue
    const exported = /^\s*export\s+/.test(line)
    out.push(`${exported ? 'export ' : ''}${name}=${value}`)
    done = true
  }
  if (!done) out.push(`${name}=${value}`)
  return out.join(eol) + eol
}
