/** The --json result of `budget check`, with a record per notification sent, failed or planned. */
import type {AlertEvent, KeyCheck, ProblemKind} from '../domain/alerts.js'

export type NotificationStatus = 'sent' | 'failed' | 'would-send' | 'skipped'

export interface NotificationRecord {
  key: string
  hash: string | null
  event: AlertEvent
  threshold: number | null
  problem: ProblemKind | null
  /** The destination with its secret path removed, e.g. `slack https://hooks.slack.com/…`. */
  target: string
  format: 'slack' | 'discord' | 'generic'
  status: NotificationStatus
  attempts: number
  error: string | null
  /** The plain-text message. */
  message: string
}

export interface BudgetCheckResult {
  checkedAt: string
  thresholds: number[]
  forecast: boolean
  dryRun: boolean
  /** The alert state file, or the Redis URL without its password (--state redis://…), when notifications were configured. */
  stateFile: string | null
  keys: KeyCheck[]
  /** Keys named with --key that were not checked (e.g. no budget). */
  skipped: Array<{key: string; reason: string}>
  notifications: NotificationRecord[]
  summary: {
    keys: number
    ok: number
    threshold: number
    forecast: number
    resetsDaily: number
    exhausted: number
    noBudget: number
    problems: number
    deliveryFailures: number
  }
  exitCode: number
}
