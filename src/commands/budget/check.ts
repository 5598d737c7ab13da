import {createHash} from 'node:crypto'
import path from 'node:path'

import * as Flags from '@oclif/core/flags'

import type {LiteLLMClient} from '../../api/client.js'
import {KeywardError, usageError} from '../../api/errors.js'
import {listAllKeys, listKeysPage, ownKeyInfo, resolveKey} from '../../api/keys.js'
import {fetchDailyActivity} from '../../api/spend.js'
import type {KeyRow} from '../../api/schemas.js'
import {BaseCommand} from '../../base-command.js'
import {checkKey, dueAlerts, overallExitCode, stillValidMarkers, type DueAlert, type KeyCheck} from '../../domain/alerts.js'
import {parseThresholds} from '../../domain/inputs.js'
import {summarizeKey} from '../../domain/key-summary.js'
import {InputError} from '../../domain/period.js'
import {ExitCode} from '../../exit-codes.js'
import {deliverWebhook} from '../../notify/deliver.js'
import {parseNotifyTarget, type NotifyTarget} from '../../notify/targets.js'
import {
  alertText,
  discordPayload,
  genericPayload,
  keyLabel,
  renderBudgetCheck,
  slackPayload,
  type BudgetCheckResult,
  type NotificationRecord,
} from '../../output/budget.js'
import {keyState, pruneMarkers, preserveCorrupt, readStateFile, recordDelivered, sentMarkers, writeStateFile, type AlertState} from '../../state/alert-state.js'
import {acquireLock} from '../../state/lock.js'

const DEFAULT_THRESHOLDS = [50, 80, 100]

const thresholdFlag = Flags.custom<number[]>({parse: async (input) => parseThresholds(input)})
const notifyFlag = Flags.custom<NotifyTarget>({parse: async (input) => parseNotifyTarget(input)})

export default class BudgetCheck extends BaseCommand<typeof BudgetCheck> {
  static description = `Checks every selected key that has a budget: spent, budget, % used, the current budget window (from budget_reset_at and the period), the burn rate in this window (its average, or the last 7 days' pace from /user/daily/activity when that is faster), the spend forecast at the window's end, and the date the budget runs out at that pace. Without --key and --all, every key that has a budget is checked.

Verdict per key: ok, a threshold crossed (the highest one), forecast to exceed (with --forecast), or exhausted. Problems are reported and alerted too: a blocked key, a monthly budget that the proxy resets every night (budget_duration 'monthly' on older proxies), spend over the budget.

Exit codes, for cron: 0 all ok; 10 a threshold crossed, a budget forecast to be exceeded (with --forecast), or a monthly budget that resets every night; 11 a budget exhausted; 2/3/4/6 the usual failures. A blocked key is alerted once but does not change the exit code (blocking is often deliberate). A webhook delivery that fails is reported on stderr and raises the exit code to at least 6 (10 and 11 are higher and stay); it is not recorded as sent, so the next run tries again.

--notify sends each alert once per budget window: Slack incoming webhooks (hooks.slack.com/services/...), Discord webhooks (discord.com/api/webhooks/...) and any other URL (keyward's generic JSON payload, version 1), recognised by the address; prefix the scheme with slack+, discord+ or generic+ to force a format. Webhook URLs are secrets: they are never printed whole. Put them in KEYWARD_NOTIFY (whitespace-separated) to keep them out of crontab and ps.

What was sent is recorded in a state file (default: budget-state.json in keyward's data directory; KEYWARD_DATA_DIR moves the directory). A new budget window re-arms the alerts. The file is written atomically, and a lock file (<state>.lock) keeps overlapping runs from sending twice: a run waits up to KEYWARD_LOCK_TIMEOUT seconds (default 30) for the lock; a lock whose process is gone, or older than 10 minutes, is taken over. A corrupted state file is reported, kept as <state>.corrupt, and rebuilt.`

  static examples = [
    {description: 'check every key that has a budget (exit 0, 10 or 11)', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'alert Slack at 50%, 80% and 100%, and when a key will run out before its reset', command: '<%= config.bin %> <%= command.id %> --notify https://hooks.slack.com/services/T000/B000/XXXX --forecast --quiet'},
    {description: 'two keys, custom thresholds, machine-readable', command: '<%= config.bin %> <%= command.id %> --key ci-bot --key openclaw --threshold 75,90,100 --json'},
    {description: 'see what would be sent, without sending or recording anything', command: '<%= config.bin %> <%= command.id %> --notify https://example.com/hooks/keyward --dry-run'},
    {description: 'from cron: page someone when a budget needs attention', command: '<%= config.bin %> <%= command.id %> --quiet || page-me "keyward budget check exited $?"'},
  ]

  static flags = {
    all: Flags.boolean({description: 'check every key, also keys without a budget (shown as "no budget", never alerted)', exclusive: ['key']}),
    'dry-run': Flags.boolean({description: 'print the alerts that would be sent; send nothing and change no state'}),
    forecast: Flags.boolean({description: 'also alert when a key, at its pace in this window, will run out before its budget resets'}),
    key: Flags.string({description: 'a key to check: alias, sk- key or hash (repeatable; default: every key that has a budget)', multiple: true, exclusive: ['all']}),
    notify: notifyFlag({description: 'webhook URL to alert: Slack, Discord or generic JSON (repeatable) [env: KEYWARD_NOTIFY, whitespace-separated]', multiple: true}),
    quiet: Flags.boolean({description: 'print nothing on stdout (the exit code and the webhooks tell); warnings and failed deliveries still go to stderr'}),
    state: Flags.string({description: "alert state file [default: budget-state.json in keyward's data directory]"}),
    threshold: thresholdFlag({description: 'percentages of the budget that raise an alert, comma-separated [default: 50,80,100]'}),
  }

  static summary = 'check budgets and forecasts, alert webhooks once per threshold; exits 0/10/11 for cron'

  async run(): Promise<BudgetCheckResult> {
    const f = this.flags
    const now = this.now()
    const thresholds = f.threshold ?? DEFAULT_THRESHOLDS
    const targets = f.notify ?? notifyTargetsFromEnv()
    const {client, role} = this.anyKeyClient()

    const selected: Array<{hash: string | null; row: KeyRow}> = []
    const skipped: BudgetCheckResult['skipped'] = []
    if (f.key && f.key.length > 0) {
      const seen = new Set<string>()
      for (const ref of f.key) {
        const resolved = await resolveKey(client, ref)
        if (seen.has(resolved.hash)) continue
        seen.add(resolved.hash)
        if (resolved.row.max_budget === null || resolved.row.max_budget === undefined) skipped.push({key: resolved.row.key_alias ?? ref, reason: 'no budget (max_budget is not set)'})
        else selected.push({hash: resolved.hash, row: resolved.row})
      }
    } else if (role === 'self') {
      const info = await ownKeyInfo(client)
      selected.push({hash: info.info.token ?? info.key, row: info.info})
    } else {
      // Every key: a virtual key in LITELLM_MASTER_KEY would see only its own, and cron would hear "all ok".
      const {first} = await this.masterClientWith((c) => listKeysPage(c, 1))
      for await (const row of listAllKeys(client, {}, first)) {
        if (f.all || (row.max_budget !== null && row.max_budget !== undefined)) selected.push({hash: row.token ?? null, row})
      }
    }
    for (const s of skipped) this.warnLine(`${s.key}: ${s.reason}; not checked`)

    const recent = role === 'admin' ? await this.recentSpendByKey(client, now) : undefined
    const checks = selected
      .map(({hash, row}) =>
        checkKey(summarizeKey(row, now, hash ?? undefined), {thresholds, forecast: f.forecast, now, createdAt: row.created_at, recentDays: hash ? recent?.get(hash) : undefined}),
      )
      .sort((a, b) => (b.pctUsed ?? -1) - (a.pctUsed ?? -1) || keyLabel(a).localeCompare(keyLabel(b)))

    const result: BudgetCheckResult = {
      checkedAt: now.toISOString(),
      thresholds,
      forecast: f.forecast,
      dryRun: f['dry-run'],
      stateFile: null,
      keys: checks,
      skipped,
      notifications: [],
      summary: {
        keys: checks.length,
        ok: checks.filter((c) => c.verdict === 'ok').length,
        threshold: checks.filter((c) => c.verdict === 'threshold').length,
        forecast: checks.filter((c) => c.verdict === 'forecast').length,
        exhausted: checks.filter((c) => c.verdict === 'exhausted').length,
        noBudget: checks.filter((c) => c.verdict === 'no-budget').length,
        problems: checks.reduce((n, c) => n + c.problems.length, 0),
        deliveryFailures: 0,
      },
      exitCode: ExitCode.OK,
    }

    let failed = false
    if (targets.length > 0) {
      const stateFile = path.resolve(f.state ?? path.join(this.config.dataDir, 'budget-state.json'))
      result.stateFile = stateFile
      // When every key was listed, keys that are gone (or lost their budget) are dropped from the state.
      const complete = !(f.key && f.key.length > 0) && role === 'admin'
      failed = await this.notifyAll(result, targets, stateFile, now, complete)
    } else if (f['dry-run'] && !f.quiet) {
      this.note('Nothing to send: no --notify webhook given.')
    }

    result.summary.deliveryFailures = result.notifications.filter((n) => n.status === 'failed').length
    result.exitCode = Math.max(overallExitCode(checks), failed ? ExitCode.PROXY : ExitCode.OK)
    this.setExitCode(result.exitCode)
    if (checks.length === 0 && skipped.length === 0 && !f.quiet) this.note(f.all ? 'No keys on this proxy.' : 'No key has a budget (use --all to list keys without one).')
    if (!f.quiet && !this.jsonEnabled() && (checks.length > 0 || result.notifications.length > 0)) this.out(renderBudgetCheck(result))
    return result
  }

  /**
   * Each key's spend per UTC day over the last 7 days, from /user/daily/activity (one request for all
   * keys), for the recent pace. Undefined when the proxy has no such endpoint or will not answer it.
   */
  private async recentSpendByKey(client: LiteLLMClient, now: Date): Promise<Map<string, Array<{date: string; spend: number}>> | undefined> {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    try {
      const days = await fetchDailyActivity(client, {startDate: day(now.getTime() - 6 * 86_400_000), endDate: day(now.getTime())})
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
        if (error.kind !== 'not_found') this.warnLine(`could not read recent daily spend (${error.message}); forecasts use the whole window's pace`)
        return undefined
      }
      throw error
    }
  }

  /** Send the due alerts to every target, under the lock, recording each delivery. Returns true if any failed. */
  private async notifyAll(result: BudgetCheckResult, targets: NotifyTarget[], stateFile: string, now: Date, complete: boolean): Promise<boolean> {
    const dryRun = result.dryRun
    const tracked = result.keys.filter((c) => c.hash !== null && c.verdict !== 'no-budget')
    for (const c of result.keys) if (c.hash === null) this.warnLine(`${keyLabel(c)}: the proxy did not report the key's hash; no alerts can be tracked for it`)
    if (dryRun) {
      const read = await readStateFile(stateFile)
      if (read.status === 'corrupt') this.warnLine(`the alert state file ${stateFile} is corrupted (${read.reason}); a real run would rebuild it`)
      for (const check of tracked) this.plan(result, read.state, check, targets, (alert, target) => this.record(result, alert, check, target, 'would-send'))
      return false
    }
    const lock = await acquireLock(`${stateFile}.lock`, {waitMs: lockWaitMs()}).catch((error: unknown) => {
      throw stateFileError(error, `${stateFile}.lock`)
    })
    if (!lock.acquired) {
      const who = lock.holder ? ` (pid ${lock.holder.pid} on ${lock.holder.hostname}, since ${lock.holder.createdAt})` : ''
      this.warnLine(`another keyward budget check holds the lock ${stateFile}.lock${who}; no alerts sent by this run`)
      // A failure only if this run might have had something to send.
      return tracked.some((c) => c.verdict !== 'ok' || c.problems.length > 0)
    }
    let failed = false
    try {
      if (lock.recovered) this.warnLine(`took over a stale lock${lock.recovered === 'unreadable' ? '' : ` left by pid ${lock.recovered.pid} on ${lock.recovered.hostname} (${lock.recovered.createdAt})`}`)
      const read = await readStateFile(stateFile).catch((error: unknown) => {
        throw stateFileError(error, stateFile)
      })
      if (read.status === 'corrupt') {
        const aside = await preserveCorrupt(stateFile)
        this.warnLine(`the alert state file ${stateFile} is corrupted (${read.reason}); rebuilt it${aside ? ` (the old one is kept as ${aside})` : ''}: alerts of the current windows may be sent once more`)
      }
      const state = read.state
      if (complete) {
        const present = new Set(tracked.map((c) => c.hash!))
        for (const hash of Object.keys(state.keys)) if (!present.has(hash)) delete state.keys[hash]
      }
      for (const check of tracked) {
        const entry = keyState(state, check.hash!, check.alias, check.windowId)
        pruneMarkers(entry, (markers) => stillValidMarkers(check, markers))
        for (const target of targets) {
          const {sent, problems} = sentMarkers(entry, target.id)
          for (const alert of dueAlerts(check, sent, problems, {forecast: result.forecast, thresholds: result.thresholds})) {
            const payload = this.payloadFor(target, alert, check, now, result.thresholds)
            const outcome = await deliverWebhook(target, payload, {userAgent: `keyward/${this.config.version}`, dispatcher: this.dispatcher})
            if (outcome.ok) {
              this.record(result, alert, check, target, 'sent', outcome.attempts)
              recordDelivered(entry, target.id, alert.covers, now)
              await writeStateFile(stateFile, state).catch((error: unknown) => {
                throw stateFileError(error, stateFile, 'an alert was sent but could not be recorded, so it will be sent again')
              })
            } else {
              failed = true
              const rec = this.record(result, alert, check, target, 'failed', outcome.attempts, outcome.error)
              this.warnLine(`could not deliver ${rec.event}${rec.threshold === null ? '' : ` ${rec.threshold}%`} for ${rec.key} to ${target.display} after ${outcome.attempts} attempt(s): ${outcome.error}; it will be tried again on the next run`)
            }
          }
        }
      }
      await writeStateFile(stateFile, state).catch((error: unknown) => {
        throw stateFileError(error, stateFile)
      })
    } finally {
      await lock.release()
    }
    return failed
  }

  private plan(result: BudgetCheckResult, state: AlertState, check: KeyCheck, targets: NotifyTarget[], each: (alert: DueAlert, target: NotifyTarget) => void): void {
    // Work on a copy: a dry run changes no state.
    const entry = keyState(structuredClone(state), check.hash!, check.alias, check.windowId)
    pruneMarkers(entry, (markers) => stillValidMarkers(check, markers))
    for (const target of targets) {
      const {sent, problems} = sentMarkers(entry, target.id)
      for (const alert of dueAlerts(check, sent, problems, {forecast: result.forecast, thresholds: result.thresholds})) each(alert, target)
    }
  }

  private record(result: BudgetCheckResult, alert: DueAlert, check: KeyCheck, target: NotifyTarget, status: NotificationRecord['status'], attempts = 0, error: string | null = null): NotificationRecord {
    const rec: NotificationRecord = {
      key: keyLabel(check),
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

  private payloadFor(target: NotifyTarget, alert: DueAlert, check: KeyCheck, now: Date, thresholds: number[]): unknown {
    if (target.format === 'slack') return slackPayload(alert, check)
    if (target.format === 'discord') return discordPayload(alert, check)
    const scope = alert.marker.startsWith('problem:') ? 'problem' : check.windowId
    const id = createHash('sha256').update(`${check.hash}|${scope}|${alert.marker}`).digest('hex').slice(0, 32)
    return genericPayload(alert, check, {id, sentAt: now, thresholds, proxy: proxyOrigin(this.settings.baseUrl)})
  }
}

/** The state file or its folder cannot be used (permissions, a folder in the way): a usage error, exit 2. */
function stateFileError(error: unknown, file: string, consequence?: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (!code) return error
  const why: Record<string, string> = {EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a file is in the way', EEXIST: 'a file is in the way', EISDIR: 'it is a directory', EROFS: 'read-only file system', ENOSPC: 'no space left'}
  return usageError(`cannot use the alert state file ${file}: ${why[code] ? `${why[code]} (${code})` : code}${consequence ? ` (${consequence})` : ''}`, 'Choose a writable file with --state /path/to/budget-state.json', 'or set KEYWARD_DATA_DIR to a writable folder')
}

function proxyOrigin(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).origin
  } catch {
    return null
  }
}

/** KEYWARD_NOTIFY: webhook URLs separated by whitespace (keeps them out of crontab and `ps`). */
function notifyTargetsFromEnv(): NotifyTarget[] {
  const raw = process.env.KEYWARD_NOTIFY?.trim()
  if (!raw) return []
  return raw.split(/\s+/).map((u) => parseNotifyTarget(u))
}

function lockWaitMs(): number {
  const raw = process.env.KEYWARD_LOCK_TIMEOUT
  if (raw === undefined || raw.trim() === '') return 30_000
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new InputError(`invalid KEYWARD_LOCK_TIMEOUT '${raw}': use seconds`, 'KEYWARD_LOCK_TIMEOUT=30')
  return Number(raw) * 1000
}
