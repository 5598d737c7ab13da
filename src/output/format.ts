/** Money, numbers, percentages and dates: formatted in one place. */
import {formatDistanceStrict} from 'date-fns'

// Made on first use: each Intl formatter costs a short run ~10 ms to create, and --json needs none.
let usd2: Intl.NumberFormat | undefined
let usd4: Intl.NumberFormat | undefined
let int: Intl.NumberFormat | undefined

/** `$1,234.56`; sub-cent amounts keep four decimals (`$0.0031`); null/undefined → `-`. */
export function formatUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '-'
  if (n !== 0 && Math.abs(n) < 0.01) return (usd4 ??= new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', minimumFractionDigits: 4, maximumFractionDigits: 4})).format(n)
  return (usd2 ??= new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2})).format(n)
}

export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '-'
  return (int ??= new Intl.NumberFormat('en-US', {maximumFractionDigits: 0})).format(n)
}

/** `42.0%`; null → `-`. */
export function formatPct(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '-'
  return `${p.toFixed(1)}%`
}

/** A plain decimal for CSV/JSON consumers: no exponent, no thousands separator, trailing zeros trimmed. */
export function plainDecimal(n: number | null | undefined, maxDecimals = 10): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return ''
  const s = String(n)
  if (!/e/i.test(s)) return s
  return n.toFixed(maxDecimals).replace(/\.?0+$/, '') || '0'
}

/** Round money to the cent the way reports show it (avoids 0.1+0.2 artefacts in totals). */
export function roundUsd(n: number, decimals = 6): number {
  const f = 10 ** decimals
  return Math.round(n * f) / f
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>()

const pad2 = (n: number) => String(n).padStart(2, '0')

function zoneParts(d: Date, timeZone: string): Record<string, string> {
  // UTC needs no time-zone data: the same parts as the formatter below, without creating one.
  const year = d.getUTCFullYear()
  if (timeZone === 'UTC' && year >= 1000 && year <= 9999) {
    return {year: String(year), month: pad2(d.getUTCMonth() + 1), day: pad2(d.getUTCDate()), hour: pad2(d.getUTCHours()), minute: pad2(d.getUTCMinutes())}
  }
  let fmt = zoneFormats.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'})
    zoneFormats.set(timeZone, fmt)
  }
  return Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]))
}

/** `2026-12-01 00:00 UTC` (or in `timeZone`). */
export function formatDateTime(d: Date | undefined | null, timeZone = 'UTC'): string {
  if (!d) return '-'
  const p = zoneParts(d, timeZone)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${timeZone === 'UTC' ? 'UTC' : timeZone}`
}

/** `2026-12-01` (or in `timeZone`). */
export function formatDate(d: Date | undefined | null, timeZone = 'UTC'): string {
  if (!d) return '-'
  const p = zoneParts(d, timeZone)
  return `${p.year}-${p.month}-${p.day}`
}

/** `in 2 days` / `3 hours ago`. */
export function formatRelative(d: Date | undefined | null, now: Date): string {
  if (!d) return '-'
  return formatDistanceStrict(d, now, {addSuffix: true})
}

/** A bar like `██████░░░░` for a percentage (clamped to 0-100). */
export function bar(pct: number | null | undefined, width = 10): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return ' '.repeat(width)
  const filled = Math.round((Math.max(0, Math.min(100, pct)) / 100) * width)
  return '█'.repeat(filled) + '░'.repeat(width - filled)
}
