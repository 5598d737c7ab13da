/**
 * `budget check` as one operation: select the keys, check each against its budget (and forecast), then
 * deliver the alerts that are due under the state-file lock, recording each delivery. A dry run is a
 * mode of the same loop: it reads the state without the lock, plans on a copy, and sends nothing.
 */
import {createHash} from '../core/crypto.js'

import type {Dispatcher} from 'undici'

import type {LiteLLMClient} from '../api/client.js'
import {listAllKeys, listKeysPage, ownKeyInfo, resolveKey} from '../api/keys.js'
import {fetchDailyActivity} from '../api/spend.js'
import type {BudgetCheckResult, NotificationRecord} from '../contracts/budget.js'
import {KeywardError} from '../core/errors.js'
import {ExitCode} from '../core/exit-codes.js'
import type {KeyRow} from '../core/wire.js'
import {checkKey, checkLabel, dueAlerts, overallExitCode, type DueAlert, type KeyCheck} from '../domain/alerts.js'
import {summarizeKey} from '../domain/key-summary.js'
import {budgetWindows} from '../domain/key-replace.js'
import {deliverWebhook} from '../notify/deliver.js'
import {alertText, discordPayload, genericPayload, slackPayload} from '../notify/messages.js'
import type {NotifyTarget} from '../notify/targets.js'
import {fileAlertStore, type AlertStore} from './alert-store.js'
import type {Notes} from './notes.js'
import {holderSummaries, windowSummaries} from './holder-checks.js'
import type {Scope} from '../domain/budget-holders.js'

export interface BudgetCheckOptions {
  client: LiteLLMClient
  /** `admin`: the master key (every key, or the --key ones); `self`: a virtual key checks itself. */
  role: 'admin' | 'self'
  /** Keys named with --key (alias, sk- key or hash); empty: every key that has a budget. */
  keys: string[]
  /** Also keys without a budget (reported as "no budget", never alerted). */
  all: boolean
  /** What is checked when no --key is named (admin only): keys, teams and/or users. Default: all three. */
  scope?: readonly Scope[]
  thresholds: number[]
  forecast: boolean
  dryRun: boolean
  targets: NotifyTarget[]
  /** The alert state file (used only with targets, when no other store is given). */
  stateFile: string
  /** Another alert store (Redis); default: the state file. */
  store?: AlertStore
  now: Date
  /**
   * Fails when the admin key is not the master key (listing every key needs it). Runs `first` (the first
   * /key/list page) alongside the check, one round trip instead of two, and hands its answer back only once
   * the key is known to be the master key.
   */
  assertMaster: <R>(first: () => Promise<R>) => Promise<R>
  /** Milliseconds to wait for the state-file lock (read only when a real run needs the lock). */
  lockWaitMs: () => number
  /** The proxy's origin, named in the generic payload. */
  proxy: string | null
  userAgent: string
  dispatcher?: Dispatcher
  notes: Notes
}

export async function runBudgetCheck(o: BudgetCheckOptions): Promise<BudgetCheckResult> {
  const {selected, skipped} = await selectKeys(o)
  for (const s of skipped) o.notes.warn(`${s.key}: ${s.reason}; not checked`)

  const recent = o.role === 'admin' && selected.length > 0 ? await recentSpendByKey(o) : undefined
  // Teams and users with budgets, checked the same way, when every key is checked (not with --key).
  const holders = o.role === 'admin' && o.keys.length === 0 ? await holderSummaries(o.client, o.scope ?? ['teams', 'users'], o.all, o.now, o.notes) : []
  // Each budget window (budget_limits) of a key is checked as its own row.
  holders.push(...(await windowSummaries(o.client, selected, o.now, o.notes)))
  const checks = selected
    .map(({hash, row}) =>
      checkKey(summarizeKey(row, o.now, hash ?? undefined), {
        thresholds: o.thresholds,
        forecast: o.forecast,
        now: o.now,
        createdAt: row.created_at,
        recentDays: hash ? recent?.get(hash) : undefined,
      }),
    )
    .concat(holders.map((s) => checkKey(s, {thresholds: o.thresholds, forecast: o.forecast, now: o.now})))
    .sort((a, b) => (b.pctUsed ?? -1) - (a.pctUsed ?? -1) || checkLabel(a).localeCompare(checkLabel(b)))

  const result: BudgetCheckResult = {
    checkedAt: o.now.toISOString(),
    thresholds: o.thresholds,
    forecast: o.forecast,
    dryRun: o.dryRun,
    stateFile: null,
    keys: checks,
    skipped,
    notifications: [],
    summary: {
      keys: checks.length,
      ok: checks.filter((c) => c.verdict === 'ok').length,
      threshold: checks.filter((c) => c.verdict === 'threshold').length,
      forecast: checks.filter((c) => c.verdict === 'forecast').length,
      resetsDaily: checks.filter((c) => c.verdict === 'resets-daily').length,
      exhausted: checks.filter((c) => c.verdict === 'exhausted').length,
      noBudget: checks.filter((c) => c.verdict === 'no-budget').length,
      problems: checks.reduce((n, c) => n + c.problems.length, 0),
      deliveryFailures: 0,
    },
    exitCode: ExitCode.OK,
  }

  let failed = false
  if (o.targets.length > 0) {
    // When every key was listed, keys that are gone (or lost their budget) are dropped from the state.
    failed = await notifyAll(o, result, o.keys.length === 0 && o.role === 'admin')
  }
  result.summary.deliveryFailures = result.notifications.filter((n) => n.status === 'failed').length
  result.exitCode = Math.max(overallExitCode(checks), failed ? ExitCode.PROXY : ExitCode.OK)
  return result
}

async function selectKeys(o: BudgetCheckOptions): Promise<{selected: Array<{hash: string | null; row: KeyRow}>; skipped: BudgetCheckResult['skipped']}> {
  const selected: Array<{hash: string | null; row: KeyRow}> = []
  const skipped: BudgetCheckResult['skipped'] = []
  if (o.keys.length > 0) {
    const seen = new Set<string>()
    for (const ref of o.keys) {
      const resolved = await resolveKey(o.client, ref)
      if (seen.has(resolved.hash)) continue
      seen.add(resolved.hash)
      if ((resolved.row.max_budget === null || resolved.row.max_budget === undefined) && budgetWindows(resolved.row.budget_limits).length === 0) skipped.push({key: resolved.row.key_alias ?? ref, reason: 'no budget (max_budget is not set)'})
      else selected.push({hash: resolved.hash, row: resolved.row})
    }
  } else if (o.role === 'self') {
    const info = await ownKeyInfo(o.client)
    selected.push({hash: info.info.token ?? info.key, row: info.info})
  } else {
    // Every key: a virtual key in LITELLM_MASTER_KEY would see only its own, and cron would hear "all ok".
    // Without keys in --scope, the master-key check goes alone (no /key/list page beside it).
    if (o.scope && !o.scope.includes('keys')) {
      await o.assertMaster(async () => undefined)
      return {selected, skipped}
    }
    const first = await o.assertMaster(() => listKeysPage(o.client, 1))
    for await (const row of listAllKeys(o.client, {}, first)) {
      const budgeted = (row.max_budget !== null && row.max_budget !== undefined) || budgetWindows(row.budget_limits).length > 0
      if (o.all || budgeted) selected.push({hash: row.token ?? null, row})
    }
  }
  return {selected, skipped}
}

/**
 * Each key's spend per UTC day over the last 7 days, from /user/daily/activity (one request for all
 * keys), for the recent pace. Undefined when the proxy has no such endpoint or will not answer it.
 */
export async function recentSpendByKey(o: Pick<BudgetCheckOptions, 'client' | 'now' | 'notes'>): Promise<Map<string, Array<{date: string; spend: number}>> | undefined> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  try {
    const days = await fetchDailyActivity(o.client, {startDate: day(o.now.getTime() - 6 * 86_400_000), endDate: day(o.now.getTime())})
    const byKey = new Map<string, Array<{date: string; spend: number}>>()
    for (const d of days) {
      for (const [hash, entry] of Object.entries(d.breakdown?.api_keys ?? {})) {
        let list = byKey.get(hash)
        if (!list) byKey.set(hash, (list = []))
        list.push({date: d.date, spend: entry.metrics.spend})
      }
    }
    return byKey
  } catch (error) {
    if (error instanceof KeywardError && error.kind !== 'interrupted') {
      if (error.kind !== 'not_found') o.notes.warn(`could not read recent daily spend (${error.message}); forecasts use the whole window's pace`)
      return undefined
    }
    throw error
  }
}

/**
 * The due alerts of every tracked key, for every target: claimed, sent and recorded one by one in the
 * alert store (the state file under its lock, or Redis), or, in a dry run, recorded as `would-send`
 * without a change to the state. Returns true if a delivery failed.
 */
async function notifyAll(o: BudgetCheckOptions, result: BudgetCheckResult, complete: boolean): Promise<boolean> {
  const {notes} = o
  const tracked = result.keys.filter((c) => c.hash !== null && c.verdict !== 'no-budget')
  for (const c of result.keys) if (c.hash === null) notes.warn(`${checkLabel(c)}: the proxy did not report the key's hash; no alerts can be tracked for it`)

  const store = o.store ?? fileAlertStore(o.stateFile, {dryRun: o.dryRun, now: o.now, notes, lockWaitMs: o.lockWaitMs})
  result.stateFile = store.location
  let failed = false
  try {
    if (!(await store.open({tracked, complete}))) {
      // A failure only if this run might have had something to send.
      return tracked.some((c) => c.verdict !== 'ok' || c.problems.length > 0)
    }
    for (const check of tracked) {
      const alerts = await store.key(check)
      for (const target of o.targets) {
        const {sent, problems} = await alerts.delivered(target.id)
        for (const alert of dueAlerts(check, sent, problems, {forecast: result.forecast, thresholds: result.thresholds})) {
          if (o.dryRun) {
            record(result, alert, check, target, 'would-send')
            continue
          }
          const id = alertId(alert, check)
          const what = `${alert.event}${alert.threshold === null ? '' : ` ${alert.threshold}%`} for ${checkLabel(check)} to ${target.display}`
          const claim = await alerts.claim(target, alert)
          if (!claim.claimed) {
            notes.note(`not sending ${what}: ${claim.reason}`)
            continue
          }
          if (claim.earlier) notes.warn(`an earlier run was stopped while delivering ${what} (${claim.earlier}); sending it again with the same id ${id} (a generic webhook can drop the duplicate; Slack and Discord may show it twice)`)
          const delivery = {userAgent: o.userAgent, dispatcher: o.dispatcher, idempotencyKey: id}
          const outcome = await deliverWebhook(target, payloadFor(o, target, alert, check, id), delivery)
          if (outcome.ok) {
            record(result, alert, check, target, 'sent', outcome.attempts)
            await claim.confirm()
          } else {
            failed = true
            await claim.release()
            const rec = record(result, alert, check, target, 'failed', outcome.attempts, outcome.error)
            notes.warn(`could not deliver ${rec.event}${rec.threshold === null ? '' : ` ${rec.threshold}%`} for ${rec.key} to ${target.display} after ${outcome.attempts} attempt(s): ${outcome.error}; it will be tried again on the next run`)
          }
        }
      }
    }
    await store.finish()
  } finally {
    await store.close()
  }
  return failed
}

function record(result: BudgetCheckResult, alert: DueAlert, check: KeyCheck, target: NotifyTarget, status: NotificationRecord['status'], attempts = 0, error: string | null = null): NotificationRecord {
  const rec: NotificationRecord = {
    key: checkLabel(check),
    hash: check.hash,
    event: alert.event,
    threshold: alert.threshold,
    problem: alert.problem?.kind ?? null,
    target: target.display,
    format: target.format,
    status,
    attempts,
    error,
    message: alertText(alert, check),
  }
  result.notifications.push(rec)
  return rec
}

/** Stable for (key, budget window, alert): the same alert sent again (after a kill) has the same id. */
function alertId(alert: DueAlert, check: KeyCheck): string {
  const scope = alert.marker.startsWith('problem:') ? 'problem' : check.windowId
  return createHash('sha256').update(`${check.hash}|${scope}|${alert.marker}`).digest('hex').slice(0, 32)
}

function payloadFor(o: BudgetCheckOptions, target: NotifyTarget, alert: DueAlert, check: KeyCheck, id: string): unknown {
  if (target.format === 'slack') return slackPayload(alert, check, id)
  if (target.format === 'discord') return discordPayload(alert, check, id)
  return genericPayload(alert, check, {id, sentAt: o.now, thresholds: o.thresholds, proxy: o.proxy})
}
