/**
 * The --json result of `spend logs` (a summary of the export). `spend report` returns the report
 * document itself, built by domain/spend-report.ts (SpendReport).
 */

export type ExportFormat = 'csv' | 'jsonl' | 'table' | 'parquet'

export interface SpendLogsResult {
  /** The file written, or `-` for stdout. */
  output: string
  format: ExportFormat
  columns: string[]
  range: {since: string; until: string; timezone: string}
  source: 'spend-logs-v2' | 'spend-logs-ui' | 'spend-logs-legacy'
  rows: number
  pages: number
  /** Rows dropped because their request_id was already exported (the proxy's offset pages shift while rows arrive). */
  duplicatesDropped: number
  bytes: number
  elapsedMs: number
  /** False when the reader of stdout went away before the end (e.g. `| head`). */
  complete: boolean
}
