/**
 * The progress line of a long export (stderr, on a terminal only) and the stdout sink that clears it before
 * data is written to the same terminal (so "…1,333 rows/s" never runs into a row).
 */
import type {ExportSink} from '../io/export-writer.js'
import {progressLine} from '../output/spend-export.js'

const PROGRESS_EVERY_MS = 250

export interface ExportProgress {
  /** The sink to write rows to: `sink` itself for a file, a wrapper that clears the line first for stdout. */
  sink: ExportSink
  onProgress: (p: {rows: number; pages: number; final: boolean}) => void
}

export function exportProgress(target: ExportSink, opts: {show: boolean; toFile: boolean; started: number}): ExportProgress {
  let lastProgress = 0
  let shown = false
  const clear = (): void => {
    if (shown) process.stderr.write('\r\u001b[K')
    shown = false
  }
  const onProgress = ({rows, pages, final}: {rows: number; pages: number; final: boolean}): void => {
    if (!opts.show) return
    const t = Date.now()
    if (!final && t - lastProgress < PROGRESS_EVERY_MS) return
    lastProgress = t
    clear()
    if (final) return
    process.stderr.write(progressLine({rows, pages, elapsedMs: t - opts.started}))
    shown = true
  }
  if (opts.toFile) return {sink: target, onProgress}
  const sink: ExportSink = {
    write: (chunk) => {
      clear()
      return target.write(chunk)
    },
    commit: () => target.commit(),
    abort: () => target.abort(),
    get closed() {
      return target.closed
    },
    get bytes() {
      return target.bytes
    },
    target: target.target,
  }
  return {sink, onProgress}
}
