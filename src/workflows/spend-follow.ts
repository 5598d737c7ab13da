/**
 * `spend logs --follow`: poll the paged spend logs for requests that started since following began, and
 * hand each new row over once.
 *
 * LiteLLM writes spend logs in batches (`general_settings.proxy_batch_write_at`, 10 s by default, plus up
 * to 5 s of jitter), and a row's startTime is when the request began, so a long request can be written
 * after shorter ones that began later. Each poll therefore starts a little before the newest row seen
 * (LOOKBACK_MS) and drops the request ids already handed over; ids older than the window are forgotten,
 * so memory stays bounded. Idle polls back off (doubling up to 8 × the interval); a poll with new rows
 * resets it.
 */
import type {LiteLLMClient} from '../api/client.js'
import {pageSpendLogs, type KeyFilter} from '../api/spend.js'
import {isKeywardError, KeywardError} from '../core/errors.js'
import {keepRow, type LocalFilter, type LogStatus, type SpendLogRecord} from '../domain/spend-export.js'
import {DayKeyer, formatSpendDateTime} from '../domain/spend-range.js'
import {usageError} from '../core/errors.js'
import {parseList} from '../domain/inputs.js'
import {ExactSum} from '../domain/spend-aggregate.js'
import {dayInZone} from '../domain/spend-range.js'
import {followLine, followText, followTotal, followTotalText, type FollowTotals} from '../output/spend-follow.js'
import type {Notes} from './notes.js'
import {openSpendSource, type LogSourceKind} from './spend-source.js'

/** How far before the newest row seen each poll starts: rows written late (long requests) still show up. */
export const LOOKBACK_MS = 120_000

export interface FollowOptions {
  client: LiteLLMClient
  source: LogSourceKind
  keys: readonly KeyFilter[]
  models: readonly string[]
  status?: LogStatus
  /** Requests that started at or after this instant (ms) are followed. */
  sinceMs: number
  /** Poll interval when rows arrive, ms; idle polls back off to 8 times this. */
  intervalMs: number
  signal: AbortSignal
  notes: Notes
  /** New rows of one poll, oldest first, each request once. */
  onRows: (rows: SpendLogRecord[]) => void | Promise<void>
  /** The clock (real time; tests may shift it). */
  now?: () => number
}

/** Resolves after `ms`, or at once when the signal is aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = (): void => {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const t = setTimeout(done, ms)
    signal.addEventListener('abort', done, {once: true})
  })
}

/** Polls until the signal is aborted (Ctrl-C); returns the number of requests handed over. */
export async function followSpendLogs(o: FollowOptions): Promise<{requests: number; polls: number}> {
  if (o.source === 'spend-logs-legacy') {
    throw new KeywardError('not_litellm', 'following needs the paged spend logs (/spend/logs/v2 or /spend/logs/ui); this proxy has only the deprecated /spend/logs', {
      suggestions: ['Upgrade the proxy, or export a range instead: keyward spend logs --since 2026-10-01 --format table'],
    })
  }
  const now = o.now ?? Date.now
  const endpoint = o.source === 'spend-logs-v2' ? '/spend/logs/v2' : '/spend/logs/ui'
  const filter: LocalFilter = {
    startMs: o.sinceMs,
    endMs: Number.POSITIVE_INFINITY,
    keyHashes: o.keys.length > 0 ? new Set(o.keys.map((k) => k.hash)) : undefined,
    models: o.models.length > 0 ? new Set(o.models) : undefined,
    status: o.status,
  }
  const base = {apiKey: o.keys.length === 1 ? o.keys[0]!.hash : undefined, model: o.models.length === 1 ? o.models[0] : undefined, status: o.status}
  const seen = new Map<string, number>()
  let newest = o.sinceMs
  let requests = 0
  let polls = 0
  let wait = o.intervalMs
  let failing = false
  while (!o.signal.aborted) {
    const from = Math.max(o.sinceMs, newest - LOOKBACK_MS)
    // Whole seconds, inclusive at both ends (as the proxy reads them); a minute ahead covers clock skew.
    const query = {...base, startDate: formatSpendDateTime(Math.floor(from / 1000) * 1000), endDate: formatSpendDateTime(now() + 60_000)}
    const fresh: Array<{row: SpendLogRecord; ms: number}> = []
    try {
      polls++
      for await (const page of pageSpendLogs(o.client, endpoint, query, {signal: o.signal})) {
        for (const row of page.rows) {
          const ms = DayKeyer.timeOf(row.startTime)
          if (!keepRow(row, ms, filter)) continue
          const id = typeof row.request_id === 'string' ? row.request_id : `${row.startTime}\u0000${String(row.api_key)}`
          if (seen.has(id)) continue
          seen.set(id, ms)
          fresh.push({row, ms})
        }
      }
      if (failing) o.notes.warn('the proxy answers again: following')
      failing = false
    } catch (error) {
      if (o.signal.aborted) break
      // A proxy that restarts or times out for a while does not end the follow; auth and the like do.
      if (!isKeywardError(error) || !['network', 'timeout', 'server'].includes(error.kind)) throw error
      if (!failing) o.notes.warn(`${error.message}; retrying while following (Ctrl-C to stop)`)
      failing = true
    }
    if (fresh.length > 0) {
      fresh.sort((a, b) => a.ms - b.ms)
      requests += fresh.length
      newest = Math.max(newest, fresh[fresh.length - 1]!.ms)
      await o.onRows(fresh.map((f) => f.row))
      wait = o.intervalMs
    } else {
      wait = Math.min(wait * 2, o.intervalMs * 8)
    }
    // Ids that started before the next poll's window cannot come back: forget them.
    const keepFrom = Math.max(o.sinceMs, newest - LOOKBACK_MS) - 1000
    for (const [id, ms] of seen) if (ms < keepFrom) seen.delete(id)
    await pause(wait, o.signal)
  }
  return {requests, polls}
}

export interface FollowRun {
  flags: {key?: string[]; model?: string[]; status?: LogStatus; interval?: number; output?: string; columns?: string[]; format?: string; since?: string; until?: string; month?: string; 'last-month'?: boolean; tz?: string}
  client: LiteLLMClient
  json: boolean
  signal: AbortSignal
  notes: Notes
  /** One chunk of stdout, confirmed written. */
  write: (text: string) => Promise<void>
}

/**
 * The whole of `spend logs --follow`: check the flags, resolve --key and the source, say what the view
 * lags by, print each new request (text or one JSON object per line) and, after Ctrl-C, the total.
 */
export async function followSpend(r: FollowRun): Promise<void> {
  const f = r.flags
  const refused = (['output', 'columns', 'format', 'since', 'until', 'month', 'last-month'] as const).filter((n) => f[n] !== undefined && f[n] !== false)
  if (refused.length > 0) {
    throw usageError(`--follow prints new requests as they arrive: it takes no --${refused[0]}`, 'keyward spend logs --follow --key openclaw', 'or export a range: keyward spend logs --since 2026-10-01 --format table')
  }
  const sinceMs = Math.floor(Date.now() / 1000) * 1000
  const today = dayInZone(sinceMs, 'UTC')
  const {keys, source} = await openSpendSource(r.client, {keys: f.key ?? [], today, need: {rows: true}, notes: r.notes})
  const one = keys.length === 1 ? keys[0]! : undefined
  const totals: FollowTotals = {totalSpend: 0, keySpendAtStart: one?.row ? (one.row.spend ?? 0) : null, maxBudget: one?.row?.max_budget ?? null}
  const who = keys.length > 0 ? ` for ${keys.map((k) => k.alias ?? `${k.hash.slice(0, 10)}…`).join(', ')}` : ''
  r.notes.note(
    `following the spend logs${who} from ${formatSpendDateTime(sinceMs)} UTC (Ctrl-C to stop). The proxy writes spend logs in batches (general_settings.proxy_batch_write_at, 10 s by default, plus up to 5 s), so each request shows up that much after it ends.`,
  )
  const tz = f.tz ?? 'UTC'
  const started = Date.now()
  const total = new ExactSum()
  const {requests} = await followSpendLogs({
    client: r.client,
    source,
    keys,
    models: (f.model ?? []).flatMap((m) => parseList(m)),
    status: f.status,
    sinceMs,
    intervalMs: Math.round((f.interval ?? 2) * 1000),
    signal: r.signal,
    notes: r.notes,
    onRows: async (rows) => {
      let out = ''
      for (const row of rows) {
        total.add(typeof row.spend === 'number' ? row.spend : Number(row.spend) || 0)
        totals.totalSpend = total.value
        const line = followLine(row, total.value, totals)
        out += `${r.json ? JSON.stringify(line) : followText(line, tz)}\n`
      }
      await r.write(out)
    },
  })
  const end = followTotal(requests, totals, (Date.now() - started) / 1000)
  await r.write(r.json ? JSON.stringify(end) : followTotalText(end))
}
