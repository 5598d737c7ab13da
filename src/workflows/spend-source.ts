/**
 * Where spend data comes from, and reading it, for `spend report` and `spend logs` alike: the keys
 * named with --key are resolved while the proxy's spend endpoints are detected; then either daily
 * activity (totals) or the spend logs (rows, paged; the deprecated unpaged /spend/logs last).
 */
import type {LiteLLMClient} from '../api/client.js'
import {
  detectSpendSources,
  fetchDailyActivity,
  fetchLegacySpendLogs,
  pageSpendLogs,
  resolveKeyFilters,
  type DailyActivityDay,
  type KeyFilter,
  type SpendLogsPage,
} from '../api/spend.js'
import {KeywardError} from '../core/errors.js'
import {chooseSpendSource, type SpendNeed, type SpendSourceKind} from '../domain/spend-aggregate.js'
import {addDaysYmd, DayKeyer, dayInZone, formatSpendDateTime} from '../domain/spend-range.js'
import type {Notes} from './notes.js'

export type LogSourceKind = Exclude<SpendSourceKind, 'daily-activity'>
export type SpendRows = SpendLogsPage['rows']

/** The --key filters, resolved, and the source to read for `need`; fails when the proxy has none. */
export async function openSpendSource<N extends SpendNeed>(
  client: LiteLLMClient,
  o: {keys: readonly string[]; today: string; need: N; notes: Pick<Notes, 'warn'>},
): Promise<{keys: KeyFilter[]; source: N extends {rows: true} ? LogSourceKind : SpendSourceKind}> {
  const rows = 'rows' in o.need
  const [keys, sources] = await Promise.all([
    resolveKeyFilters(client, o.keys, (line) => o.notes.warn(line)),
    detectSpendSources(client, o.today, rows ? {dailyActivity: false} : {}),
  ])
  const source = chooseSpendSource(sources, o.need)
  if (!source) {
    const endpoints = rows ? 'no spend-log endpoint (/spend/logs/v2, /spend/logs/ui or /spend/logs)' : 'no spend endpoint (/user/daily/activity, /spend/logs/v2, /spend/logs/ui or /spend/logs)'
    throw new KeywardError('not_litellm', `the proxy offers ${endpoints}`, {suggestions: ['Check that this is a LiteLLM proxy with a database: keyward status']})
  }
  return {keys, source: source as N extends {rows: true} ? LogSourceKind : SpendSourceKind}
}

export interface SpendLogsRead {
  /** Instants in ms, end exclusive. */
  range: {startMs: number; endMs: number}
  keys: readonly KeyFilter[]
  /** Sent to the proxy when there is exactly one (the rows are filtered here too). */
  models?: readonly string[]
  status?: 'success' | 'failure'
  signal?: AbortSignal
  notes: Notes
  /** What the legacy endpoint's note and truncation warning say about the result. */
  legacy: {note: string; truncated: string}
  /** When the export began (default: now): rows that start later are left out. */
  asOfMs?: number
  /** Rows per time slice (default SLICE_ROWS); smaller in tests. */
  sliceRows?: number
  /** Told how many rows were dropped as duplicates (the same request_id twice), as they are dropped. */
  onDuplicates?: (n: number) => void
}

/**
 * The spend-log rows of the range, a page at a time (1000 rows at a time from the unpaged legacy
 * endpoint). Rows are narrowed by the server where it can; the caller still filters each row.
 */
export async function* readSpendLogs(client: LiteLLMClient, source: LogSourceKind, q: SpendLogsRead): AsyncGenerator<SpendRows> {
  const apiKey = q.keys.length === 1 ? q.keys[0]!.hash : undefined
  if (source === 'spend-logs-legacy') {
    q.notes.note(q.legacy.note)
    // Legacy dates are UTC days and the end day is excluded.
    const startDay = dayInZone(q.range.startMs, 'UTC')
    const endDayExclusive = addDaysYmd(dayInZone(q.range.endMs - 1, 'UTC'), 1)
    const res = await fetchLegacySpendLogs(client, {startDay, endDayExclusive, apiKey}, q.signal)
    if (res.truncated) q.notes.warn(q.legacy.truncated)
    for (let i = 0; i < res.rows.length; i += 1000) yield res.rows.slice(i, i + 1000)
    return
  }
  const endpoint = source === 'spend-logs-v2' ? '/spend/logs/v2' : '/spend/logs/ui'
  // Rows that start after the export began are not part of it (the table grows while we read).
  const endMs = Math.min(q.range.endMs, Math.ceil((q.asOfMs ?? Date.now()) / 1000) * 1000)
  const base = {apiKey, model: q.models?.length === 1 ? q.models[0] : undefined, status: q.status}
  const sliceRows = q.sliceRows ?? SLICE_ROWS
  const seen = new BoundedIdSet(sliceRows + DEDUP_SLACK)
  const dropped = (n: number): void => {
    if (n > 0) q.onDuplicates?.(n)
  }
  // Offset paging over a table that grows is not trusted: read time slices of at most SLICE_ROWS
  // rows, each [from, to) on whole seconds, and drop a request_id seen before in the slice.
  let from = q.range.startMs
  while (from < endMs) {
    const query = {...base, startDate: formatSpendDateTime(from), endDate: formatSpendDateTime(endMs)}
    let inSlice = 0
    let cutAt: number | undefined
    let sorted = true
    for await (const page of pageSpendLogs(client, endpoint, query, {signal: q.signal, onNegotiated: (n) => (sorted = n.sorted)})) {
      const fresh: SpendRows = []
      let dups = 0
      for (const row of page.rows) {
        const t = DayKeyer.timeOf(row.startTime)
        if (cutAt !== undefined && t >= cutAt) continue
        if (t >= endMs) continue
        const id = typeof row.request_id === 'string' ? row.request_id : undefined
        if (id !== undefined && seen.has(id)) {
          dups++
          continue
        }
        if (id !== undefined) seen.add(id)
        fresh.push(row)
      }
      dropped(dups)
      inSlice += fresh.length
      // A full slice: end it at the last second seen (those rows are read again by the next slice).
      if (sorted && cutAt === undefined && inSlice >= sliceRows && fresh.length > 0) {
        const last = Math.floor(DayKeyer.timeOf(fresh[fresh.length - 1]!.startTime) / 1000) * 1000
        if (last > from) {
          cutAt = last
          const kept = fresh.filter((r) => DayKeyer.timeOf(r.startTime) < last)
          for (const r of fresh) if (DayKeyer.timeOf(r.startTime) >= last && typeof r.request_id === 'string') seen.delete(r.request_id)
          yield kept
          break
        }
      }
      yield fresh
    }
    if (cutAt === undefined) break
    from = cutAt
    seen.clear()
  }
}

/** Rows per time slice: de-duplication remembers at most this many request ids. */
const SLICE_ROWS = 100_000
const DEDUP_SLACK = 10_000

/** A set that forgets its oldest entries beyond `capacity`: memory stays bounded on any export. */
class BoundedIdSet {
  private readonly ids = new Set<string>()
  constructor(private readonly capacity: number) {}
  has(id: string): boolean {
    return this.ids.has(id)
  }
  add(id: string): void {
    this.ids.add(id)
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string)
  }
  delete(id: string): void {
    this.ids.delete(id)
  }
  clear(): void {
    this.ids.clear()
  }
}

/** Daily activity of the range (inclusive UTC dates), one pass per --key (or one for every key). */
export async function readDailyActivity(client: LiteLLMClient, range: {since: string; until: string}, keys: readonly KeyFilter[]): Promise<DailyActivityDay[]> {
  const passes = keys.length === 0 ? [undefined] : keys.map((k) => k.hash)
  const results = await Promise.all(passes.map((apiKey) => fetchDailyActivity(client, {startDate: range.since, endDate: range.until, apiKey})))
  return results.flatMap((days) => days.filter((d) => d.date >= range.since && d.date <= range.until))
}
