/**
 * `spend logs --follow`: one line per request (time, key, model, tokens, spend, status) with the running
 * total, and the JSON object per line of --json. Strings from the proxy are sanitised in the text form.
 */
import type {FollowRequestLine, FollowTotalLine} from '../contracts/spend-debug.js'
import {LOG_COLUMNS, type SpendLogRecord} from '../domain/spend-export.js'
import {errorOf} from '../domain/spend-request.js'
import {formatDateTimeSeconds, formatInt, formatUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'

export interface FollowTotals {
  totalSpend: number
  /** The key's spend when following began (one --key), else null. */
  keySpendAtStart: number | null
  maxBudget: number | null
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0)

export function followLine(r: SpendLogRecord, runningTotal: number, t: FollowTotals): FollowRequestLine {
  const e = errorOf(r)
  return {
    event: 'request',
    request_id: String(r.request_id ?? ''),
    startTime: r.startTime,
    key_alias: LOG_COLUMNS.key_alias!(r) as string | null,
    api_key: LOG_COLUMNS.api_key!(r) as string | null,
    model: (LOG_COLUMNS.model_group!(r) as string | null) || (LOG_COLUMNS.model!(r) as string | null),
    prompt_tokens: num(r.prompt_tokens),
    completion_tokens: num(r.completion_tokens),
    spend: num(r.spend),
    status: typeof r.status === 'string' && r.status !== '' ? r.status : 'success',
    error_type: e?.type ?? null,
    error_message: e?.message ?? null,
    status_code: e?.statusCode ?? null,
    total_spend: Math.round(runningTotal * 1e6) / 1e6,
    key_spend: t.keySpendAtStart === null ? null : Math.round((t.keySpendAtStart + runningTotal) * 1e6) / 1e6,
    max_budget: t.maxBudget,
  }
}

const cell = (s: string | null, width: number): string => {
  const clean = sanitizeForTerminal(s ?? '-')
  const chars = [...clean]
  const cut = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : clean
  return cut + ' '.repeat(Math.max(0, width - [...cut].length))
}

/** `2026-11-20 10:00:01  openclaw  gpt-4o-mini  12 → 34 tok  $0.0012  success  total $0.0123 (key $4.13 of $20.00)` */
export function followText(l: FollowRequestLine, timeZone = 'UTC'): string {
  const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(l.startTime) ? l.startTime : `${l.startTime}Z`)
  const time = Number.isNaN(d.getTime()) ? sanitizeForTerminal(l.startTime) : formatDateTimeSeconds(d, timeZone)
  const status = l.status === 'failure' ? `FAILED ${sanitizeForTerminal([l.error_type, l.status_code ? `(${l.status_code})` : null].filter(Boolean).join(' ') || '')}`.trimEnd() : sanitizeForTerminal(l.status)
  const tokens = `${formatInt(l.prompt_tokens)} → ${formatInt(l.completion_tokens)} tok`
  const budget = l.key_spend === null ? '' : l.max_budget === null ? ` (key ${formatUsd(l.key_spend)}, no budget)` : ` (key ${formatUsd(l.key_spend)} of ${formatUsd(l.max_budget)})`
  return `${time}  ${cell(l.key_alias ?? (l.api_key === 'litellm_proxy_master_key' ? '(master key)' : l.api_key ? `${l.api_key.slice(0, 10)}…` : null), 16)}  ${cell(l.model, 20)}  ${tokens.padStart(16)}  ${formatUsd(l.spend).padStart(9)}  ${status}  total ${formatUsd(l.total_spend)}${budget}`
}

export function followTotal(requests: number, t: FollowTotals, seconds: number): FollowTotalLine {
  return {
    event: 'total',
    requests,
    total_spend: Math.round(t.totalSpend * 1e6) / 1e6,
    key_spend: t.keySpendAtStart === null ? null : Math.round((t.keySpendAtStart + t.totalSpend) * 1e6) / 1e6,
    max_budget: t.maxBudget,
    seconds: Math.round(seconds),
  }
}

export function followTotalText(l: FollowTotalLine): string {
  const budget = l.key_spend === null ? '' : l.max_budget === null ? `; the key has spent about ${formatUsd(l.key_spend)} (no budget)` : `; the key has spent about ${formatUsd(l.key_spend)} of its ${formatUsd(l.max_budget)} budget`
  return `total: ${formatInt(l.requests)} request${l.requests === 1 ? '' : 's'}, ${formatUsd(l.total_spend)} in ${formatInt(l.seconds)} s${budget}`
}
