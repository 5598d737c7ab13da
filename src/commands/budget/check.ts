import {promises as fs} from 'node:fs'
import path from 'node:path'

import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import type {BudgetCheckResult} from '../../contracts/budget.js'
import {InputError, usageError} from '../../core/errors.js'
import {parseThresholds} from '../../domain/inputs.js'
import {parseScope} from '../../domain/budget-holders.js'
import {hasPassword, isRedisUrl, parseRedisStateUrl, redactRedisUrl, type RedisStateUrl} from '../../domain/state-url.js'
import {parseNotifyTarget, type NotifyTarget} from '../../notify/targets.js'
import {renderBudgetCheck} from '../../output/budget.js'
import {redisAlertStore} from '../../workflows/alert-store.js'
import {claimTtlMs, lockWaitMs} from '../../cli/budget-env.js'
import {runBudgetCheck} from '../../workflows/budget-check.js'
import type {Notes} from '../../workflows/notes.js'

const DEFAULT_THRESHOLDS = [50, 80, 100]

const thresholdFlag = Flags.custom<number[]>({parse: async (input) => parseThresholds(input)})
const notifyFlag = Flags.custom<NotifyTarget>({parse: async (input) => parseNotifyTarget(input)})

export default class BudgetCheck extends BaseCommand<typeof BudgetCheck> {
  static description = `Checks every selected key that has a budget: spent, budget, % used, the current budget window (from budget_reset_at and the period), the burn rate in this window (its average, or the last 7 days' pace from /user/daily/activity when that is faster), the spend forecast at the window's end, and the date the budget runs out at that pace. Without --key and --all, every key that has a budget is checked, and so is every team and internal user with a budget of its own (/team/list, /user/list; a key in a team is limited by both): they are listed as 'team <id>' and 'user <id>' with the same thresholds, forecasts, alerts once per window and exit codes. --scope picks which of keys, teams and users are checked.

Verdict per key: ok, a threshold crossed (the highest one), forecast to exceed (with --forecast), resets daily (a monthly budget the proxy resets every night), or exhausted. Problems are reported and alerted too: a blocked key, a monthly budget that the proxy resets every night (budget_duration 'monthly' on older proxies), spend over the budget.

Exit codes, for cron: 0 all ok; 10 a threshold crossed, a budget forecast to be exceeded (with --forecast), or a monthly budget that resets every night (verdict "resets daily"); 11 a budget exhausted; 2/3/4/6 the usual failures. The exit code is the worst verdict shown (a blocked key's too: a blocked key that is exhausted exits 11); being blocked is alerted once and changes no verdict. A webhook delivery that fails is reported on stderr and raises the exit code to at least 6 (10 and 11 are higher and stay); it is not recorded as sent, so the next run tries again.

--notify sends each alert once per budget window: Slack incoming webhooks (hooks.slack.com/services/...), Discord webhooks (discord.com/api/webhooks/...) and any other URL (keyward's generic JSON payload, version 1), recognised by the address; prefix the scheme with slack+, discord+ or generic+ to force a format. Webhook URLs are secrets: they are never printed whole. Put them in KEYWARD_NOTIFY (whitespace-separated) to keep them out of crontab and ps.

What was sent is recorded in a state file (default: budget-state.json in keyward's data directory; KEYWARD_DATA_DIR moves the directory). A new budget window re-arms the alerts. The file is written atomically, and a lock file (<state>.lock) keeps overlapping runs from sending twice: a run waits up to KEYWARD_LOCK_TIMEOUT seconds (default 30) for the lock; a lock whose process is gone, or older than 10 minutes, is taken over. A corrupted state file is reported, kept as <state>.corrupt, and rebuilt.

For runs on several hosts, or Kubernetes CronJobs without a disk, keep the state in Redis: --state redis://[user:password@]host:port/db (rediss:// for TLS), or the same URL in KEYWARD_STATE_URL to keep the password out of ps. Each alert is claimed with one atomic SET NX, so any number of concurrent runs deliver it once; the claim of an alert being sent is a lease of KEYWARD_CLAIM_TTL seconds (default 300): a delivery that fails releases it and the next run retries, a run killed mid-delivery leaves it to expire, and the run after that sends the alert again with the same id (at-least-once). A delivered alert's record expires a day after its budget window ends. Redis unreachable: exit 6, nothing sent.`

  static examples = [
    {description: 'check every key that has a budget (exit 0, 10 or 11)', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'alert Slack at 50%, 80% and 100%, and when a key will run out before its reset', command: '<%= config.bin %> <%= command.id %> --notify https://hooks.slack.com/services/T000/B000/XXXX --forecast --quiet'},
    {description: 'two keys, custom thresholds, machine-readable', command: '<%= config.bin %> <%= command.id %> --key ci-bot --key openclaw --threshold 75,90,100 --json'},
    {description: 'see what would be sent, without sending or recording anything', command: '<%= config.bin %> <%= command.id %> --notify https://example.com/hooks/keyward --dry-run'},
    {description: 'from cron: page someone when a budget needs attention', command: '<%= config.bin %> <%= command.id %> --quiet || page-me "keyward budget check exited $?"'},
    {description: 'from several hosts or a Kubernetes CronJob: alert state in Redis (the URL in KEYWARD_STATE_URL keeps its password out of ps)', command: 'KEYWARD_STATE_URL=redis://:PASSWORD@redis:6379/0 <%= config.bin %> <%= command.id %> --quiet'},
  ]

  static flags = {
    all: Flags.boolean({description: 'check every key, also keys without a budget (shown as "no budget", never alerted)', exclusive: ['key']}),
    'dry-run': Flags.boolean({description: 'print the alerts that would be sent; send nothing and change no state'}),
    forecast: Flags.boolean({description: 'also alert when a key, at its pace in this window, will run out before its budget resets'}),
    key: Flags.string({description: 'a key to check: alias, sk- key or hash (repeatable; default: every key that has a budget)', multiple: true, exclusive: ['all']}),
    notify: notifyFlag({description: 'webhook URL to alert: Slack, Discord or generic JSON (repeatable) [env: KEYWARD_NOTIFY, whitespace-separated]', multiple: true}),
    scope: Flags.custom({parse: async (s) => parseScope(s)})({description: 'what to check without --key: keys, teams and/or users, comma-separated [default: keys,teams,users]'}),
    quiet: Flags.boolean({description: 'print nothing on stdout (the exit code and the webhooks tell); warnings and failed deliveries still go to stderr'}),
    state: Flags.string({description: "alert state: a file, or redis://[user:pass@]host:port/db (rediss:// for TLS) [default: budget-state.json in keyward's data directory] [env: KEYWARD_STATE_URL, a Redis URL]", helpValue: 'FILE|URL'}),
    threshold: thresholdFlag({description: 'percentages of the budget that raise an alert, comma-separated [default: 50,80,100]'}),
  }

  static summary = 'check budgets and forecasts, alert webhooks once per threshold; exits 0/10/11 for cron'

  async run(): Promise<BudgetCheckResult> {
    const f = this.flags
    const targets = f.notify ?? notifyTargetsFromEnv()
    // Checked before any request: a bad lock timeout or a --state that is a folder is bad input.
    const lockWait = lockWaitMs()
    const redisUrl = this.redisState()
    const stateFile = path.resolve(redisUrl || !f.state ? path.join(this.config.dataDir, 'budget-state.json') : f.state)
    if (!redisUrl && (await isFolder(stateFile))) throw usageError(`cannot use ${stateFile} as the alert state file: it is a folder`, 'Name a file: --state ./budget-state.json')
    const claimTtl = claimTtlMs()
    const {client, role} = this.anyKeyClient()
    const result = await runBudgetCheck({
      client,
      role,
      keys: f.key ?? [],
      all: f.all,
      scope: f.scope ?? ['keys', 'teams', 'users'],
      thresholds: f.threshold ?? DEFAULT_THRESHOLDS,
      forecast: f.forecast,
      dryRun: f['dry-run'],
      targets,
      stateFile,
      store: redisUrl ? redisAlertStore(redisUrl, {dryRun: f['dry-run'], now: this.now(), notes: this.notes(), claimTtlMs: claimTtl}) : undefined,
      now: this.now(),
      assertMaster: async (first) => (await this.masterClientWith(first)).first,
      lockWaitMs: () => lockWait,
      proxy: proxyOrigin(this.settings.baseUrl),
      userAgent: `keyward/${this.config.version}`,
      dispatcher: this.dispatcher,
      notes: this.notes(),
    })
    if (targets.length === 0 && f['dry-run'] && !f.quiet) this.note('Nothing to send: no --notify webhook given.')
    this.setExitCode(result.exitCode)
    if (result.keys.length === 0 && result.skipped.length === 0 && !f.quiet) this.note(f.all ? 'No keys on this proxy.' : 'No key has a budget (use --all to list keys without one).')
    if (!f.quiet && !this.jsonEnabled() && (result.keys.length > 0 || result.notifications.length > 0)) this.out(renderBudgetCheck(result))
    return result
  }

  private notes(): Notes {
    return {warn: (line) => this.warnLine(line), note: (line) => this.note(line)}
  }

  /** --state redis://… or KEYWARD_STATE_URL (checked before any request); undefined: the state file. */
  private redisState(): RedisStateUrl | undefined {
    const flag = this.flags.state
    if (flag !== undefined && isRedisUrl(flag)) {
      const url = parseRedisStateUrl(flag, '--state')
      if (hasPassword(url)) this.warnLine('the Redis password in --state can be read by anyone who can list processes (ps); put the URL in KEYWARD_STATE_URL instead')
      return url
    }
    if (flag !== undefined) return undefined
    const env = process.env.KEYWARD_STATE_URL?.trim()
    if (!env) return undefined
    if (!isRedisUrl(env)) throw new InputError(`invalid KEYWARD_STATE_URL '${redactRedisUrl(env)}': it names a Redis server (redis:// or rediss://); a state file goes in --state`, 'KEYWARD_STATE_URL=redis://:PASSWORD@redis:6379/0')
    return parseRedisStateUrl(env, 'KEYWARD_STATE_URL')
  }
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

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isDirectory()
  } catch {
    return false
  }
}
