// Public and shared types of the LiteLLM-compatible test server.
import type {IncomingHttpHeaders} from 'node:http'

export type Flavor = 'new' | 'old'

export interface Features {
  spendLogsV2: boolean
  spendLogsUi: boolean
  dailyActivity: boolean
  legacySpendLogs: boolean
  regenerate: boolean
  modelInfo: boolean
  /**
   * `general_settings.disable_custom_api_keys` (1.108; a UI setting on 1.94): a `key` on /key/generate or a
   * `new_key` on regenerate is refused with 403 before anything is written; keys get proxy-generated secrets.
   */
  disableCustomApiKeys: boolean
}

/** A budget row linked to a key (`LiteLLM_BudgetTable`, §3: soft_budget lives here, not on the key). */
export interface BudgetTable {
  budget_id: string
  soft_budget: number | null
  max_budget: number | null
  budget_duration: string | null
  tpm_limit: number | null
  rpm_limit: number | null
}

/** A `LiteLLM_VerificationToken` row (§5). */
export interface KeyRow {
  token: string
  key_name: string | null
  key_alias: string | null
  spend: number
  max_budget: number | null
  budget_duration: string | null
  budget_reset_at: string | null
  expires: string | null
  blocked: boolean | null
  models: string[]
  metadata: Record<string, unknown>
  rpm_limit: number | null
  tpm_limit: number | null
  max_parallel_requests: number | null
  team_id: string | null
  user_id: string | null
  budget_id: string | null
  litellm_budget_table: BudgetTable | null
  model_spend: Record<string, number>
  model_max_budget: Record<string, unknown>
  aliases: Record<string, unknown>
  config: Record<string, unknown>
  permissions: Record<string, unknown>
  allowed_cache_controls: unknown[]
  soft_budget_cooldown: boolean
  /** Several budget windows (new flavour only), each with its reset, as LiteLLM 1.108.0 stores them. */
  budget_limits?: Array<{budget_duration: string; max_budget: number; reset_at?: string}> | null
  /** Test control: spend in each window (what budget_limits_usage reports). */
  window_spend?: Record<string, number>
  created_at: string
  updated_at: string
  created_by: string | null
  updated_by: string | null
}

export interface SpendLogMetadata {
  user_api_key: string
  user_api_key_alias: string | null
  user_api_key_team_id: string | null
  user_api_key_user_id: string | null
  spend_logs_metadata: Record<string, unknown> | null
  error_information?: {error_class: string; error_message: string; error_code: string; llm_provider: string; traceback?: string}
  [extra: string]: unknown
}

/** A `LiteLLM_SpendLogs` row (§8). */
export interface SpendLogRow {
  request_id: string
  call_type: string
  api_key: string
  spend: number
  total_tokens: number
  prompt_tokens: number
  completion_tokens: number
  startTime: string
  endTime: string
  model: string
  model_group: string
  api_base: string
  custom_llm_provider: string
  user: string
  end_user: string
  team_id: string | null
  request_tags: string[]
  cache_hit: 'True' | 'False' | 'None'
  cache_key: string
  status: 'success' | 'failure'
  requester_ip_address: string | null
  metadata: SpendLogMetadata
  /** `{}` unless the proxy stores prompts (`store_prompts_in_spend_logs`): then the request's messages. */
  messages: Record<string, unknown> | unknown[]
  response: Record<string, unknown>
  proxy_server_request: Record<string, unknown>
  /** First streamed chunk (LiteLLM sets it to endTime for non-streamed requests), or null. */
  completionStartTime: string | null
  request_duration_ms: number | null
  litellm_call_id: string | null
  session_id: string | null
}

/** A seeded row: `startTime` is required, everything else gets a default. */
export type SpendLogSeedRow = Partial<Omit<SpendLogRow, 'metadata' | 'startTime'>> & {
  startTime: string | Date
  metadata?: Partial<SpendLogMetadata>
}

export interface GenerateKeySpec {
  alias: string
  key?: string
  hash?: string
  team_id?: string
}

export interface GenerateLogsOptions {
  count: number
  start: Date
  end: Date
  keys?: GenerateKeySpec[]
  seed?: number
}

export type LogsOption = {rows?: SpendLogSeedRow[]} | {generate: GenerateLogsOptions}

export interface TestServerOptions {
  flavor?: Flavor
  masterKey?: string
  host?: string
  port?: number
  now?: () => Date
  /** `litellm_settings.timezone`; only 'UTC' is supported. */
  timezone?: string
  features?: Partial<Features>
  /** The LiteLLM version the server reports (default 1.96.0 for 'new', 1.60.2 for 'old'). */
  version?: string
  logs?: LogsOption
  /** Called once per request with a one-line summary (the CLI logs these to stderr). */
  log?: (line: string) => void
}

export type FaultKind =
  | 'status503'
  | 'status502'
  | 'status504'
  | 'status429'
  | 'status403'
  | 'html'
  | 'truncated'
  | 'reset'
  | 'slow'
  | 'nonjson'

export interface Fault {
  method?: string
  path: string | RegExp
  kind: FaultKind
  times?: number
  retryAfter?: number
  delayMs?: number
  after?: boolean
  skip?: number
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  headers: Record<string, string | string[] | undefined>
}

export type AddKeyInput = Partial<KeyRow> & {key?: string; key_alias?: string; soft_budget?: number | null}

export interface OrgInput {
  max_budget?: number | null
  soft_budget?: number | null
  budget_duration?: string | null
  spend?: number
  models?: string[]
  blocked?: boolean
}

export interface TestServer {
  url: string
  masterKey: string
  flavor: Flavor
  close(): Promise<void>
  setNow(d: Date | (() => Date)): void
  addKey(k: AddKeyInput): {key: string; token: string}
  setSpend(aliasOrKeyOrHash: string, spend: number): void
  keys(): KeyRow[]
  /** A team (as /team/new makes it) with budget fields and a starting spend. */
  addTeam(t: OrgInput & {team_id: string; team_alias?: string}): void
  addUser(u: OrgInput & {user_id: string; user_alias?: string; user_email?: string}): void
  setTeamSpend(teamId: string, spend: number): void
  /** Spend in one budget window of a key (budget_limits_usage). */
  setWindowSpend(aliasOrKeyOrHash: string, duration: string, spend: number): void
  setUserSpend(userId: string, spend: number): void
  /** Delete every key: the proxy as freshly started (spend logs stay). */
  forgetKeys(): void
  requests: RecordedRequest[]
  fault(f: Fault): void
  clearFaults(): void
  spendRows(): Iterable<SpendLogRow>
  /** Log more requests, as the proxy's batch writer does while clients poll (seeded datasets only). */
  appendSpendLogs(rows: SpendLogSeedRow[]): void
}

/** What a route handler produces; the server writes it (or replaces it with an `after` fault). */
export interface Reply {
  status: number
  /** JSON body (serialised by the server); ignored when `text` is set. */
  json?: unknown
  text?: string
  contentType?: string
  headers?: Record<string, string>
}

export type {IncomingHttpHeaders}
