/**
 * The webhook messages of `budget check`: plain text, Slack, Discord, and keyward's generic versioned
 * payload. Pure.
 */
import {checkLabel, type AlertEvent, type DueAlert, type KeyCheck, type ProblemKind} from '../domain/alerts.js'
import {roundUsd} from '../domain/money.js'
import {formatDate, formatDateTime, formatPct, formatUsd} from '../output/format.js'
import {sanitizeForTerminal} from '../output/sanitize.js'

/** Untrusted text (aliases) in a message: no control characters, bounded length. */
function clean(s: string, max = 120): string {
  const t = sanitizeForTerminal(s)
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}

function resetText(c: KeyCheck): string {
  if (c.window?.end) return formatDateTime(new Date(c.window.end))
  if (c.resetAt) return formatDateTime(new Date(c.resetAt))
  return c.duration ? 'unknown' : 'never (no budget period)'
}

function forecastText(c: KeyCheck): string {
  if (c.burnRatePerDay === null) return 'forecast: not enough data'
  const pace = `${formatUsd(c.burnRatePerDay)}/day${c.pace === 'recent' ? ' (the last days\' pace)' : ''}`
  const parts: string[] = []
  if (c.forecastSpend !== null) parts.push(`${formatUsd(c.forecastSpend)} (${formatPct(c.forecastPct)}) by the reset`)
  if (c.verdict === 'exhausted') parts.push('already exhausted')
  else if (c.runOutAt) parts.push(`runs out ${formatDate(new Date(c.runOutAt))}${c.forecastExceeds ? ', before the reset' : ''}`)
  else parts.push('does not run out at this pace')
  const caveat = c.forecastReliable ? '' : ' (early in the window: rough)'
  return `forecast at ${pace}: ${parts.join('; ')}${caveat}`
}

/** The headline of an alert, e.g. `ci-bot crossed 80% of its budget`. */
export function alertTitle(alert: Pick<DueAlert, 'event' | 'threshold' | 'problem'>, c: KeyCheck): string {
  const k = clean(checkLabel(c))
  switch (alert.event) {
    case 'budget_exhausted':
      return `${k}: budget exhausted`
    case 'threshold_crossed':
      return `${k} crossed ${alert.threshold}% of its budget`
    case 'forecast_exceeds':
      return `${k} is forecast to run out${c.runOutAt ? ` on ${formatDate(new Date(c.runOutAt))}` : ''}, before its budget resets`
    case 'budget_problem':
      return `${k}: ${alert.problem?.kind === 'blocked' ? 'key blocked' : alert.problem?.kind === 'reset-trap' ? 'budget resets daily' : 'budget problem'}`
  }
}

/** The facts every message carries: alias, spent/budget, % used, reset, forecast (one per line). */
export function alertLines(alert: Pick<DueAlert, 'event' | 'threshold' | 'problem'>, c: KeyCheck): string[] {
  const lines = [`spent ${formatUsd(c.spent)} of ${formatUsd(c.budget)} (${formatPct(c.pctUsed)} used)`, `resets ${resetText(c)}`, forecastText(c)]
  if (alert.problem) lines.unshift(clean(alert.problem.message, 400))
  const over = c.problems.find((p) => p.kind === 'over-budget')
  if (alert.event === 'budget_exhausted' && over) lines.push(over.message)
  return lines
}

/** The whole message as plain text: `keyward: <title>: <facts>.` */
export function alertText(alert: Pick<DueAlert, 'event' | 'threshold' | 'problem'>, c: KeyCheck): string {
  return `keyward: ${alertTitle(alert, c)}: ${alertLines(alert, c).join('; ')}`
}

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A Slack incoming-webhook body: `text` (notifications, fallbacks) plus one mrkdwn section. */
export function slackPayload(alert: DueAlert, c: KeyCheck, id?: string): {text: string; blocks: unknown[]} {
  const icon = alert.severity === 'critical' ? ':rotating_light:' : ':warning:'
  const title = slackEscape(alertTitle(alert, c))
  const body = alertLines(alert, c).map((l) => `• ${slackEscape(l)}`).join('\n')
  return {
    text: slackEscape(alertText(alert, c)),
    blocks: [
      {type: 'section', text: {type: 'mrkdwn', text: `${icon} *${title}*\n${body}`}},
      // The idempotency id, visible: Slack cannot drop a duplicate, a reader can spot one.
      ...(id ? [{type: 'context', elements: [{type: 'mrkdwn', text: `keyward alert ${id}`}]}] : []),
    ],
  }
}

const discordEscape = (s: string) => s.replace(/([\\*_~`|<>[\]])/g, '\\$1')

/** A Discord webhook body; mentions are disabled so an alias cannot ping @everyone. */
export function discordPayload(alert: DueAlert, c: KeyCheck, id?: string): {username: string; content: string; allowed_mentions: {parse: string[]}} {
  const icon = alert.severity === 'critical' ? '🚨' : '⚠️'
  const footer = id ? `\n-# keyward alert ${id}` : ''
  const text = `${icon} **${discordEscape(alertTitle(alert, c))}**\n${alertLines(alert, c).map((l) => `- ${discordEscape(l)}`).join('\n')}`
  const room = 2000 - footer.length
  return {username: 'keyward', content: `${text.length > room ? `${text.slice(0, room - 1)}…` : text}${footer}`, allowed_mentions: {parse: []}}
}

/** keyward's generic webhook payload, version 1. Fields are only ever added within a version. */
export interface GenericPayloadV1 {
  source: 'keyward'
  version: 1
  /** Stable for (key, budget window, alert): a receiver can deduplicate on it. */
  id: string
  event: AlertEvent
  severity: 'warning' | 'critical'
  sent_at: string
  text: string
  key: {alias: string | null; key_name: string | null; hash: string | null}
  budget: {spent: number; max_budget: number | null; remaining: number | null; pct_used: number | null; currency: 'USD'; budget_duration: string | null; period: string | null}
  window: {start: string | null; end: string | null; reset_at: string | null}
  threshold: number | null
  thresholds: number[]
  forecast: {burn_rate_per_day: number | null; pace: 'window' | 'recent' | null; spend_at_reset: number | null; pct_at_reset: number | null; runs_out_at: string | null; exceeds_before_reset: boolean; reliable: boolean}
  problem: {kind: ProblemKind; message: string} | null
  proxy: string | null
}

const r = (n: number | null) => (n === null ? null : roundUsd(n))
const rp = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100)

export function genericPayload(
  alert: DueAlert,
  c: KeyCheck,
  ctx: {id: string; sentAt: Date; thresholds: readonly number[]; proxy: string | null},
): GenericPayloadV1 {
  return {
    source: 'keyward',
    version: 1,
    id: ctx.id,
    event: alert.event,
    severity: alert.severity,
    sent_at: ctx.sentAt.toISOString(),
    text: alertText(alert, c),
    key: {alias: c.alias, key_name: c.keyName, hash: c.hash},
    budget: {spent: roundUsd(c.spent), max_budget: c.budget, remaining: r(c.remaining), pct_used: rp(c.pctUsed), currency: 'USD', budget_duration: c.duration, period: c.period},
    window: {start: c.window?.start ?? null, end: c.window?.end ?? null, reset_at: c.resetAt},
    threshold: alert.threshold,
    thresholds: [...ctx.thresholds],
    forecast: {
      burn_rate_per_day: r(c.burnRatePerDay),
      pace: c.pace,
      spend_at_reset: r(c.forecastSpend),
      pct_at_reset: rp(c.forecastPct),
      runs_out_at: c.runOutAt,
      exceeds_before_reset: c.forecastExceeds,
      reliable: c.forecastReliable,
    },
    problem: alert.problem,
    proxy: ctx.proxy,
  }
}
