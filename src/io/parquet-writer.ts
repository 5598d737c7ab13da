/**
 * Parquet for `spend logs --format parquet`: typed columns (timestamps, double spend, int64 token
 * counts, tags as a list of strings), written as row groups while the pages stream in. Rows are kept
 * column by column until a row group is full, then encoded (Snappy) and handed to the export sink as
 * bytes, so memory holds one row group however long the export; the sink's temporary file is renamed
 * only when the footer is written. Loaded only for a Parquet export.
 *
 * The writer is hyparquet-writer (pure JavaScript, no install step, one dependency).
 */
import {ByteWriter, ParquetWriter} from 'hyparquet-writer'
import type {SchemaElement} from 'hyparquet'

import type {SpendLogRecord} from '../domain/spend-export.js'
import {parquetColumns, type ParquetColumn} from '../domain/spend-parquet.js'

/** Rows per row group: large enough for engines to skip and scan well, small enough to stay flat (~50 MB). */
export const ROW_GROUP_ROWS = 25_000

export interface BinaryRowFormatter {
  header(): Uint8Array
  rows(rows: readonly SpendLogRecord[]): Uint8Array
  /** The last row group and the footer: written once, when every row is in. */
  footer(): Uint8Array
}

function schemaOf(cols: readonly ParquetColumn[]): SchemaElement[] {
  const out: SchemaElement[] = [{name: 'root', num_children: cols.length}]
  for (const c of cols) {
    if (c.kind === 'string-list') {
      out.push({name: c.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1})
      out.push({name: 'list', repetition_type: 'REPEATED', num_children: 1})
      out.push({name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL'})
    } else if (c.kind === 'timestamp') {
      out.push({name: c.name, type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'TIMESTAMP_MILLIS', logical_type: {type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS'}})
    } else if (c.kind === 'int64') {
      out.push({name: c.name, type: 'INT64', repetition_type: 'REQUIRED'})
    } else if (c.kind === 'double') {
      out.push({name: c.name, type: 'DOUBLE', repetition_type: 'REQUIRED'})
    } else {
      out.push({name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL'})
    }
  }
  return out
}

export function parquetFormatter(columns: readonly string[], opts: {rowGroupRows?: number; createdBy?: string} = {}): BinaryRowFormatter {
  const cols = parquetColumns(columns)
  const groupRows = opts.rowGroupRows ?? ROW_GROUP_ROWS
  const bytes = new ByteWriter()
  const writer = new ParquetWriter({writer: bytes, schema: schemaOf(cols), codec: 'SNAPPY', createdBy: opts.createdBy ?? 'keyward'})
  let buffered: unknown[][] = cols.map(() => [])
  let count = 0

  /** What the writer has produced since the last call; its buffer is reused (offsets keep counting). */
  const drain = (): Uint8Array => {
    const out = new Uint8Array(bytes.buffer, 0, bytes.index).slice()
    bytes.index = 0
    return out
  }
  const flushGroup = (): void => {
    if (count === 0) return
    // One row group of `count` rows: the writer splits it into pages of about 1 MB.
    void writer.write({columnData: cols.map((c, i) => ({name: c.name, data: buffered[i]!})), rowGroupSize: count})
    buffered = cols.map(() => [])
    count = 0
  }
  return {
    header: drain,
    rows(rows) {
      const parts: Uint8Array[] = []
      for (const r of rows) {
        for (let i = 0; i < cols.length; i++) buffered[i]!.push(cols[i]!.value(r))
        if (++count >= groupRows) {
          flushGroup()
          parts.push(drain())
        }
      }
      return parts.length === 1 ? parts[0]! : concat(parts)
    },
    footer() {
      flushGroup()
      void writer.finish()
      return drain()
    },
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
