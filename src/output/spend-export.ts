/**
 * Formatting for `spend logs`: one chunk of text per page of rows, in CSV (RFC 4180, formula-safe),
 * JSON lines, or a fixed-width text table that can be streamed (terminal-safe).
 */
import {LOG_COLUMNS, LOG_JSON_COLUMNS, type CellValue, type SpendLogRecord} from '../domain/spend-export.js'
import {csvCell, csvRow} from './csv.js'
import {formatDateTimeSeconds, formatInt, formatUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'
import type {ExportFormat} from '../contracts/spend.js'

export interface RowFormatter {
  /** Written once before the first row (may be empty). */
  header(): string
  /** The rows of one page. */
  rows(rows: readonly SpendLogRecord[]): string
}

type Getter = (r: SpendLogRecord) => CellValue

function getters(columns: readonly string[]): Getter[] {
  return columns.map((c) => LOG_COLUMNS[c]!)
}

export function csvFormatter(columns: readonly string[]): RowFormatter {
  const get = getters(columns)
  const n = get.length
  return {
    header: () => csvRow(columns),
    rows(rows) {
      let out = ''
      for (const r of rows) {
        let line = ''
        for (let i = 0; i < n; i++) {
          if (i > 0) line += ','
          line += csvCell(get[i]!(r))
        }
        out += `${line}\r\n`
      }
      return out
    },
  }
}

export function jsonlFormatter(columns: readonly string[]): RowFormatter {
  const get: Array<(r: SpendLogRecord) => unknown> = columns.map((c) => LOG_JSON_COLUMNS[c] ?? LOG_COLUMNS[c]!)
  return {
    header: () => '',
    rows(rows) {
      let out = ''
      for (const r of rows) {
        const o: Record<string, unknown> = {}
        for (let i = 0; i < columns.length; i++) o[columns[i]!] = get[i]!(r)
        out += `${JSON.stringify(o)}\n`
      }
      return out
    },
  }
}

interface TableColumn {
  name: string
  header: string
  width: number
  right?: boolean
  /** Cut down to this width (with …) before any column is dropped. */
  min?: number
  /** Dropped, lowest first, when the table is still too wide. */
  drop?: number
  fmt?: (v: CellValue) => string
}

/** Fixed widths (chosen once, before the first page), so the table can be written page by page. */
function tableColumns(timeZone: string, errors = false): TableColumn[] {
  const time = timeZone === 'UTC' ? (v: CellValue) => String(v ?? '').replace('T', ' ').slice(0, 19) : (v: CellValue) => formatCellDateTime(v, timeZone)
  // Only failures shown: their error type (the exception class) in place of the token counts' room.
  const error: TableColumn[] = errors ? [{name: 'error_type', header: 'Error', width: 22, min: 10}] : []
  return [
    {name: 'startTime', header: `Time (${timeZone})`, width: 19, fmt: time},
    {name: 'key_alias', header: 'Key', width: 18, min: 8},
    {name: 'model', header: 'Model', width: 18, min: 8},
    {name: 'status', header: 'Status', width: 7, drop: 3},
    {name: 'prompt_tokens', header: 'Input', width: 9, right: true, drop: 2, fmt: (v) => formatInt(Number(v))},
    {name: 'completion_tokens', header: 'Output', width: 9, right: true, drop: 1, fmt: (v) => formatInt(Number(v))},
    {name: 'spend', header: 'Spend', width: 10, right: true, fmt: (v) => formatUsd(Number(v))},
    ...error,
  ]
}

const GAP = 2

/** The columns that fit `width`: Key and Model cut first (never below 8), then Output, Input, Status dropped. */
function fitColumns(all: TableColumn[], width: number): TableColumn[] {
  let cols = all.map((c) => ({...c}))
  const total = () => cols.reduce((sum, c) => sum + c.width, 0) + GAP * (cols.length - 1)
  for (let guard = 0; guard < 200 && total() > width; guard++) {
    const cut = cols.filter((c) => c.min !== undefined && c.width > c.min).sort((a, b) => b.width - a.width)[0]
    if (cut) {
      cut.width--
      continue
    }
    const drop = cols.filter((c) => c.drop !== undefined).sort((a, b) => a.drop! - b.drop!)[0]
    if (!drop) break
    cols = cols.filter((c) => c !== drop)
  }
  return cols
}

/** `2026-12-01 08:56:37` in the zone, from an ISO timestamp. */
function formatCellDateTime(v: CellValue, timeZone: string): string {
  const d = new Date(String(v ?? ''))
  return Number.isNaN(d.getTime()) ? String(v ?? '') : formatDateTimeSeconds(d, timeZone)
}

function fit(s: string, width: number, right = false): string {
  const clean = sanitizeForTerminal(s)
  const chars = [...clean]
  const cut = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : clean
  const pad = ' '.repeat(Math.max(0, width - [...cut].length))
  return right ? pad + cut : cut + pad
}

/** The streamed text table; `width` (a terminal's) makes it fit, `timeZone` shows times in that zone. */
export function tableFormatter(opts: {width?: number; timeZone?: string; errors?: boolean} = {}): RowFormatter {
  const columns = fitColumns(tableColumns(opts.timeZone ?? 'UTC', opts.errors), opts.width ?? Number.POSITIVE_INFINITY)
  const line = (cells: string[]): string => `${cells.join(' '.repeat(GAP)).trimEnd()}\n`
  return {
    header: () => line(columns.map((c) => fit(c.header, c.width, c.right))) + line(columns.map((c) => '-'.repeat(c.width))),
    rows(rows) {
      let out = ''
      for (const r of rows) {
        out += line(
          columns.map((c) => {
            const v = LOG_COLUMNS[c.name]!(r)
            return fit(c.fmt ? c.fmt(v) : (v === null ? '' : String(v)), c.width, c.right)
          }),
        )
      }
      return out
    },
  }
}

/** The columns the text table shows (for the --json summary). */
export function tableColumnNames(width?: number, errors = false): string[] {
  return fitColumns(tableColumns('UTC', errors), width ?? Number.POSITIVE_INFINITY).map((c) => c.name)
}

export function formatterFor(format: Exclude<ExportFormat, 'parquet'>, columns: readonly string[], table: Parameters<typeof tableFormatter>[0] = {}): RowFormatter {
  if (format === 'jsonl') return jsonlFormatter(columns)
  if (format === 'table') return tableFormatter(table)
  return csvFormatter(columns)
}

/** `exporting: 120,000 rows, 120 pages, 4.2 s, 28,571 rows/s` for the progress line. */
export function progressLine(p: {rows: number; pages: number; elapsedMs: number}, doing = 'exporting'): string {
  const s = p.elapsedMs / 1000
  const rate = s > 0 ? Math.round(p.rows / s) : 0
  return `${doing}: ${formatInt(p.rows)} rows, ${formatInt(p.pages)} page${p.pages === 1 ? '' : 's'}, ${s.toFixed(1)} s, ${formatInt(rate)} rows/s`
}

// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g

/**
 * CSV (or any text) bound for a terminal rather than a file: escape sequences and other control
 * characters in the data are shown as visible escapes; line breaks and tabs stay.
 */
export function terminalSafe(chunk: string): string {
  return chunk.replace(TERMINAL_UNSAFE, (ch) => sanitizeForTerminal(ch))
}

/** CSV, JSON lines or the table; CSV/JSON lines shown on a terminal get no escape sequences from the data (a file gets the data as is). */
export function textFormatter(format: Exclude<ExportFormat, 'parquet'>, columns: readonly string[], table: Parameters<typeof formatterFor>[2], terminal: boolean): RowFormatter {
  const base = formatterFor(format, columns, table)
  return terminal && format !== 'table' ? {header: () => terminalSafe(base.header()), rows: (r) => terminalSafe(base.rows(r))} : base
}
