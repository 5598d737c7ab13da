/** The `spend report` document: one stable shape for table, CSV and JSON, also with zero rows. Pure. */
import type {KeySummary} from './key-summary.js'
import {periodOf, TIME_GROUPS, type GroupBy, type SpendGroupRow, type SpendSourceKind, type SpendTotals} from './spend-aggregate.js'
import {daysOf, type SpendRange} from './spend-range.js'

export type ReportBudget = Pick<KeySummary, 'alias' | 'budget' | 'spent' | 'remaining' | 'pctUsed' | 'period' | 'resetAt'>

export interface SpendReport {
  range: {since: string; until: string; timezone: string}
  groupBy: GroupBy
  /** The second dimension of `--breakdown`, else null. */
  breakdownBy: GroupBy | null
  /** Where the numbers came from. */
  source: SpendSourceKind
  /** The `--key` filters (empty: all keys). */
  keys: Array<{alias: string | null; hash: string}>
  /** The budget of the one selected key, else null. */
  budget: ReportBudget | null
  rows: SpendGroupRow[]
  totals: SpendTotals
}

export function reportBudget(s: KeySummary): ReportBudget {
  return {alias: s.alias, budget: s.budget, spent: s.spent, remaining: s.remaining, pctUsed: s.pctUsed, period: s.period, resetAt: s.resetAt}
}

const ZERO = {requests: 0, failed: 0, inputTokens: 0, outputTokens: 0, spend: 0}

/** Rows for every day (week, month) of the range: one without spend is a zero row, not a gap. */
function withEveryPeriod(groupBy: GroupBy, rows: SpendGroupRow[], since: string, until: string, breakdown: boolean): SpendGroupRow[] {
  const byDay = new Map(rows.map((r) => [r.group, r]))
  return [...new Set(daysOf(since, until).map((d) => periodOf(groupBy, d)))].map(
    (day) => byDay.get(day) ?? {group: day, label: day, ...ZERO, ...(breakdown ? {breakdown: []} : {})},
  )
}

export function buildReport(p: Omit<SpendReport, 'range'> & {range: SpendRange}): SpendReport {
  const rows = TIME_GROUPS.includes(p.groupBy) ? withEveryPeriod(p.groupBy, p.rows, p.range.since, p.range.until, p.breakdownBy !== null) : p.rows
  return {
    range: {since: p.range.since, until: p.range.until, timezone: p.range.timezone},
    groupBy: p.groupBy,
    breakdownBy: p.breakdownBy,
    source: p.source,
    keys: p.keys,
    budget: p.budget,
    rows,
    totals: p.totals,
  }
}
