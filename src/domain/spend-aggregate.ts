/**
 * Spend aggregation: per-request log rows or pre-aggregated daily activity → grouped rows and totals.
 * Pure. Money is summed with compensated (Neumaier) summation and rounded to 6 decimals at the end,
 * so totals match a sum of the raw rows to the cent whatever the order or grouping.
 */
import {addDaysYmd, DayKeyer, daysOf} from './spend-range.js'
import {InputError} from '../core/errors.js'
import {roundUsd} from './money.js'

export const GROUP_BY = ['day', 'week', 'month', 'model', 'key', 'user', 'team', 'provider', 'error'] as const
export type GroupBy = (typeof GROUP_BY)[number]

/** Groupings by time: a day, the week (from Monday) or the calendar month it falls in. */
export const TIME_GROUPS: readonly GroupBy[] = ['day', 'week', 'month']

/** The group of a day (`YYYY-MM-DD`): itself, the Monday of its week, or `YYYY-MM`. */
export function periodOf(groupBy: GroupBy, day: string): string {
  if (groupBy === 'month') return day.slice(0, 7)
  if (groupBy === 'week') {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay()
    return addDaysYmd(day, -((dow + 6) % 7))
  }
  return day
}

const GROUP_WORDS: Record<string, GroupBy> = {daily: 'day', weekly: 'week', monthly: 'month'}

export function parseGroupBy(input: string): GroupBy {
  const v = input.trim().toLowerCase()
  if (Object.hasOwn(GROUP_WORDS, v)) return GROUP_WORDS[v]!
  if ((GROUP_BY as readonly string[]).includes(v)) return v as GroupBy
  throw new InputError(`unknown grouping '${input}' for --by: use one of ${GROUP_BY.join(', ')}`, '--by model')
}

/** With --breakdown, each group is split by this second dimension. */
export function breakdownFor(groupBy: GroupBy): GroupBy {
  return groupBy === 'model' ? 'key' : 'model'
}

export interface SpendTotals {
  requests: number
  failed: number
  inputTokens: number
  outputTokens: number
  spend: number
}

export interface SpendGroupRow extends SpendTotals {
  /** Stable id of the group: the day, model, key hash, user, team or provider. */
  group: string
  /** What a person reads: the key's alias instead of its hash, `(none)` for an empty team. */
  label: string
  breakdown?: SpendGroupRow[]
}

/** What aggregation needs from one spend-log row (extracted once by the caller). */
export interface LogFacts {
  /** startTime, epoch ms. */
  ms: number
  model: string | null | undefined
  apiKey: string | null | undefined
  alias: string | null | undefined
  user: string | null | undefined
  team: string | null | undefined
  provider: string | null | undefined
  failed: boolean
  inputTokens: number
  outputTokens: number
  spend: number
  /** A failure's error type (`error_information.error_class`), for grouping by error. */
  errorType?: string | null
}

export interface DailyMetricsLike {
  spend: number
  prompt_tokens: number
  completion_tokens: number
  api_requests: number
  failed_requests: number
}
interface BreakdownEntryLike {
  metrics: DailyMetricsLike
  metadata?: Record<string, unknown> | null
}
/** One day of `/user/daily/activity` (structurally the API's type). */
export interface DailyLike {
  date: string
  metrics: DailyMetricsLike
  breakdown?: {
    models?: Record<string, BreakdownEntryLike>
    model_groups?: Record<string, BreakdownEntryLike>
    providers?: Record<string, BreakdownEntryLike>
    api_keys?: Record<string, BreakdownEntryLike>
  } | null
}

export const MASTER_KEY_LITERAL = 'litellm_proxy_master_key'

/** Neumaier's compensated sum. */
export class ExactSum {
  private s = 0
  private c = 0
  add(x: number): void {
    if (!Number.isFinite(x)) return
    const t = this.s + x
    // Stryker disable next-line EqualityOperator: with |s| = |x| both branches compute the same (s = x, or s = -x and t = 0)
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s
    this.s = t
  }
  get value(): number {
    return this.s + this.c
  }
}

class Acc {
  requests = 0
  failed = 0
  inputTokens = 0
  outputTokens = 0
  readonly spend = new ExactSum()
  sub?: Map<string, Acc>
  label?: string

  addLog(f: LogFacts): void {
    this.requests++
    if (f.failed) this.failed++
    this.inputTokens += f.inputTokens
    this.outputTokens += f.outputTokens
    this.spend.add(f.spend)
  }

  addMetrics(m: DailyMetricsLike): void {
    this.requests += m.api_requests
    this.failed += m.failed_requests
    this.inputTokens += m.prompt_tokens
    this.outputTokens += m.completion_tokens
    this.spend.add(m.spend)
  }

  totals(): SpendTotals {
    return {requests: this.requests, failed: this.failed, inputTokens: this.inputTokens, outputTokens: this.outputTokens, spend: roundUsd(this.spend.value)}
  }
}

/** A short, non-secret name for a key hash (hashes are not secrets, but 64 hex chars fill a column). */
export function spendKeyLabel(hash: string, alias: string | null | undefined, masterKeyHash?: string): string {
  if (alias) return alias
  // Proxies before v1.84 log master-key traffic under the master key's hash, newer ones as a literal.
  if (hash === MASTER_KEY_LITERAL || (masterKeyHash !== undefined && hash === masterKeyHash)) return '(master key)'
  if (hash === '') return '(unknown key)'
  return hash.length > 12 ? `${hash.slice(0, 10)}…` : hash
}

export interface AggregateResult {
  rows: SpendGroupRow[]
  totals: SpendTotals
  /** Spend per day (days with data only); for the chart. */
  daily: Map<string, number>
}

export class SpendAggregator {
  private readonly groups = new Map<string, Acc>()
  private readonly total = new Acc()
  private readonly days = new Map<string, ExactSum>()
  private readonly keyer: DayKeyer

  constructor(
    readonly groupBy: GroupBy,
    readonly breakdownBy: GroupBy | null,
    timezone = 'UTC',
    /** The hash of the master key keyward uses, to name its traffic on older proxies. */
    private readonly masterKeyHash?: string,
  ) {
    this.keyer = new DayKeyer(timezone)
  }

  private acc(map: Map<string, Acc>, id: string, label: string): Acc {
    let a = map.get(id)
    if (!a) {
      a = new Acc()
      a.label = label
      map.set(id, a)
    } else if (label !== a.label && a.label === spendKeyLabel(id, null, this.masterKeyHash)) {
      // A later row knows the key's alias.
      a.label = label
    }
    return a
  }

  private dimension(dim: GroupBy, f: LogFacts, day: string): [string, string] {
    switch (dim) {
      case 'day':
      case 'week':
      case 'month': {
        const p = periodOf(dim, day)
        return [p, p]
      }
      case 'model':
        return f.model ? [f.model, f.model] : ['', '(unknown)']
      case 'key': {
        const hash = f.apiKey ?? ''
        return [hash, spendKeyLabel(hash, f.alias, this.masterKeyHash)]
      }
      case 'user':
        return f.user ? [f.user, f.user] : ['', '(none)']
      case 'team':
        return f.team ? [f.team, f.team] : ['', '(none)']
      case 'provider':
        return f.provider ? [f.provider, f.provider] : ['', '(unknown)']
      case 'error': {
        // Failures per error type and model ("why is OpenClaw failing?").
        const type = f.errorType || (f.failed ? '(no error details)' : '(succeeded)')
        const model = f.model || '(unknown)'
        return [`${type}\u001f${model}`, `${type} · ${model}`]
      }
    }
  }

  private daySum(day: string): ExactSum {
    let s = this.days.get(day)
    if (!s) this.days.set(day, (s = new ExactSum()))
    return s
  }

  /** One spend-log row. */
  addLog(f: LogFacts): void {
    const day = this.keyer.dayOf(f.ms)
    const [id, label] = this.dimension(this.groupBy, f, day)
    const a = this.acc(this.groups, id, label)
    a.addLog(f)
    if (this.breakdownBy) {
      const [sid, slabel] = this.dimension(this.breakdownBy, f, day)
      this.acc((a.sub ??= new Map()), sid, slabel).addLog(f)
    }
    this.total.addLog(f)
    this.daySum(day).add(f.spend)
  }

  /**
   * One day of daily activity (UTC days). Supports grouping by day, model, key and provider, and a
   * per-model breakdown of days; other combinations need the spend logs (see chooseReportSource).
   */
  addDaily(d: DailyLike): void {
    const add = (id: string, label: string, m: DailyMetricsLike): Acc => {
      const a = this.acc(this.groups, id, label)
      a.addMetrics(m)
      return a
    }
    const entries = (
      map: Record<string, BreakdownEntryLike> | undefined,
      fallbackLabel: string,
      labelOf: (id: string, e: BreakdownEntryLike) => string,
    ): void => {
      const list = Object.entries(map ?? {})
      if (list.length === 0) {
        if (d.metrics.api_requests > 0 || d.metrics.spend !== 0) add('', fallbackLabel, d.metrics)
        return
      }
      for (const [id, e] of list) add(id, labelOf(id, e), e.metrics)
    }
    // By the public model name (model_group) where the proxy breaks it down so (LiteLLM 1.108.0 does), like
    // the spend-log path; breakdown.models holds the deployment's model ("openai/gpt-4o-mini").
    const groups = d.breakdown?.model_groups
    const modelMap = groups && Object.keys(groups).length > 0 ? groups : d.breakdown?.models
    switch (this.groupBy) {
      case 'day':
      case 'week':
      case 'month': {
        const p = periodOf(this.groupBy, d.date)
        const a = add(p, p, d.metrics)
        if (this.breakdownBy === 'model') {
          a.sub ??= new Map()
          const models = Object.entries(modelMap ?? {})
          if (models.length === 0 && (d.metrics.api_requests > 0 || d.metrics.spend !== 0)) this.acc(a.sub, '', '(unknown)').addMetrics(d.metrics)
          for (const [model, e] of models) this.acc(a.sub, model, model || '(unknown)').addMetrics(e.metrics)
        }
        break
      }
      case 'model':
        entries(modelMap, '(unknown)', (id) => id || '(unknown)')
        break
      case 'provider':
        entries(d.breakdown?.providers, '(unknown)', (id) => id || '(unknown)')
        break
      case 'key':
        entries(d.breakdown?.api_keys, '(unknown key)', (id, e) => spendKeyLabel(id, typeof e.metadata?.key_alias === 'string' ? e.metadata.key_alias : null, this.masterKeyHash))
        break
      default:
        throw new Error(`daily activity cannot group by ${this.groupBy}`)
    }
    this.total.addMetrics(d.metrics)
    this.daySum(d.date).add(d.metrics.spend)
  }

  result(): AggregateResult {
    const rows = sortRows(this.groupBy, [...this.groups].map(([id, a]) => toRow(id, a, this.breakdownBy)))
    const daily = new Map([...this.days].sort(([a], [b]) => byText(a, b)).map(([d, s]) => [d, roundUsd(s.value)]))
    return {rows, totals: this.total.totals(), daily}
  }
}

function toRow(id: string, a: Acc, breakdownBy: GroupBy | null): SpendGroupRow {
  const row: SpendGroupRow = {group: id, label: a.label ?? id, ...a.totals()}
  if (breakdownBy) row.breakdown = sortRows(breakdownBy, [...(a.sub ?? new Map<string, Acc>())].map(([sid, s]) => toRow(sid, s, null)))
  return row
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Days in order; everything else by spend, largest first, then by name, then by id (two keys may share an
 * alias): the same rows give the same order whatever order the proxy sent them in.
 */
export function sortRows(groupBy: GroupBy, rows: SpendGroupRow[]): SpendGroupRow[] {
  if (TIME_GROUPS.includes(groupBy)) return rows.sort((a, b) => byText(a.group, b.group))
  return rows.sort((a, b) => b.spend - a.spend || byText(a.label, b.label) || byText(a.group, b.group))
}

/** Spend for every day of the range, zero where nothing was spent (for the chart). */
export function dailySeries(daily: Map<string, number>, since: string, until: string): Array<{day: string; spend: number}> {
  return daysOf(since, until).map((day) => ({day, spend: daily.get(day) ?? 0}))
}

export type SpendSourceKind = 'daily-activity' | 'spend-logs-v2' | 'spend-logs-ui' | 'spend-logs-legacy'

export interface AvailableSources {
  dailyActivity: boolean
  spendLogsV2: boolean
  spendLogsUi: boolean
  legacySpendLogs: boolean
}

/** What the reader needs: one row per request (`spend logs`), or totals grouped one way (`spend report`). */
export type SpendNeed = {rows: true} | {groupBy: GroupBy; breakdown: boolean; timezone: string}

/**
 * Where the numbers come from. Daily activity is pre-aggregated and fast, but it has no rows, its days
 * are UTC and it has no per-user or per-team breakdown: those, a non-UTC --tz, and breakdowns other
 * than day→model go through the spend logs. The legacy /spend/logs is the last resort.
 */
export function chooseSpendSource(s: AvailableSources, q: SpendNeed): SpendSourceKind | undefined {
  const dailyOk = !('rows' in q) && s.dailyActivity && q.timezone === 'UTC' && ['day', 'week', 'month', 'model', 'key', 'provider'].includes(q.groupBy) && (!q.breakdown || TIME_GROUPS.includes(q.groupBy))
  if (dailyOk) return 'daily-activity'
  if (s.spendLogsV2) return 'spend-logs-v2'
  if (s.spendLogsUi) return 'spend-logs-ui'
  if (s.legacySpendLogs) return 'spend-logs-legacy'
  return undefined
}
