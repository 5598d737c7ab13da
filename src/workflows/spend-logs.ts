/**
 * `spend logs`: stream the rows of a spend-log source through the local filter and a formatter into a
 * sink (stdout, or a temporary file renamed when complete), a few hundred rows per write, so memory
 * stays flat however many rows there are. A failure or Ctrl-C leaves no file and says how far it got.
 */
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import type {LiteLLMClient} from '../api/client.js'
import type {KeyFilter} from '../api/spend.js'
import {KeywardError, isKeywardError} from '../core/errors.js'
import {keepRow, type LocalFilter, type LogStatus} from '../domain/spend-export.js'
import {DayKeyer, type SpendRange} from '../domain/spend-range.js'
import type {ExportSink} from '../io/export-writer.js'
import {formatInt} from '../output/format.js'
import type {RowFormatter} from '../output/spend-export.js'
import type {Notes} from './notes.js'
import {readSpendLogs, type LogSourceKind, type SpendRows} from './spend-source.js'

const ROWS_PER_WRITE = 200
const GC_EVERY_PAGES = 50

/**
 * V8's full garbage collector, when it can be had. An export allocates ~5 MB per page and keeps
 * little; left alone, V8 lets the old generation fill with garbage for tens of seconds, so peak memory
 * grew with the row count (measured: 136 MB at 100k rows, 174 MB at 1M). A full GC every 50 pages
 * (~10 ms each) keeps the peak flat (~135 MB at 1M). `--expose-gc` can be switched on at run time; the
 * function then exists in new contexts.
 */
function fullGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
}

/** A formatter of bytes: its footer is written once every row is in (Parquet's row groups and metadata). */
export interface BinaryFormatter {
  header(): Uint8Array
  rows(rows: readonly SpendRow[]): Uint8Array
  footer(): Uint8Array
}

type SpendRow = SpendRows[number]

export interface SpendLogsExport {
  client: LiteLLMClient
  source: LogSourceKind
  range: SpendRange
  keys: readonly KeyFilter[]
  models: readonly string[]
  status?: LogStatus
  /** Text (CSV, JSON lines, a table), or bytes with a footer (Parquet). */
  formatter: RowFormatter | BinaryFormatter
  sink: ExportSink
  /** The --output file, named in messages when it is not written. */
  output?: string
  /** Ctrl-C: stops the export between pages (requests in flight listen to it too). */
  signal: AbortSignal
  notes: Notes
  /** Told after each page, and once with `final` when the export ends either way. */
  onProgress?: (p: {rows: number; pages: number; final: boolean}) => void
  /** Completes the kept rows of a page before they are written (e.g. their messages and response). */
  complete?: (rows: SpendRows) => Promise<void>
}

export async function exportSpendLogs(o: SpendLogsExport): Promise<{rows: number; pages: number; duplicates: number}> {
  const filter: LocalFilter = {
    startMs: o.range.startMs,
    endMs: o.range.endMs,
    keyHashes: o.keys.length > 0 ? new Set(o.keys.map((k) => k.hash)) : undefined,
    models: o.models.length > 0 ? new Set(o.models) : undefined,
    status: o.status,
  }
  let rows = 0
  let pages = 0
  let duplicates = 0
  const progress = (final = false): void => o.onProgress?.({rows, pages, final})
  const notWritten = o.output ? `; ${o.output} was not written` : ''
  const interrupted = (): KeywardError => new KeywardError('interrupted', `interrupted after ${formatInt(rows)} rows${notWritten}`)
  const gc = fullGc()
  const write = async (page: SpendRows): Promise<void> => {
    const kept = page.filter((r) => keepRow(r, DayKeyer.timeOf(r.startTime), filter))
    if (o.complete) await o.complete(kept)
    pages++
    if (gc && pages % GC_EVERY_PAGES === 0) gc()
    rows += kept.length
    // Small writes (~50 KB): large strings live in V8's large-object space until a full GC, which
    // made peak memory grow with the row count.
    for (let i = 0; i < kept.length; i += ROWS_PER_WRITE) {
      const chunk = o.formatter.rows(kept.slice(i, i + ROWS_PER_WRITE))
      if (chunk.length > 0) await o.sink.write(chunk)
    }
    progress()
  }
  try {
    await o.sink.write(o.formatter.header())
    const read = readSpendLogs(o.client, o.source, {
      range: o.range,
      keys: o.keys,
      models: o.models,
      status: o.status,
      signal: o.signal,
      notes: o.notes,
      onDuplicates: (n) => (duplicates += n),
      legacy: {
        note: 'this proxy has no paged spend logs: reading the deprecated /spend/logs (one unpaged request)',
        truncated: 'the proxy truncated its /spend/logs answer (x-litellm-spend-logs-truncated): the export is incomplete',
      },
    })
    for await (const page of read) {
      if (o.signal.aborted) throw interrupted()
      await write(page)
      if (o.sink.closed) break
    }
    if (o.signal.aborted) throw interrupted()
    if ('footer' in o.formatter) await o.sink.write(o.formatter.footer())
    await o.sink.commit()
  } catch (error) {
    progress(true)
    await o.sink.abort()
    if (o.signal.aborted || (isKeywardError(error) && error.kind === 'interrupted')) throw interrupted()
    if (isKeywardError(error)) {
      throw new KeywardError(error.kind, `${error.message} (export stopped after ${formatInt(rows)} rows in ${formatInt(pages)} pages${notWritten})`, {
        status: error.status,
        type: error.type,
        endpoint: error.endpoint,
        suggestions: error.suggestions,
        cause: error,
      })
    }
    throw error
  }
  progress(true)
  return {rows, pages, duplicates}
}
