import {plainDecimal} from './format.js'
import {neutralizeFormula} from './sanitize.js'

export type CsvValue = string | number | boolean | null | undefined

/**
 * One RFC 4180 CSV cell: numbers as plain decimals, text formula-safe and quoted when it holds a
 * comma, quote, CR or LF.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return plainDecimal(value, 12)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const safe = neutralizeFormula(value)
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map((v) => csvCell(v)).join(',')}\r\n`
}
