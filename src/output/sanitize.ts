/**
 * Untrusted strings (user ids, tags, aliases from spend logs) are data. In a terminal, control
 * characters and escape sequences are shown as visible escapes instead of being executed; bidi
 * overrides are neutralised too.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e'}

export function sanitizeForTerminal(value: string): string {
  return value.replace(UNSAFE, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * CSV cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) get a leading `'`
 * (OWASP's CSV-injection advice).
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
