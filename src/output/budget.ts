/** `keyward budget check` in a terminal. (Its webhook messages are in notify/messages.ts.) */
import {checkLabel, type KeyCheck} from '../domain/alerts.js'
import {colors} from './color.js'
import {formatDate, formatDateTime, formatPct, formatUsd, shortDateTime, shortPct, shortUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'
import {renderTable, type Column} from './table.js'
import type {BudgetCheckResult} from '../contracts/budget.js'

function verdictText(c: KeyCheck): string {
  switch (c.verdict) {
    case 'ok':
      return 'ok'
    case 'threshold':
      return `${c.threshold}% crossed`
    case 'forecast':
      return 'forecast to exceed'
    case 'resets-daily':
      return 'resets daily'
    case 'exhausted':
      return 'EXHAUSTED'
    case 'no-budget':
      return 'no budget'
  }
}

/** The table of keys, the problems under it, and what was (or would be) sent. */
export function renderBudgetCheck(res: BudgetCheckResult, opts: {width?: number} = {}): string {
  const c = colors('stdout')
  // Dropped on a narrow terminal in this order: Burn/day, At reset, Resets, Runs out.
  const columns: Column<KeyCheck>[] = [
    {header: 'Key', get: (k) => checkLabel(k), essential: true},
    {header: 'Spent', get: (k) => formatUsd(k.spent), align: 'right', essential: true, short: shortUsd},
    {header: 'Budget', get: (k) => formatUsd(k.budget), align: 'right', essential: true, short: shortUsd},
    {header: 'Used', get: (k) => formatPct(k.pctUsed), align: 'right', essential: true, short: shortPct},
    {header: 'Resets', get: (k) => (k.window?.end ? formatDateTime(new Date(k.window.end)) : k.resetAt ? formatDateTime(new Date(k.resetAt)) : '-'), short: shortDateTime, drop: 3},
    {header: 'Burn/day', get: (k) => formatUsd(k.burnRatePerDay), align: 'right', short: shortUsd, drop: 1},
    {header: 'At reset', get: (k) => (k.forecastSpend === null ? '-' : `${formatUsd(k.forecastSpend)}${k.forecastReliable ? '' : '?'}`), align: 'right', short: (v) => v.endsWith('?') ? `${shortUsd(v.slice(0, -1))}?` : shortUsd(v), drop: 2},
    {header: 'Runs out', get: (k) => (k.verdict === 'exhausted' ? 'now' : k.runOutAt ? formatDate(new Date(k.runOutAt)) : '-'), drop: 4},
    {header: 'Verdict', get: (k) => verdictText(k), essential: true},
  ]
  const lines: string[] = []
  if (res.keys.length > 0) lines.push(renderTable(res.keys, columns, {width: opts.width}))
  for (const k of res.keys) for (const p of k.problems) lines.push(`${c.yellow('!')} ${sanitizeForTerminal(checkLabel(k))}: ${sanitizeForTerminal(p.message)}`)
  for (const n of res.notifications) {
    const what = `${n.event}${n.threshold === null ? '' : ` ${n.threshold}%`}${n.problem ? ` (${n.problem})` : ''} for ${sanitizeForTerminal(n.key)} to ${n.target}`
    if (n.status === 'sent') lines.push(`${c.green('sent')} ${what}`)
    else if (n.status === 'would-send') lines.push(`would send ${what}:\n  ${sanitizeForTerminal(n.message)}`)
    else if (n.status === 'failed') lines.push(`${c.red('FAILED')} ${what}: ${sanitizeForTerminal(n.error ?? 'unknown error')}`)
    else lines.push(`${c.dim('skipped')} ${what}${n.error ? `: ${sanitizeForTerminal(n.error)}` : ''}`)
  }
  return lines.join('\n')
}
