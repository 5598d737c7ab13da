/**
 * `spend report`'s numbers: pick the spend source (workflows/spend-source.ts), read it (daily activity,
 * or the spend-log pages filtered here), aggregate, and build the report document.
 */
import type {LiteLLMClient} from '../api/client.js'
import {hashKey} from '../api/hash.js'
import {summarizeKey} from '../domain/key-summary.js'
import {breakdownFor, SpendAggregator, type GroupBy} from '../domain/spend-aggregate.js'
import {factsOf, keepRow, type LocalFilter} from '../domain/spend-export.js'
import {dayInZone, DayKeyer, type SpendRange} from '../domain/spend-range.js'
import {buildReport, reportBudget, type SpendReport} from '../domain/spend-report.js'
import type {Notes} from './notes.js'
import {openSpendSource, readDailyActivity, readSpendLogs} from './spend-source.js'

export interface SpendReportOptions {
  range: SpendRange
  groupBy: GroupBy
  /** Split every group by model (by key when grouping by model). */
  breakdown: boolean
  timezone: string
  /** --key: aliases, sk- keys or hashes. */
  keys: readonly string[]
  now: Date
  /** The admin key, so that its own spend is labelled as such (only its hash is kept). */
  adminKey?: string
  notes: Notes
  /** After each spend-log page (for a progress line). */
  onPage?: (rows: number) => void
}

/** The report, the spend per day (for the chart) and how many groups had spend. */
export async function spendReport(client: LiteLLMClient, o: SpendReportOptions): Promise<{report: SpendReport; daily: Map<string, number>; groups: number}> {
  const {range, groupBy, timezone} = o
  const breakdownBy = o.breakdown ? breakdownFor(groupBy) : null
  const need = {groupBy, breakdown: Boolean(breakdownBy), timezone}
  const {keys, source} = await openSpendSource(client, {keys: [...o.keys], today: dayInZone(o.now.getTime(), 'UTC'), need, notes: o.notes})
  const agg = new SpendAggregator(groupBy, breakdownBy, timezone, o.adminKey ? hashKey(o.adminKey) : undefined)
  if (source === 'daily-activity') {
    for (const d of await readDailyActivity(client, range, keys)) agg.addDaily(d)
  } else {
    // --by error counts failures only (the proxy filters them too).
    const status = o.groupBy === 'error' ? ('failure' as const) : undefined
    const keyHashes = keys.length > 0 ? new Set(keys.map((k) => k.hash)) : undefined
    const filter: LocalFilter = {startMs: range.startMs, endMs: range.endMs, keyHashes, status}
    const legacy = {
      note: 'this proxy has no paged spend logs: reading the deprecated /spend/logs',
      truncated: 'the proxy truncated its /spend/logs answer (x-litellm-spend-logs-truncated): these totals are incomplete',
    }
    for await (const page of readSpendLogs(client, source, {range, keys, notes: o.notes, legacy, status})) {
      for (const r of page) {
        const ms = DayKeyer.timeOf(r.startTime)
        if (keepRow(r, ms, filter)) agg.addLog(factsOf(r, ms))
      }
      o.onPage?.(page.length)
    }
  }
  const {rows, totals, daily} = agg.result()
  const one = keys.length === 1 ? keys[0]! : undefined
  const report = buildReport({
    range,
    groupBy,
    breakdownBy,
    source,
    keys: keys.map((k) => ({alias: k.alias, hash: k.hash})),
    budget: one?.row ? reportBudget(summarizeKey(one.row, o.now, one.hash)) : null,
    rows,
    totals,
  })
  return {report, daily, groups: rows.length}
}
