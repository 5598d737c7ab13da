/** Spend endpoints (litellm-api.md §8-§9). */
import type {LiteLLMClient} from './client.js'
import {DailyActivitySchema, type DailyActivity} from './schemas.js'

export type DailyActivityDay = DailyActivity['results'][number]

export interface DailyActivityQuery {
  /** Inclusive UTC dates, `YYYY-MM-DD`. */
  startDate: string
  endDate: string
  /** Key hash (never a raw key). */
  apiKey?: string
  model?: string
}

/** `GET /user/daily/activity`, every page (`page_size` 1000, while `has_more`). */
export async function fetchDailyActivity(client: LiteLLMClient, q: DailyActivityQuery): Promise<DailyActivityDay[]> {
  const days: DailyActivityDay[] = []
  for (let page = 1; page <= 10_000; page++) {
    const res = await client.get(
      '/user/daily/activity',
      {start_date: q.startDate, end_date: q.endDate, api_key: q.apiKey, model: q.model, page, page_size: 1000},
      DailyActivitySchema,
    )
    days.push(...res.results)
    const meta = res.metadata
    const more = meta?.has_more ?? (meta?.total_pages !== undefined && meta?.total_pages !== null ? page < meta.total_pages : false)
    if (!more || res.results.length === 0) break
  }
  return days
}
