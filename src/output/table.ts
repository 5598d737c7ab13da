import Table from 'cli-table3'

import {layoutWidth} from './color.js'
import {sanitizeForTerminal} from './sanitize.js'

export interface Column<R> {
  header: string
  /** The cell text (untrusted text is sanitised here). */
  get: (row: R) => string
  align?: 'left' | 'right'
  /** Kept on narrow terminals (compact mode, as ccusage does). */
  essential?: boolean
  /**
   * When the table does not fit, columns are dropped one at a time: the lowest `drop` first, then
   * columns without one (rightmost first). Essential columns are never dropped.
   */
  drop?: number
  /** A shorter form of a cell (applied to the footer too), tried before any column is dropped. */
  short?: (cell: string) => string
}

export interface TableOptions {
  /** Layout width; defaults to layoutWidth(): the terminal's, or no limit when stdout is not a terminal. */
  width?: number
  /** Footer row (e.g. Total), same column order as the full column list. */
  footer?: string[]
}

const BORDER_PER_COL = 3 // '│ ' + ' ' around every cell, plus one for the last border

function widthOf(s: string): number {
  // Wide (CJK/emoji) characters count double, like a terminal shows them.
  let w = 0
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}]/u.test(ch) ? 2 : 1
  return w
}

function truncate(s: string, max: number): string {
  if (widthOf(s) <= max) return s
  let out = ''
  for (const ch of s) {
    if (widthOf(out + ch) > max - 1) break
    out += ch
  }
  return `${out}…`
}

/** Text columns are cut to this width before any column is dropped, and never below 8 after. */
const SOFT_MIN = 14
const HARD_MIN = 8

/**
 * Render rows as a table that fits the width, losing as little as possible: shorten values first
 * (each column's `short` form, long text cut to SOFT_MIN with …), then drop columns one at a time,
 * least important first, then cut text further. cli-table3's own colours are off; colour is ours.
 */
export function renderTable<R>(rows: readonly R[], columns: readonly Column<R>[], opts: TableOptions = {}): string {
  const width = opts.width ?? layoutWidth()
  let cells = rows.map((r) => columns.map((c) => sanitizeForTerminal(c.get(r))))
  let footer = opts.footer?.map((s) => sanitizeForTerminal(s))
  const natural = (all: string[][], i: number) => Math.max(widthOf(columns[i].header), ...all.map((row) => widthOf(row[i] ?? '')))
  const total = (idx: number[], w: (i: number) => number) => idx.reduce((sum, i) => sum + w(i) + BORDER_PER_COL, 1)
  const everyColumn = columns.map((_, i) => i)
  /** Widths for `keep`, with text columns cut down (never below `min`) until they fit. */
  const fitted = (all: string[][], keep: number[], min: number): Map<number, number> => {
    const widths = new Map(keep.map((i) => [i, natural(all, i)]))
    for (let guard = 0; guard < 2000 && total(keep, (i) => widths.get(i)!) > width; guard++) {
      const candidates = keep.filter((i) => columns[i].align !== 'right' && widths.get(i)! > Math.max(min, widthOf(columns[i].header)))
      if (candidates.length === 0) break
      const widest = candidates.reduce((a, b) => (widths.get(a)! >= widths.get(b)! ? a : b))
      widths.set(widest, widths.get(widest)! - 1)
    }
    return widths
  }
  const fits = (keep: number[], widths: Map<number, number>) => total(keep, (i) => widths.get(i)!) <= width
  let all = footer ? [...cells, footer] : cells
  let keep = everyColumn
  let widths = new Map(keep.map((i) => [i, natural(all, i)]))
  if (!fits(keep, widths)) {
    // 1. Shorter values: the columns' short forms.
    if (columns.some((c) => c.short)) {
      const shorten = (row: string[]) => row.map((v, i) => (columns[i].short ? columns[i].short!(v) : v))
      cells = cells.map(shorten)
      footer = footer && shorten(footer)
      all = footer ? [...cells, footer] : cells
    }
    // 2. Long text cut to SOFT_MIN; 3. then columns dropped one by one, least important first.
    const order = everyColumn
      .filter((i) => !columns[i].essential)
      .sort((a, b) => (columns[a].drop ?? Number.MAX_SAFE_INTEGER) - (columns[b].drop ?? Number.MAX_SAFE_INTEGER) || b - a)
    widths = fitted(all, keep, SOFT_MIN)
    for (const dropped of order) {
      if (fits(keep, widths)) break
      keep = keep.filter((i) => i !== dropped)
      widths = fitted(all, keep, SOFT_MIN)
    }
    // 4. Still too wide: cut text further.
    if (!fits(keep, widths)) widths = fitted(all, keep, HARD_MIN)
  }
  const table = new Table({
    head: keep.map((i) => columns[i].header),
    colAligns: keep.map((i) => columns[i].align ?? 'left'),
    style: {head: [], border: [], 'padding-left': 1, 'padding-right': 1},
    // No line between rows: one under the header and one above the footer are drawn below.
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    wordWrap: false,
  })
  for (const row of all) table.push(keep.map((i) => truncate(row[i] ?? '', widths.get(i)!)))
  const lines = table.toString().split('\n')
  const rule = lines[0].replace('┌', '├').replace('┐', '┤').replaceAll('┬', '┼')
  if (all.length > 0) lines.splice(2, 0, rule)
  if (footer && cells.length > 0) lines.splice(lines.length - 2, 0, rule)
  return lines.join('\n')
}
