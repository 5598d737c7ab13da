/** Spend endpoints (litellm-api.md §8-§9). */
import type {LiteLLMClient} from './client.js'
import {validate} from './client.js'
import {KeywardError, isKeywardError} from '../core/errors.js'
import {looksLikeHash, toKeyHash} from './hash.js'
import {detectFeatures} from './health.js'
import {resolveKey} from './keys.js'
import type {KeyRow} from '../core/wire.js'
import {DailyActivitySchema, SpendLogsPageSchema, type DailyActivity, type Metrics} from '../core/wire-spend.js'
import {ownValue, setOwn} from '../core/own.js'

export type DailyActivityDay = DailyActivity['results'][number]
type Breakdown = NonNullable<DailyActivityDay['breakdown']>
type BreakdownMap = Breakdown['models']

export interface DailyActivityQuery {
  /** Inclusive UTC dates, `YYYY-MM-DD`. */
  startDate: string
  endDate: string
  /** Key hash (never a raw key). */
  apiKey?: string
  model?: string
}

function addMetrics(a: Metrics, b: Metrics): Metrics {
  return {
    spend: a.spend + b.spend,
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    api_requests: a.api_requests + b.api_requests,
    successful_requests: a.successful_requests + b.successful_requests,
    failed_requests: a.failed_requests + b.failed_requests,
  }
}

function mergeMaps(a: BreakdownMap, b: BreakdownMap): BreakdownMap {
  const out: BreakdownMap = {...a}
  for (const [k, v] of Object.entries(b)) {
    const prev = ownValue(out, k)
    setOwn(out, k, prev ? {metrics: addMetrics(prev.metrics, v.metrics), metadata: {...prev.metadata, ...v.metadata}} : v)
  }
  return out
}

/** Pages are cut by (date, key, model) records, so one date may arrive in pieces: merge them. */
function mergeDay(a: DailyActivityDay, b: DailyActivityDay): DailyActivityDay {
  const ba: Breakdown = a.breakdown ?? {models: {}, model_groups: {}, providers: {}, api_keys: {}}
  const bb: Breakdown = b.breakdown ?? {models: {}, model_groups: {}, providers: {}, api_keys: {}}
  return {
    date: a.date,
    metrics: addMetrics(a.metrics, b.metrics),
    breakdown: {
      models: mergeMaps(ba.models, bb.models),
      model_groups: mergeMaps(ba.model_groups, bb.model_groups),
      providers: mergeMaps(ba.providers, bb.providers),
      api_keys: mergeMaps(ba.api_keys, bb.api_keys),
    },
  }
}

/**
 * `GET /user/daily/activity`, every page (`page_size` 1000, while `has_more`), one entry per date in
 * ascending date order.
 */
export async function fetchDailyActivity(client: LiteLLMClient, q: DailyActivityQuery): Promise<DailyActivityDay[]> {
  const byDate = new Map<string, DailyActivityDay>()
  for (let page = 1; page <= 10_000; page++) {
    const res = await client.get(
      '/user/daily/activity',
      {start_date: q.startDate, end_date: q.endDate, api_key: q.apiKey, model: q.model, page, page_size: 1000},
      DailyActivitySchema,
    )
    for (const day of res.results) {
      const prev = byDate.get(day.date)
      byDate.set(day.date, prev ? mergeDay(prev, day) : day)
    }
    const meta = res.metadata
    const more = meta?.has_more ?? (meta?.total_pages !== undefined && meta?.total_pages !== null ? page < meta.total_pages : false)
    if (!more || res.results.length === 0) break
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date))
}

// ---------------------------------------------------------------------------------------------------
// Which spend endpoints the proxy has

export type SpendLogEndpoint = '/spend/logs/v2' | '/spend/logs/ui'

export interface SpendSources {
  dailyActivity: boolean
  spendLogsV2: boolean
  spendLogsUi: boolean
  legacySpendLogs: boolean
  /** From the proxy's /openapi.json, or by probing the endpoints when it has none. */
  detectedBy: 'openapi' | 'probe'
}

/** Answers that mean "this endpoint is not there (or not usable)"; anything else (auth, network) is real. */
function isAbsent(error: unknown): boolean {
  return isKeywardError(error) && ['not_found', 'validation', 'server', 'enterprise_only', 'schema', 'not_litellm'].includes(error.kind)
}

async function probe(client: LiteLLMClient, path: string, query: Record<string, string | number>): Promise<boolean> {
  try {
    await client.request('GET', path, {query, retry: false})
    return true
  } catch (error) {
    if (isAbsent(error)) return false
    throw error
  }
}

/**
 * What the proxy offers for spend data: read from /openapi.json; when the proxy does not serve it,
 * each endpoint is probed with an empty one-day query. `today` is `YYYY-MM-DD`.
 */
export async function detectSpendSources(client: LiteLLMClient, today: string, needs: {dailyActivity?: boolean} = {}): Promise<SpendSources> {
  // A proxy whose /openapi.json is missing, broken (500) or replaced by a page is probed instead; auth
  // and network failures are real and stop here.
  const f = await detectFeatures(client).catch((error: unknown) => {
    if (isAbsent(error)) return {source: 'unknown' as const}
    throw error
  })
  const day = `${today} 00:00:00`
  if (f.source === 'openapi') {
    const legacy = f.spendLogsV2 || f.spendLogsUi ? true : await probe(client, '/spend/logs', {start_date: today, end_date: today})
    return {dailyActivity: f.dailyActivity, spendLogsV2: f.spendLogsV2, spendLogsUi: f.spendLogsUi, legacySpendLogs: legacy, detectedBy: 'openapi'}
  }
  const dailyActivity = needs.dailyActivity === false ? false : await probe(client, '/user/daily/activity', {start_date: today, end_date: today, page_size: 1})
  const spendLogsV2 = await probe(client, '/spend/logs/v2', {start_date: day, end_date: day, page_size: 1})
  const spendLogsUi = spendLogsV2 ? false : await probe(client, '/spend/logs/ui', {start_date: day, end_date: day, page_size: 1})
  const legacySpendLogs = spendLogsV2 || spendLogsUi ? true : await probe(client, '/spend/logs', {start_date: today, end_date: today})
  return {dailyActivity, spendLogsV2, spendLogsUi, legacySpendLogs, detectedBy: 'probe'}
}

// ---------------------------------------------------------------------------------------------------
// Key filters

export interface KeyFilter {
  /** How the user named the key (a raw key is never kept or printed). */
  via: 'alias' | 'key' | 'hash'
  hash: string
  alias: string | null
  /** The key's row, when the proxy still has the key (spend logs outlive deleted keys). */
  row: KeyRow | null
}

/**
 * Resolve `--key` values: aliases through /key/list (unknown alias → not found, exit 4), `sk-` keys
 * hashed locally before anything is sent, hashes as they are. A key or hash the proxy no longer knows
 * still filters the logs (they keep the hash), with a warning.
 */
export async function resolveKeyFilters(client: LiteLLMClient, refs: readonly string[], warn: (line: string) => void = () => {}): Promise<KeyFilter[]> {
  const out: KeyFilter[] = []
  for (const ref of refs) {
    const direct = ref.startsWith('sk-') || looksLikeHash(ref)
    try {
      const r = await resolveKey(client, ref)
      out.push({via: r.via, hash: r.hash, alias: r.row.key_alias ?? null, row: r.row})
    } catch (error) {
      if (direct && isKeywardError(error) && error.kind === 'not_found') {
        const hash = toKeyHash(ref)
        warn(`the proxy has no key with hash ${hash.slice(0, 12)}…; filtering the spend logs by that hash anyway`)
        out.push({via: ref.startsWith('sk-') ? 'key' : 'hash', hash, alias: null, row: null})
        continue
      }
      throw error
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// Paged spend logs

export interface SpendLogsQuery {
  /** `YYYY-MM-DD HH:MM:SS`, UTC, inclusive (as the proxy reads it). */
  startDate: string
  endDate: string
  /** Key hash. */
  apiKey?: string
  model?: string
  status?: 'success' | 'failure'
}

export interface SpendLogsPage {
  rows: Array<Record<string, unknown> & {startTime: string}>
  page: number
  pageSize: number
  /** The proxy said its `total` is capped (v1.93+): only an empty page ends the data. */
  totalIsCapped: boolean
}

export interface PageOptions {
  signal?: AbortSignal
  /** Told which page size / sort order the proxy accepted. */
  onNegotiated?: (info: {pageSize: number; sorted: boolean}) => void
}

/** Cheap per-row check (zod per row would cost more than writing the CSV): an object with a string startTime. */
function checkRows(data: unknown[], endpoint: string, page: number): SpendLogsPage['rows'] {
  for (let i = 0; i < data.length; i++) {
    const r = data[i] as {startTime?: unknown} | null
    if (r === null || typeof r !== 'object' || typeof r.startTime !== 'string') {
      throw new KeywardError('schema', `unexpected answer from ${endpoint}: page ${page}, row ${i + 1} has no startTime`, {
        endpoint,
        suggestions: ['Is this a LiteLLM proxy, and a supported version? Run: keyward status'],
      })
    }
  }
  return data as SpendLogsPage['rows']
}

/**
 * Every page of `/spend/logs/v2` (or `/spend/logs/ui`) for a range, oldest first when the proxy sorts.
 * Asks for 1000 rows a page and falls back to 100 when the proxy refuses (422); drops `sort_order` if
 * the proxy rejects it. Pages until one comes back empty (a capped `total` is not trusted). The next
 * page is requested while the caller handles the current one.
 */
export async function* pageSpendLogs(
  client: LiteLLMClient,
  endpoint: SpendLogEndpoint,
  q: SpendLogsQuery,
  opts: PageOptions = {},
): AsyncGenerator<SpendLogsPage> {
  const base = {start_date: q.startDate, end_date: q.endDate, api_key: q.apiKey, model: q.model, status_filter: q.status}
  const ep = `GET ${endpoint}`
  const fetchPage = async (page: number, pageSize: number, sorted: boolean): Promise<SpendLogsPage> => {
    const res = await client.request('GET', endpoint, {
      query: {...base, page, page_size: pageSize, ...(sorted ? {sort_by: 'startTime', sort_order: 'asc'} : {})},
      signal: opts.signal,
    })
    const env = validate(SpendLogsPageSchema, res.body, ep)
    return {rows: checkRows(env.data, ep, page), page, pageSize, totalIsCapped: env.total_is_capped === true}
  }
  // Negotiate on page 1: the largest page the proxy accepts, sorted if it can.
  const ladder: Array<[number, boolean]> = [
    [1000, true],
    [100, true],
    [1000, false],
    [100, false],
  ]
  let first: SpendLogsPage | undefined
  let pageSize = 1000
  let sorted = true
  for (const [size, sort] of ladder) {
    try {
      first = await fetchPage(1, size, sort)
      pageSize = size
      sorted = sort
      break
    } catch (error) {
      if (isKeywardError(error) && error.kind === 'validation' && (error.status === 422 || error.status === 400)) continue
      throw error
    }
  }
  if (!first) throw new KeywardError('validation', `${ep} refused every page size (1000, 100)`, {endpoint: ep})
  opts.onNegotiated?.({pageSize, sorted})
  let current = first
  for (let page = 1; page < 10_000_000; page++) {
    if (current.rows.length === 0) return
    const next = fetchPage(page + 1, pageSize, sorted)
    next.catch(() => {}) // handled when awaited; avoids an unhandled rejection if the caller stops early
    yield current
    current = await next
  }
}

/**
 * The legacy `/spend/logs` with dates (deprecated): the end day is excluded and the key is compared as
 * sent, so pass `endDayExclusive` and a hash. Unpaginated; newer proxies may truncate and say so.
 */
export async function fetchLegacySpendLogs(client: LiteLLMClient, q: {startDay: string; endDayExclusive: string; apiKey?: string}, signal?: AbortSignal): Promise<{rows: SpendLogsPage['rows']; truncated: boolean}> {
  const ep = 'GET /spend/logs'
  const res = await client.request('GET', '/spend/logs', {query: {start_date: q.startDay, end_date: q.endDayExclusive, api_key: q.apiKey, summarize: 'false'}, signal})
  if (!Array.isArray(res.body)) {
    throw new KeywardError('schema', `unexpected answer from ${ep}: expected a list of rows`, {endpoint: ep})
  }
  const flag = res.headers['x-litellm-spend-logs-truncated']
  const truncated = String(Array.isArray(flag) ? flag[0] : (flag ?? '')).toLowerCase() === 'true'
  return {rows: checkRows(res.body, ep, 1), truncated}
}
