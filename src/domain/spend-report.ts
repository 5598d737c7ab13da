/** The `spend report` document: one stable shape for table, CSV and JSON, also with zero rows. Pure. */
import type {KeySummary} from './key-summary.js'
import type {GroupBy, SpendGroupRow, SpendSourceKind, SpendTotals} from './spend-aggregate.js'
import type {SpendRange} from './spend-range.js'

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

export function buildReport(p: Omit<SpendReport, 'range'> & {range: SpendRange}): SpendReport {
  return {
    range: {since: p.range.since, until: p.range.until, timezone: p.range.timezone},
    groupBy: p.groupBy,
    breakdownBy: p.breakdownBy,
    source: p.source,
    keys: p.keys,
    budget: p.budget,
    rows: p.rows,
    totals: p.totals,
  }
}
