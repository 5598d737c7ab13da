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
import {addDaysYmd, dayInZone, formatSpendDateTime} from '../domain/spend-range.js'
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
  // The proxy's end is inclusive to the second: ask up to the next midnight; the caller drops that instant.
  const query = {
    startDate: formatSpendDateTime(q.range.startMs),
    endDate: formatSpendDateTime(q.range.endMs),
    apiKey,
    model: q.models?.length === 1 ? q.models[0] : undefined,
    status: q.status,
  }
  for await (const page of pageSpendLogs(client, endpoint, query, {signal: q.signal})) yield page.rows
}

/** Daily activity of the range (inclusive UTC dates), one pass per --key (or one for every key). */
export async function readDailyActivity(client: LiteLLMClient, range: {since: string; until: string}, keys: readonly KeyFilter[]): Promise<DailyActivityDay[]> {
  const passes = keys.length === 0 ? [undefined] : keys.map((k) => k.hash)
  const results = await Promise.all(passes.map((apiKey) => fetchDailyActivity(client, {startDate: range.since, endDate: range.until, apiKey})))
  return results.flatMap((days) => days.filter((d) => d.date >= range.since && d.date <= range.until))
}
