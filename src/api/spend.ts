/** Spend endpoints (litellm-api.md §8-§9). */
import type {LiteLLMClient} from './client.js'
import {DailyActivitySchema, type DailyActivity, type Metrics} from './schemas.js'

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
    const prev = out[k]
    out[k] = prev ? {metrics: addMetrics(prev.metrics, v.metrics), metadata: {...prev.metadata, ...v.metadata}} : v
  }
  return out
}

/** Pages are cut by (date, key, model) records, so one date may arrive in pieces: merge them. */
function mergeDay(a: DailyActivityDay, b: DailyActivityDay): DailyActivityDay {
  const ba: Breakdown = a.breakdown ?? {models: {}, providers: {}, api_keys: {}}
  const bb: Breakdown = b.breakdown ?? {models: {}, providers: {}, api_keys: {}}
  return {
    date: a.date,
    metrics: addMetrics(a.metrics, b.metrics),
    breakdown: {models: mergeMaps(ba.models, bb.models), providers: mergeMaps(ba.providers, bb.providers), api_keys: mergeMaps(ba.api_keys, bb.api_keys)},
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
