/**
 * Untrusted strings (user ids, tags, aliases from spend logs, proxy error messages) are data. In a
 * terminal, control characters and escape sequences are shown as visible escapes instead of being
 * executed; bidi overrides and isolates, direction marks, zero-width characters, the BOM and the
 * Unicode line/paragraph separators are shown escaped too, so `open\u200bclaw` cannot pass for
 * `openclaw` and nothing reorders or breaks a line.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g

/** The invisible and direction-changing characters of UNSAFE that are not control characters. */
 
export const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e'}

export function sanitizeForTerminal(value: string): string {
  return value.replace(UNSAFE, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Like sanitizeForTerminal, but line breaks stay (for multi-line notes written by keyward). */
export function sanitizeLines(value: string): string {
  return value
    .split('\n')
    .map((line) => sanitizeForTerminal(line))
    .join('\n')
}

/**
 * CSV cells a spreadsheet would run as a formula get a leading `'` (OWASP's CSV-injection advice): a
 * first character `=`, `+`, `-`, `@`, tab, CR or LF, their full-width and small forms (`＝` U+FF1D,
 * `﹦` U+FE66, `＋`, `﹢`, `－`, `﹣`, `＠`, `﹫`), also after leading blanks (spreadsheets trim them).
 */
export function neutralizeFormula(value: string): string {
  return /^[\s\u00a0\u3000]*[=+\-@\uff1d\ufe66\uff0b\ufe62\uff0d\ufe63\uff20\ufe6b]|^[\t\r\n]/.test(value) ? `'${value}` : value
}
