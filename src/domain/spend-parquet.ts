/**
 * The typed columns of a Parquet spend-log export: what each export column is (a timestamp, money, a
 * token count, a list of tags, text) and its value in that type. Pure; the file format itself is
 * io/parquet-writer.ts. Values are the CSV export's, typed: the same rows, the same spend.
 */
import {LOG_COLUMNS, type SpendLogRecord} from './spend-export.js'
import {DayKeyer} from './spend-range.js'

export type ParquetKind = 'string' | 'timestamp' | 'double' | 'int64' | 'string-list'

export interface ParquetColumn {
  name: string
  kind: ParquetKind
  /** The value in its kind: string | null, epoch ms | null, number, bigint, string[] | null. */
  value(r: SpendLogRecord): string | number | bigint | string[] | null
}

const KINDS: Record<string, ParquetKind> = {
  startTime: 'timestamp',
  endTime: 'timestamp',
  prompt_tokens: 'int64',
  completion_tokens: 'int64',
  total_tokens: 'int64',
  spend: 'double',
  request_tags: 'string-list',
}

/** Epoch milliseconds of a LiteLLM timestamp (with or without a zone: no zone is UTC), or null. */
export function timestampMs(v: unknown): number | null {
  if (typeof v !== 'string' || v === '') return null
  const ms = DayKeyer.timeOf(v)
  return Number.isFinite(ms) ? Math.trunc(ms) : null
}

function tags(r: SpendLogRecord): string[] | null {
  const t = r.request_tags
  if (t === null || t === undefined) return null
  if (Array.isArray(t)) return t.map((x) => (typeof x === 'string' ? x : x === null || x === undefined ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x)))
  // A proxy that stores tags as a JSON text.
  if (typeof t === 'string') {
    try {
      const parsed: unknown = JSON.parse(t)
      if (Array.isArray(parsed)) return parsed.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
    } catch {
      // a plain tag
    }
    return t === '' ? [] : [t]
  }
  return [String(t)]
}

export function parquetColumns(columns: readonly string[]): ParquetColumn[] {
  return columns.map((name) => {
    const kind = KINDS[name] ?? 'string'
    const get = LOG_COLUMNS[name]!
    switch (kind) {
      case 'timestamp':
        return {name, kind, value: (r) => timestampMs(get(r))}
      case 'int64':
        return {name, kind, value: (r) => BigInt(Math.trunc(Number(get(r))))}
      case 'double':
        return {name, kind, value: (r) => Number(get(r))}
      case 'string-list':
        return {name, kind, value: tags}
      default:
        return {
          name,
          kind,
          value: (r) => {
            const v = get(r)
            return v === null ? null : String(v)
          },
        }
    }
  })
}
