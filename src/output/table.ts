import Table from 'cli-table3'

import {terminalWidth} from './color.js'
import {sanitizeForTerminal} from './sanitize.js'

export interface Column<R> {
  header: string
  /** The cell text (untrusted text is sanitised here). */
  get: (row: R) => string
  align?: 'left' | 'right'
  /** Kept on narrow terminals (compact mode, as ccusage does). */
  essential?: boolean
}

export interface TableOptions {
  /** Layout width; defaults to the terminal width. */
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

/**
 * Render rows as a table that fits the terminal: first drop non-essential columns, then truncate the
 * widest left-aligned text. cli-table3's own colours are off; colour is ours to apply.
 */
export function renderTable<R>(rows: readonly R[], columns: readonly Column<R>[], opts: TableOptions = {}): string {
  const width = opts.width ?? terminalWidth()
  const cells = rows.map((r) => columns.map((c) => sanitizeForTerminal(c.get(r))))
  const footer = opts.footer?.map((s) => sanitizeForTerminal(s))
  const all = footer ? [...cells, footer] : cells
  let keep = columns.map((_, i) => i)
  const natural = (i: number) => Math.max(widthOf(columns[i].header), ...all.map((row) => widthOf(row[i] ?? '')))
  const total = (idx: number[], w: (i: number) => number) => idx.reduce((s, i) => s + w(i) + BORDER_PER_COL, 1)
  if (total(keep, natural) > width) {
    const essential = keep.filter((i) => columns[i].essential)
    if (essential.length > 0) keep = essential
  }
  const widths = new Map(keep.map((i) => [i, natural(i)]))
  // Shrink the widest left-aligned column until it fits (never below 8).
  for (let guard = 0; guard < 500 && total(keep, (i) => widths.get(i)!) > width; guard++) {
    const candidates = keep.filter((i) => columns[i].align !== 'right' && widths.get(i)! > 8)
    if (candidates.length === 0) break
    const widest = candidates.reduce((a, b) => (widths.get(a)! >= widths.get(b)! ? a : b))
    widths.set(widest, widths.get(widest)! - 1)
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
