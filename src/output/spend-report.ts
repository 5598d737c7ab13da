/** Rendering of `spend report`: table (+ budget line, + daily chart), CSV and JSON. */
import type {GroupBy, SpendGroupRow} from '../domain/spend-aggregate.js'
import type {SpendReport} from '../domain/spend-report.js'
import {colors} from './color.js'
import {csvRow, type CsvValue} from './csv.js'
import {formatDateTime, formatInt, formatPct, formatRelative, formatUsd, shortCount, shortUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'
import {renderTable, type Column} from './table.js'

const HEADERS: Record<GroupBy, string> = {day: 'Day', week: 'Week (from Monday)', month: 'Month', model: 'Model', key: 'Key', user: 'User', team: 'Team', provider: 'Provider', error: 'Error · model'}

interface Line {
  row: SpendGroupRow
  sub: boolean
}

/** The budget of the one selected key, above the table. */
export function renderBudgetLine(r: SpendReport, now: Date): string | undefined {
  const b = r.budget
  if (!b) return undefined
  const c = colors('stdout')
  const name = b.alias ? sanitizeForTerminal(b.alias) : 'key'
  // The key's own spend counter covers its current budget window, which is rarely the report's range: both are named.
  const inRange = `; ${r.range.since} to ${r.range.until}: ${formatUsd(r.totals.spend)}`
  if (b.budget === null) return `${c.bold(name)}: no budget set; spent ${formatUsd(b.spent)} in total${inRange}`
  const reset = b.resetAt ? `, resets ${formatDateTime(new Date(b.resetAt))} (${formatRelative(new Date(b.resetAt), now)})` : ''
  const remaining = b.remaining !== null && b.remaining < 0 ? c.red(formatUsd(b.remaining)) : formatUsd(b.remaining)
  return `${c.bold(name)}: budget ${formatUsd(b.budget)}${b.period ? ` ${b.period}` : ''}, current budget window: spent ${formatUsd(b.spent)} (${formatPct(b.pctUsed)}), remaining ${remaining}${reset}${inRange}`
}

/** `Day`, `Model / key`; a day column names its zone when it is not UTC (`Day (Asia/Tokyo)`). */
function dimensionHeader(r: SpendReport): string {
  const zoned = (g: GroupBy) => ((g === 'day' || g === 'week' || g === 'month') && r.range.timezone !== 'UTC' ? `${HEADERS[g]} (${r.range.timezone})` : HEADERS[g])
  return r.breakdownBy ? `${zoned(r.groupBy)} / ${zoned(r.breakdownBy).toLowerCase().replace(/\((.*)\)/, `(${r.range.timezone})`)}` : zoned(r.groupBy)
}

/** The header line: what the report covers (`spend 2026-10-01 to 2026-10-31 (UTC), by day, from daily activity`). */
export function renderReportHeader(r: SpendReport): string {
  const source: Record<SpendReport['source'], string> = {'daily-activity': 'daily activity', 'spend-logs-v2': 'spend logs', 'spend-logs-ui': 'spend logs', 'spend-logs-legacy': 'spend logs (legacy)'}
  const keys = r.keys.length > 0 ? `, ${r.keys.length === 1 ? 'key' : 'keys'} ${r.keys.map((k) => sanitizeForTerminal(k.alias ?? `${k.hash.slice(0, 12)}…`)).join(', ')}` : ''
  return `spend ${r.range.since} to ${r.range.until} (${r.range.timezone}), by ${r.groupBy}${r.breakdownBy ? ` and ${r.breakdownBy}` : ''}${keys}, from ${source[r.source]}`
}

export function renderReportTable(r: SpendReport, opts: {width?: number} = {}): string {
  const lines: Line[] = []
  for (const row of r.rows) {
    lines.push({row, sub: false})
    for (const sub of row.breakdown ?? []) lines.push({row: sub, sub: true})
  }
  const columns: Column<Line>[] = [
    {header: dimensionHeader(r), get: (l) => (l.sub ? `  └ ${l.row.label}` : l.row.label), essential: true},
    // Dropped on a narrow terminal in this order: Failed, Input tokens, Output tokens, Requests.
    {header: 'Requests', get: (l) => formatInt(l.row.requests), align: 'right', short: shortCount, drop: 4},
    {header: 'Failed', get: (l) => formatInt(l.row.failed), align: 'right', short: shortCount, drop: 1},
    {header: 'Input tokens', get: (l) => formatInt(l.row.inputTokens), align: 'right', short: shortCount, drop: 2},
    {header: 'Output tokens', get: (l) => formatInt(l.row.outputTokens), align: 'right', short: shortCount, drop: 3},
    {header: 'Spend', get: (l) => formatUsd(l.row.spend), align: 'right', essential: true, short: shortUsd},
  ]
  const t = r.totals
  const footer = ['Total', formatInt(t.requests), formatInt(t.failed), formatInt(t.inputTokens), formatInt(t.outputTokens), formatUsd(t.spend)]
  return renderTable(lines, columns, {footer, width: opts.width})
}

/** A horizontal bar per day, scaled to the largest day. */
export function renderDailyChart(series: ReadonlyArray<{day: string; spend: number}>, width = 100): string {
  if (series.length === 0) return ''
  const max = Math.max(...series.map((d) => d.spend))
  const barWidth = Math.max(10, Math.min(50, width - 26))
  const c = colors('stdout')
  const lines = [c.bold('Daily spend')]
  for (const d of series) {
    const n = max > 0 ? Math.round((d.spend / max) * barWidth) : 0
    const bar = d.spend > 0 && n === 0 ? '▏' : '█'.repeat(n)
    lines.push(`${d.day} ${c.cyan(bar.padEnd(barWidth))} ${formatUsd(d.spend)}`)
  }
  return lines.join('\n')
}

function dimColumns(dim: GroupBy, prefix = ''): string[] {
  return dim === 'key' ? [`${prefix}key_hash`, `${prefix}key_alias`] : [`${prefix}${dim}`]
}

function dimValues(dim: GroupBy, row: SpendGroupRow): CsvValue[] {
  return dim === 'key' ? [row.group, row.label] : [row.label]
}

/** RFC 4180 CSV: a header row, one row per group (or per group and breakdown), plain decimals. */
export function renderReportCsv(r: SpendReport): string {
  const metrics = (x: SpendGroupRow): CsvValue[] => [x.requests, x.failed, x.inputTokens, x.outputTokens, x.spend]
  const header = [...dimColumns(r.groupBy), ...(r.breakdownBy ? dimColumns(r.breakdownBy, 'by_') : []), 'requests', 'failed', 'input_tokens', 'output_tokens', 'spend']
  let out = csvRow(header)
  for (const row of r.rows) {
    if (r.breakdownBy) {
      for (const sub of row.breakdown ?? []) out += csvRow([...dimValues(r.groupBy, row), ...dimValues(r.breakdownBy, sub), ...metrics(sub)])
    } else {
      out += csvRow([...dimValues(r.groupBy, row), ...metrics(row)])
    }
  }
  return out
}

/** The same document `--json` prints. */
export function renderReportJson(r: SpendReport): string {
  return `${JSON.stringify(r, null, 2)}\n`
}
