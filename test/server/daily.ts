// GET /user/daily/activity (§9): per-day totals from a lazily built, per-day cache of aggregate cells.
import type {Ctx, Route} from './context.js'
import {HttpError, intParam, json, wrappedError} from './http.js'
import {toMicros} from './spend-data.js'
import type {SpendIndex} from './spend-query.js'
import {DAY_MS, dayKey, parseDate} from './time.js'
import type {Reply} from './types.js'

/**
 * One `LiteLLM_DailyUserSpend`-like record: (date, api_key, model, provider). Spend is kept in integer
 * micro-dollars so every total is an exact sum of the rows, whatever the grouping or order.
 */
interface Cell {
  date: string
  api_key: string
  key_alias: string | null
  team_id: string | null
  model: string
  model_group: string
  provider: string
  micros: number
  prompt: number
  completion: number
  total: number
  requests: number
  ok: number
  failed: number
}

type Counters = Pick<Cell, 'micros' | 'prompt' | 'completion' | 'total' | 'requests' | 'ok' | 'failed'>

const zero = (): Counters => ({micros: 0, prompt: 0, completion: 0, total: 0, requests: 0, ok: 0, failed: 0})

function add(into: Counters, c: Counters): void {
  into.micros += c.micros
  into.prompt += c.prompt
  into.completion += c.completion
  into.total += c.total
  into.requests += c.requests
  into.ok += c.ok
  into.failed += c.failed
}

/** `SpendMetrics`. */
const metrics = (c: Counters) => ({
  spend: c.micros / 1e6,
  prompt_tokens: c.prompt,
  completion_tokens: c.completion,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
  total_tokens: c.total,
  api_requests: c.requests,
  successful_requests: c.ok,
  failed_requests: c.failed,
})

export class DailyAggregator {
  private readonly days = new Map<number, Cell[]>()

  constructor(private readonly index: SpendIndex) {}

  /** Cells of one UTC day, computed in one pass over that day's rows and cached (the dataset is immutable). */
  cells(dayMs: number): Cell[] {
    const cached = this.days.get(dayMs)
    if (cached) return cached
    const [lo, hi] = this.index.range(dayMs, dayMs + DAY_MS)
    const byKey = new Map<string, Cell>()
    const date = dayKey(dayMs)
    for (let i = lo; i < hi; i++) {
      const r = this.index.ds.rowAt(i)
      const id = `${r.api_key}\u0000${r.model}\u0000${r.custom_llm_provider}`
      let cell = byKey.get(id)
      if (!cell) {
        cell = {
          date,
          api_key: r.api_key,
          key_alias: r.metadata.user_api_key_alias,
          team_id: r.metadata.user_api_key_team_id,
          model: r.model,
          model_group: r.model_group,
          provider: r.custom_llm_provider,
          ...zero(),
        }
        byKey.set(id, cell)
      }
      const failed = r.status === 'failure'
      add(
        cell,
        {
          micros: toMicros(r.spend),
          prompt: r.prompt_tokens,
          completion: r.completion_tokens,
          total: r.total_tokens,
          requests: 1,
          ok: failed ? 0 : 1,
          failed: failed ? 1 : 0,
        },
      )
    }
    const cells = [...byKey.values()].sort((a, b) => (a.api_key + a.model < b.api_key + b.model ? -1 : 1))
    this.days.set(dayMs, cells)
    return cells
  }
}

type Entry = {counters: Counters; metadata: Record<string, unknown>}

function bump(group: Map<string, Entry>, key: string, cell: Cell, metadata: Record<string, unknown>): void {
  let e = group.get(key)
  if (!e) group.set(key, (e = {counters: zero(), metadata}))
  add(e.counters, cell)
}

const render = (group: Map<string, Entry>) => Object.fromEntries([...group].map(([k, e]) => [k, {metrics: metrics(e.counters), metadata: e.metadata}]))

/** Groups one page of cells per date, with the `BreakdownMetrics` of each date. */
function resultsOf(cells: Cell[]) {
  type Day = {c: Counters; models: Map<string, Entry>; groups: Map<string, Entry>; providers: Map<string, Entry>; keys: Map<string, Entry>}
  const byDate = new Map<string, Day>()
  for (const cell of cells) {
    let d = byDate.get(cell.date)
    if (!d) byDate.set(cell.date, (d = {c: zero(), models: new Map(), groups: new Map(), providers: new Map(), keys: new Map()}))
    add(d.c, cell)
    bump(d.models, cell.model, cell, {})
    bump(d.groups, cell.model_group, cell, {})
    bump(d.providers, cell.provider, cell, {})
    bump(d.keys, cell.api_key, cell, {key_alias: cell.key_alias, team_id: cell.team_id})
  }
  return [...byDate].map(([date, d]) => ({
    date,
    metrics: metrics(d.c),
    breakdown: {
      models: render(d.models),
      model_groups: render(d.groups),
      providers: render(d.providers),
      api_keys: render(d.keys),
      mcp_servers: {},
      endpoints: {},
      entities: {},
    },
  }))
}

function dateParam(q: URLSearchParams, name: string): number {
  const raw = q.get(name)!
  const ms = parseDate(raw)
  if (ms === undefined) throw new HttpError(wrappedError(500, `Failed to fetch analytics: time data '${raw}' does not match format '%Y-%m-%d'`))
  return ms
}

/**
 * Like LiteLLM, pagination is over the underlying daily records (date desc), not over dates: one date can
 * span two pages, and `metadata.total_*` sums the records of THIS page. Page while `has_more` and merge.
 * `user_id` and `timezone` are accepted and ignored (UTC only).
 */
function dailyActivity(ctx: Ctx): Reply {
  const q = ctx.query
  if (!q.get('start_date') || !q.get('end_date')) throw new HttpError(wrappedError(400, 'Please provide start_date and end_date'))
  const from = dateParam(q, 'start_date')
  const to = dateParam(q, 'end_date')
  const page = intParam(q, 'page', 1, 1)
  const pageSize = intParam(q, 'page_size', 50, 1, 1000)
  const apiKey = q.get('api_key') || undefined
  const model = q.get('model') || undefined
  const all: Cell[] = []
  for (let day = to; day >= from; day -= DAY_MS) {
    for (const c of ctx.state.daily.cells(day)) {
      if ((apiKey === undefined || c.api_key === apiKey) && (model === undefined || c.model === model)) all.push(c)
    }
  }
  const pageCells = all.slice((page - 1) * pageSize, page * pageSize)
  const t = zero()
  for (const c of pageCells) add(t, c)
  const totalPages = Math.ceil(all.length / pageSize)
  return json({
    results: resultsOf(pageCells),
    metadata: {
      total_spend: t.micros / 1e6,
      total_prompt_tokens: t.prompt,
      total_completion_tokens: t.completion,
      total_tokens: t.total,
      total_api_requests: t.requests,
      total_successful_requests: t.ok,
      total_failed_requests: t.failed,
      total_cache_read_input_tokens: 0,
      total_cache_creation_input_tokens: 0,
      page,
      total_pages: totalPages,
      has_more: page * pageSize < all.length,
    },
  })
}

export const dailyRoutes: Route[] = [
  {method: 'GET', path: '/user/daily/activity', access: 'admin', enabled: (s) => s.features.dailyActivity, handler: dailyActivity},
]
