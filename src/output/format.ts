/** Money, numbers, percentages and dates: formatted in one place. */
import {formatDistanceStrict} from 'date-fns/formatDistanceStrict'

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

const zoneFormats = new Map<string, Intl.DateTimeFormat>()

const pad2 = (n: number) => String(n).padStart(2, '0')

function zoneParts(d: Date, timeZone: string): Record<string, string> {
  // UTC needs no time-zone data: the same parts as the formatter below, without creating one.
  const year = d.getUTCFullYear()
  if (timeZone === 'UTC' && year >= 1000 && year <= 9999) {
    const [month, day, hour, minute, second] = [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map(pad2)
    return {year: String(year), month: month!, day: day!, hour: hour!, minute: minute!, second: second!}
  }
  let fmt = zoneFormats.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'})
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

/** `2026-12-01 08:56:37` in `timeZone`, without the zone's name (for table cells under a zone header). */
export function formatDateTimeSeconds(d: Date, timeZone = 'UTC'): string {
  const p = zoneParts(d, timeZone)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
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

/** A money cell made shorter for a narrow table: `$12,345.68` → `$12.3k`, `$123.45` → `$123`. */
export function shortUsd(text: string): string {
  const m = /^(-?)\$([\d,]+(?:\.\d+)?)$/.exec(text)
  if (!m) return text
  const n = Number(m[2].replace(/,/g, ''))
  return n >= 100 ? `${m[1]}$${shortNumber(n)}` : text
}

/** A count made shorter for a narrow table: `1,234,567` → `1.2M`, `12,345` → `12.3k`. */
export function shortCount(text: string): string {
  const m = /^(-?)([\d,]+)$/.exec(text)
  return m ? `${m[1]}${shortNumber(Number(m[2].replace(/,/g, '')))}` : text
}

function shortNumber(n: number): string {
  const unit = (v: number, suffix: string) => `${v >= 100 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, '')}${suffix}`
  if (n >= 999_950_000) return unit(n / 1e9, 'B')
  if (n >= 999_950) return unit(n / 1e6, 'M')
  if (n >= 10_000) return unit(n / 1e3, 'k')
  return String(Math.round(n))
}

/** `42.0%` → `42%` (a narrow table). */
export function shortPct(text: string): string {
  return text.replace(/^(-?\d+)\.\d%$/, (_all, whole: string) => `${whole}%`)
}

/** `2026-12-01 00:00 UTC` → `2026-12-01 00:00` (a narrow table; the header names the zone). */
export function shortDateTime(text: string): string {
  return text.replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d) \S+$/, '$1')
}
