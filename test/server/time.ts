// Clock helpers and timestamp formats. All arithmetic is in UTC (litellm_settings.timezone = UTC).
import type {Flavor} from './types.js'

export const DAY_MS = 86_400_000

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/**
 * Timestamps as LiteLLM serialises them (§4): the newest servers emit Python isoformat with an offset
 * (`2026-12-01T00:00:00+00:00`, microseconds only when non-zero); older ones a Prisma-style
 * `2024-06-14T22:48:36.594000Z`. Clients must accept both.
 */
export function formatTs(d: Date, flavor: Flavor): string {
  const base = d.toISOString().slice(0, 19)
  const micros = pad(d.getUTCMilliseconds() * 1000, 6)
  if (flavor === 'old') return `${base}.${micros}Z`
  return d.getUTCMilliseconds() === 0 ? `${base}+00:00` : `${base}.${micros}+00:00`
}

export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS
export const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** Strict `YYYY-MM-DD HH:MM:SS` (the `%Y-%m-%d %H:%M:%S` of `/spend/logs/v2`), UTC; undefined if invalid. */
export function parseSpendDateTime(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s)
  if (!m) return undefined
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  const ms = Date.UTC(y, mo - 1, d, h, mi, se)
  const back = new Date(ms)
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return undefined
  return ms
}

/** Strict `YYYY-MM-DD`, UTC midnight; undefined if invalid. */
export function parseDate(s: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? parseSpendDateTime(`${s} 00:00:00`) : undefined
}
