/**
 * The --json results of debugging commands: `spend logs show` (one request in full) and the lines of
 * `spend logs --follow` (one object per line).
 */
import type {RequestDetails} from '../domain/spend-request.js'

export interface ShowRequestResult {
  /** Which endpoint found the row: the legacy /spend/logs lookup by id, or a paged endpoint with a window. */
  via: 'spend-logs-legacy' | 'spend-logs-v2' | 'spend-logs-ui'
  /** Requests sent to the proxy's spend-log endpoints to find it. */
  spendLogRequests: number
  request: RequestDetails
}

/** One request seen by `spend logs --follow --json`. */
export interface FollowRequestLine {
  event: 'request'
  request_id: string
  startTime: string
  key_alias: string | null
  api_key: string | null
  model: string | null
  prompt_tokens: number
  completion_tokens: number
  spend: number
  status: string
  error_type: string | null
  error_message: string | null
  status_code: string | null
  /** Spend of the requests seen since --follow started. */
  total_spend: number
  /** With one --key: its spend as of now (the spend when following began plus what was seen) and its budget. */
  key_spend: number | null
  max_budget: number | null
}

/** The last line of `spend logs --follow --json`, after Ctrl-C. */
export interface FollowTotalLine {
  event: 'total'
  requests: number
  total_spend: number
  key_spend: number | null
  max_budget: number | null
  seconds: number
}
