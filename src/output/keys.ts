/** Rendering for the `keys` topic: key details, the list table and CSV, before → after, the audit. */
import type {AuditFinding, AuditResult} from '../domain/audit.js'
import {dailyResetRisk} from '../domain/monthly-reset.js'
import {describePeriod, shellRef} from '../domain/keys-fields.js'
import type {FieldChange, KeyDetails} from '../domain/keys-list.js'
import type {KeySummary} from '../domain/key-summary.js'
import {roundUsd} from '../domain/money.js'
import {colors, layoutWidth} from './color.js'
import {csvRow} from './csv.js'
import {bar, formatDateTime, formatInt, formatPct, formatRelative, formatUsd, shortPct, shortUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'
import {renderTable, type Column} from './table.js'
import type {BlockResult, KeyListRow, ListResult} from '../contracts/keys.js'
import type {HolderSummary} from '../domain/budget-holders.js'

const d = (iso: string | null | undefined) => (iso ? new Date(iso) : undefined)
const safe = (s: string | null | undefined) => (s === null || s === undefined ? '-' : sanitizeForTerminal(s))

function when(iso: string | null, now: Date, none: string): string {
  const t = d(iso)
  return t ? `${formatDateTime(t)} (${formatRelative(t, now)})` : none
}

function rateLimits(s: KeySummary): string {
  const parts: string[] = []
  if (s.rpmLimit !== null) parts.push(`${formatInt(s.rpmLimit)} requests/min`)
  if (s.tpmLimit !== null) parts.push(`${formatInt(s.tpmLimit)} tokens/min`)
  if (s.maxParallelRequests !== null) parts.push(`${formatInt(s.maxParallelRequests)} parallel`)
  return parts.length > 0 ? parts.join(', ') : 'none'
}

/** The period as stored, flagging word forms that older proxies reset nightly. */
export function periodText(s: KeySummary): string {
  if (!s.duration) return s.budget === null ? '-' : 'none (the budget never resets)'
  if (s.periodIsWord) return `'${sanitizeForTerminal(s.duration)}' (a word: LiteLLM may reset it DAILY)`
  return describePeriod(s.duration)
}

/** `keys info` / `keys create`: one key, one property a line. `secret` is printed once, when given. */
export function renderKeyDetails(k: KeyDetails, now: Date, opts: {secret?: string} = {}): string {
  const c = colors('stdout')
  const rows: Array<[string, string]> = []
  if (opts.secret) rows.push(['key', opts.secret])
  rows.push(['alias', safe(k.alias)], ['key name', safe(k.keyName)])
  if (k.hash) rows.push(['hash', k.hash])
  const statusText = k.status === 'active' ? c.green('active') : c.red(k.status)
  rows.push(['status', statusText])
  if (k.budget === null) {
    rows.push(['spent', `${formatUsd(k.spent)} (no budget: unlimited)`])
  } else {
    const pctColor = (k.pctUsed ?? 0) >= 100 ? c.red : (k.pctUsed ?? 0) >= 80 ? c.yellow : c.green
    rows.push(['spent', `${formatUsd(k.spent)} of ${formatUsd(k.budget)}`])
    rows.push(['remaining', formatUsd(k.remaining)])
    rows.push(['used', `${pctColor(bar(k.pctUsed, 20))} ${formatPct(k.pctUsed)}`])
  }
  rows.push(['period', periodText(k)])
  if (k.duration || k.resetAt) rows.push(['resets', when(k.resetAt, now, 'unknown (the proxy did not say)')])
  rows.push(['soft budget', k.softBudget === null ? '-' : formatUsd(k.softBudget)])
  rows.push(['models', k.models.length === 0 ? 'all' : k.models.map((m) => sanitizeForTerminal(m)).join(', ')])
  rows.push(['rate limits', rateLimits(k)])
  rows.push(['expires', when(k.expires, now, 'never')])
  rows.push(['blocked', k.blocked ? c.red('yes') : 'no'])
  if (k.teamId) rows.push(['team', safe(k.teamId)])
  if (k.userId) rows.push(['user', safe(k.userId)])
  const meta = Object.entries(k.metadata)
  if (meta.length > 0) rows.push(['metadata', meta.map(([mk, mv]) => `${sanitizeForTerminal(mk)}=${sanitizeForTerminal(typeof mv === 'string' ? mv : JSON.stringify(mv))}`).join(', ')])
  if (k.createdAt) rows.push(['created', when(k.createdAt, now, '-')])
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${c.bold(label.padEnd(width))}  ${value}`).join('\n')
}

/**
 * The loud warning for a monthly budget the proxy will reset every night (litellm-api.md §4).
 * `existing`: the key was not just (re)configured, so a near reset may be the end of an older proxy's
 * rolling 30 days; only a reset on a whole hour counts then.
 */
export function dailyResetWarning(k: KeySummary, now: Date, bin = 'keyward', opts: {existing?: boolean} = {}): string | undefined {
  const at = d(k.resetAt)
  if (!dailyResetRisk(k, at, now, opts)) return undefined
  return (
    `THIS "MONTHLY" BUDGET WILL RESET DAILY: the proxy set the next reset of ${k.alias ? `'${k.alias}'` : 'the key'} to ${at ? `${formatDateTime(at)} (${formatRelative(at, now)})` : 'soon'}, ` +
    `not the start of a month, so ${formatUsd(k.budget)} becomes a daily limit (about ${formatUsd((k.budget ?? 0) * 30)} a month). ` +
    `Fix: ${bin} keys update ${shellRef(k.alias, k.hash)} --period monthly (sent as 30d), then check with: ${bin} keys info ${shellRef(k.alias, k.hash)}`
  )
}

/**
 * After a key is minted with a budget period: the daily-reset warning, else that the reset could not be
 * verified, else nothing (`keys create` and `openclaw connect` say the same).
 */
export function resetWarningAfterCreate(k: KeySummary, now: Date, bin = 'keyward'): string | undefined {
  const daily = dailyResetWarning(k, now, bin)
  if (daily) return daily
  return k.resetCheck?.status === 'unknown' ? `could not verify when the budget resets: ${k.resetCheck.reason}` : undefined
}

/**
 * A `--soft-budget` the proxy read back unchanged: LiteLLM releases up to at least 1.100 declare no
 * `soft_budget` on `/key/update` and drop it without an error (found by test/litellm layer 1).
 */
export function softBudgetNotApplied(sent: number | null | undefined, after: KeySummary): string | undefined {
  if (sent === undefined || after.softBudget === sent) return undefined
  return (
    `the proxy did not apply --soft-budget ${formatUsd(sent)}: the key's soft budget is still ${after.softBudget === null ? 'unset' : formatUsd(after.softBudget)} ` +
    `(LiteLLM before about 1.104 ignores soft_budget on /key/update). To change it, upgrade the proxy or create a new key with --soft-budget`
  )
}

/** The reset line for stderr after a create/update: where the budget resets, in words. */
export function resetNote(k: KeySummary, now: Date): string | undefined {
  if (!k.duration || k.budget === null) return undefined
  const at = d(k.resetAt)
  if (!at) return `The proxy did not report when the ${describePeriod(k.duration)} budget resets; check later with keyward keys info.`
  return `Budget ${formatUsd(k.budget)} ${describePeriod(k.duration)}: next reset ${formatDateTime(at)} (${formatRelative(at, now)}).`
}

/** `2026-12-01` for a reset at midnight UTC (the usual case), else `2026-12-18 10:20`. */
function shortTime(iso: string | null): string {
  if (!iso) return '-'
  const full = formatDateTime(new Date(iso)).replace(' UTC', '')
  return full.endsWith(' 00:00') ? full.slice(0, 10) : full
}

const keyNameShort = (v: string) => v.replace(/^sk-\.\.\./, '…')
// Dropped on a narrow terminal in this order: Key, Expires, Left, Period, Resets.
const LIST_COLUMNS: Column<KeyListRow>[] = [
  {header: 'Alias', get: (s) => s.alias ?? '-', essential: true},
  {header: 'Key', get: (s) => s.keyName ?? '-', short: keyNameShort, drop: 1},
  {header: 'Spent', get: (s) => formatUsd(s.spent), align: 'right', essential: true, short: shortUsd},
  {header: 'Budget', get: (s) => formatUsd(s.budget), align: 'right', essential: true, short: shortUsd},
  {header: 'Left', get: (s) => formatUsd(s.remaining), align: 'right', short: shortUsd, drop: 3},
  {header: 'Used', get: (s) => formatPct(s.pctUsed), align: 'right', essential: true, short: shortPct},
  {header: 'Period', get: (s) => (s.periodIsWord ? `${s.duration} (word!)` : (s.period ?? '-')), drop: 4},
  {header: 'Resets', get: (s) => shortTime(s.resetAt), drop: 5},
  {header: 'Expires', get: (s) => (s.expires ? formatDateTime(new Date(s.expires)).slice(0, 10) : 'never'), drop: 2},
  // `*`: a team or user budget binds first (named under the table). Status is essential, so the mark stays on a narrow terminal.
  {header: 'Status', get: (s) => (s.limitedBy ? `${s.status}*` : s.status), essential: true},
]

/** `keys list` as a table that fits the terminal (compact columns when narrow) with a Total row. */
export function renderKeyList(r: ListResult, opts: {width?: number} = {}): string {
  if (r.keys.length === 0) return 'No keys.'
  const t = r.totals
  const footer = [`Total (${t.keys})`, '', formatUsd(t.spent), formatUsd(t.budget), '', '', '', '', '', '']
  return renderTable(r.keys, LIST_COLUMNS, {width: opts.width, footer}) + tighterNotes(r.keys, opts.width ?? layoutWidth())
}

/**
 * Under the table, one line per team or user whose budget binds before some keys' own (the keys marked
 * `*`): `* team budget: $12.00 left (team team-a, $88.00 of $100.00): the tighter limit for ci, web`.
 */
function tighterNotes(rows: readonly KeyListRow[], width: number): string {
  const byHolder = new Map<string, {h: HolderSummary; keys: string[]}>()
  for (const r of rows) {
    if (!r.limitedBy) continue
    const id = `${r.limitedBy.kind}:${r.limitedBy.id}`
    const entry = byHolder.get(id) ?? {h: r.limitedBy, keys: []}
    entry.keys.push(r.alias ?? r.keyName ?? r.hash?.slice(0, 12) ?? '-')
    byHolder.set(id, entry)
  }
  const lines = [...byHolder.values()].map(({h, keys}) =>
    `* ${h.kind} budget: ${formatUsd(h.remaining)} left (${h.kind} ${sanitizeForTerminal(h.id)}, ${formatUsd(h.spent)} of ${formatUsd(h.budget)}): the tighter limit for ${keys.map((k) => sanitizeForTerminal(k)).join(', ')}`,
  )
  return lines.length > 0 ? `\n${lines.map((l) => wrapWords(l, width)).join('\n')}` : ''
}

/** A line broken at spaces to fit `width` (a narrow terminal), the following lines indented by two. */
function wrapWords(line: string, width: number): string {
  if ([...line].length <= width) return line
  const out: string[] = []
  let cur = ''
  for (const word of line.split(' ')) {
    const next = cur === '' ? word : `${cur} ${word}`
    if ([...next].length > width && cur.trim() !== '') {
      out.push(cur)
      cur = `  ${word}`
    } else {
      cur = next
    }
  }
  out.push(cur)
  return out.join('\n')
}

export const LIST_CSV_HEADER = [
  'alias', 'key_name', 'hash', 'spent', 'budget', 'remaining', 'pct_used', 'period', 'budget_duration', 'resets_at', 'expires', 'status', 'soft_budget', 'team_id', 'user_id',
  'limited_by', 'limited_by_remaining',
] as const

export function keyListCsvHeader(): string {
  return csvRow([...LIST_CSV_HEADER])
}

export function keyListCsvRow(s: KeyListRow): string {
  return csvRow([
    s.alias,
    s.keyName,
    s.hash,
    s.spent,
    s.budget,
    s.remaining === null ? null : roundUsd(s.remaining),
    s.pctUsed === null ? null : Math.round(s.pctUsed * 100) / 100,
    s.period,
    s.duration,
    s.resetAt,
    s.expires,
    s.status,
    s.softBudget,
    s.teamId,
    s.userId,
    // `team:team-a` / `user:alice`: the budget that binds before the key's own, and what it has left.
    s.limitedBy ? `${s.limitedBy.kind}:${s.limitedBy.id}` : null,
    s.limitedBy === null || s.limitedBy.remaining === null ? null : roundUsd(s.limitedBy.remaining),
  ])
}

const FIELD_LABELS: Record<string, string> = {
  alias: 'alias',
  budget: 'budget',
  period: 'period',
  resetAt: 'resets',
  softBudget: 'soft budget',
  models: 'models',
  expires: 'expires',
  rpmLimit: 'rpm limit',
  tpmLimit: 'tpm limit',
  maxParallelRequests: 'max parallel',
  teamId: 'team',
  userId: 'user',
  blocked: 'blocked',
  metadata: 'metadata',
}

function changeValue(field: string, v: unknown): string {
  if (v === null || v === undefined) return field === 'expires' ? 'never' : field === 'budget' ? 'none' : '-'
  if (field === 'budget' || field === 'softBudget') return formatUsd(v as number)
  if (field === 'period') return describePeriod(v as string)
  if (field === 'resetAt' || field === 'expires') return formatDateTime(new Date(v as string))
  if (field === 'models') return (v as string[]).length === 0 ? 'all' : (v as string[]).join(', ')
  if (typeof v === 'number') return formatInt(v)
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

/** `keys update`: before → after, one changed property a line. */
export function renderChanges(changes: readonly FieldChange[]): string {
  if (changes.length === 0) return 'No changes: the key already had these settings.'
  const c = colors('stdout')
  const width = Math.max(...changes.map((ch) => (FIELD_LABELS[ch.field] ?? ch.field).length))
  return changes
    .map((ch) => `${c.bold((FIELD_LABELS[ch.field] ?? ch.field).padEnd(width))}  ${sanitizeForTerminal(changeValue(ch.field, ch.before))} → ${sanitizeForTerminal(changeValue(ch.field, ch.after))}`)
    .join('\n')
}

function severityText(f: AuditFinding): string {
  const c = colors('stdout')
  return f.severity === 'critical' ? c.red('CRITICAL') : f.severity === 'warning' ? c.yellow('WARNING') : c.dim('INFO')
}

/** `keys audit`: one block per finding, with the fix to run. */
export function renderAudit(r: AuditResult): string {
  if (r.findings.length === 0) return `No problems found in ${r.checked} key${r.checked === 1 ? '' : 's'}.`
  const c = colors('stdout')
  const lines: string[] = []
  for (const f of r.findings) {
    const who = f.alias ? sanitizeForTerminal(f.alias) : `${f.keyName ?? '?'} (no alias)`
    lines.push(`${severityText(f)} ${c.bold(who)} [${f.code}]: ${sanitizeForTerminal(f.message)}`)
    lines.push(`  fix: ${sanitizeForTerminal(f.fix)}`)
  }
  const {critical, warning, info} = r.counts
  lines.push('', `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} in ${r.checked} key${r.checked === 1 ? '' : 's'}: ${critical} critical, ${warning} warning, ${info} info.`)
  return lines.join('\n')
}

export function blockMessage(r: BlockResult): string {
  const name = `${r.alias ? `'${sanitizeForTerminal(r.alias)}' ` : ''}(${r.keyName ?? r.hash.slice(0, 12)})`
  const state = r.blocked ? 'blocked: the proxy refuses its requests' : 'unblocked: it works again'
  return r.changed ? `Key ${name} is now ${state}.` : `Key ${name} was already ${r.blocked ? 'blocked' : 'unblocked'}; nothing changed.`
}
