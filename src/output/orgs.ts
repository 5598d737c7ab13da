import type {HolderSummary} from '../domain/budget-holders.js'
import type {WindowStatus} from '../domain/budget-windows.js'
import type {HolderInfoResult, TeamsListResult, UsersListResult} from '../contracts/orgs.js'
import {csvRow} from './csv.js'
import {formatDateTime, formatPct, formatUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'
import {renderTable, type Column} from './table.js'

const resets = (iso: string | null): string => {
  if (!iso) return '-'
  const full = formatDateTime(new Date(iso)).replace(' UTC', '')
  return full.endsWith(' 00:00') ? full.slice(0, 10) : full
}

function columns(kind: 'team' | 'user'): Column<HolderSummary>[] {
  return [
    {header: kind === 'team' ? 'Team' : 'User', get: (h) => h.id, essential: true},
    {header: kind === 'team' ? 'Alias' : 'Name', get: (h) => h.name ?? '-', drop: 1},
    {header: 'Spent', get: (h) => formatUsd(h.spent), align: 'right', essential: true},
    {header: 'Budget', get: (h) => formatUsd(h.budget), align: 'right', essential: true},
    {header: 'Left', get: (h) => formatUsd(h.remaining), align: 'right', drop: 3},
    {header: 'Used', get: (h) => formatPct(h.pctUsed), align: 'right', essential: true},
    {header: 'Period', get: (h) => h.period ?? '-', drop: 4},
    {header: 'Resets', get: (h) => resets(h.resetAt), drop: 5},
    {header: 'Keys', get: (h) => (h.keys === null ? '-' : String(h.keys)), align: 'right', drop: 2},
    {header: 'Status', get: (h) => h.status, essential: true},
  ]
}

export function renderHolderList(r: TeamsListResult | UsersListResult, kind: 'team' | 'user', opts: {width?: number} = {}): string {
  const rows = 'teams' in r ? r.teams : r.users
  if (rows.length === 0) return kind === 'team' ? 'No teams.' : 'No users.'
  const footer = [`Total (${r.totals.count})`, '', formatUsd(r.totals.spent), formatUsd(r.totals.budget), '', '', '', '', '', '']
  return renderTable(rows, columns(kind), {width: opts.width, footer})
}

export const HOLDER_CSV_HEADER = ['id', 'name', 'spent', 'budget', 'remaining', 'pct_used', 'period', 'budget_duration', 'resets_at', 'keys', 'status', 'soft_budget'] as const

export function holderCsv(rows: readonly HolderSummary[]): string {
  const round = (n: number | null, k: number) => (n === null ? null : Math.round(n * k) / k)
  return (
    csvRow([...HOLDER_CSV_HEADER]) +
    rows.map((h) => csvRow([h.id, h.name, h.spent, h.budget, round(h.remaining, 1e6), round(h.pctUsed, 100), h.period, h.duration, h.resetAt, h.keys, h.status, h.softBudget])).join('')
  )
}

export function renderHolderInfo(r: HolderInfoResult): string {
  const h = r.holder
  const lines = [
    `${h.kind === 'team' ? 'team' : 'user'}      ${sanitizeForTerminal(h.id)}${h.name ? ` (${sanitizeForTerminal(h.name)})` : ''}`,
    `spent     ${formatUsd(h.spent)}${h.budget !== null ? ` of ${formatUsd(h.budget)} (${formatPct(h.pctUsed)}), ${formatUsd(h.remaining)} left` : ' (no budget)'}`,
    `period    ${h.period ?? '-'}${h.resetAt ? `, next reset ${formatDateTime(new Date(h.resetAt))}` : ''}`,
    `status    ${h.status}`,
    `keys      ${r.keys.length}`,
  ]
  for (const k of r.keys) lines.push(`  ${sanitizeForTerminal(k.alias ?? k.hash?.slice(0, 12) ?? '-')}  ${formatUsd(k.spent)}${k.budget !== null ? ` of ${formatUsd(k.budget)}` : ''}`)
  return lines.join('\n')
}

/** `keys info`: one line per budget window (budget_limits), after the key's own budget. */
export function renderWindows(windows: readonly WindowStatus[]): string {
  if (windows.length === 0) return ''
  const lines = windows.map((w) => {
    const spent = w.spent === null ? 'spend not reported' : `${formatUsd(w.spent)} of ${formatUsd(w.budget)} (${formatPct(w.pctUsed)}), ${formatUsd(w.remaining)} left`
    return `window ${sanitizeForTerminal(w.duration).padEnd(4)} ${spent}${w.resetAt ? `, resets ${formatDateTime(new Date(w.resetAt))}` : ''}`
  })
  return `\n${lines.join('\n')}`
}
