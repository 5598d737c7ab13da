/** `keyward keys audit` against both flavours: findings, fixes, exit 10 for cron. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import KeysAudit from '../../../src/commands/keys/audit.js'
import KeysCreate from '../../../src/commands/keys/create.js'
import KeysUpdate from '../../../src/commands/keys/update.js'
import type {AuditResult} from '../../../src/domain/audit.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import type {TestServer} from '../../server/index.js'
import {NOW, withoutNodeWarnings} from './helpers.js'
import {useTestServers} from '../../helpers/test-server.js'

// wordMonthly: a new proxy holding only a word-form 'monthly' key (added by its test); windows: budget_limits keys.
const fx = useTestServers({old: {flavor: 'old'}, new: {flavor: 'new'}, clean: {flavor: 'new'}, wordMonthly: {flavor: 'new'}, windows: {flavor: 'new'}}, {now: NOW})
const tokens: Record<string, string> = {}

beforeAll(() => {
  // Old proxy: the word 'monthly' is stored and reset next midnight (the trap).
  tokens.word = fx.old.addKey({key_alias: 'word-monthly', max_budget: 50, budget_duration: 'monthly'}).token
  // Old proxy: 30d is a rolling window, fine, even when its end is near (a key made 29.5 days ago).
  fx.old.addKey({key_alias: 'rolling-fresh', max_budget: 50, budget_duration: '30d'})
  fx.old.addKey({key_alias: 'rolling-near', max_budget: 50, budget_duration: '30d', budget_reset_at: '2026-11-18T22:31:07.412000Z'})
  // New proxy: a 30d budget whose reset was computed as next midnight (as 1mo was on older versions).
  tokens.daily = fx.new.addKey({key_alias: 'daily-30d', max_budget: 50, budget_duration: '30d', budget_reset_at: '2026-11-19T00:00:00+00:00'}).token
  fx.new.addKey({key_alias: 'unlimited'})
  fx.new.addKey({key_alias: 'over', max_budget: 10, budget_duration: '30d'})
  fx.new.setSpend('over', 12.5)
  fx.new.addKey({key_alias: 'expired', max_budget: 10, budget_duration: '30d', expires: '2026-10-01T00:00:00+00:00'})
  fx.new.addKey({key_alias: 'blocked key', max_budget: 10, budget_duration: '30d', blocked: true})
  fx.new.addKey({key_alias: 'healthy', max_budget: 10, budget_duration: '30d'})
  fx.clean.addKey({key_alias: 'healthy', max_budget: 10, budget_duration: '7d'})
})

const audit = async (srv: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(
  await runCommand<AuditResult>(KeysAudit, argv, fx.env(srv, extra)),
)

describe('keys audit', () => {
  it('old proxy: a word-form monthly budget that resets daily is critical; rolling 30d resets are fine', async () => {
    const r = await audit(fx.old, [])
    expect(r.exitCode).toBe(10)
    expect(r.result!.checked).toBe(3)
    expect(r.result!.findings).toEqual([
      {
        alias: 'word-monthly',
        keyName: expect.stringMatching(/^sk-\.\.\./),
        hash: tokens.word,
        code: 'word-duration',
        severity: 'critical',
        message: "budget_duration 'monthly' is a word: this proxy resets it DAILY (next reset 2026-11-19 00:00 UTC, in 14 h)",
        fix: 'keyward keys update word-monthly --period monthly',
        window: null,
      },
    ])
    expect(r.stdout).toMatch(/^CRITICAL word-monthly \[word-duration\]: budget_duration 'monthly' is a word/m)
    expect(r.stdout).toMatch(/^ {2}fix: keyward keys update word-monthly --period monthly$/m)
    expect(r.stdout).toMatch(/1 finding in 3 keys: 1 critical, 0 warning, 0 info\.\n$/)
  })

  it("new proxy: a word-form 'monthly' it reads (reset on the 1st, LiteLLM 1.95+) is a warning that says so, not a daily reset", async () => {
    fx.wordMonthly.addKey({key_alias: 'claw-word', max_budget: 50, budget_duration: 'monthly'})
    const r = await audit(fx.wordMonthly, ['--json'])
    const parsed = JSON.parse(r.stdout) as AuditResult
    expect(parsed.findings).toEqual([
      expect.objectContaining({
        alias: 'claw-word',
        code: 'word-duration',
        severity: 'warning',
        message: "budget_duration 'monthly' is a word: this proxy reads it (next reset 2026-12-01 00:00 UTC, in 13 days), but LiteLLM before 1.95 resets such budgets every night",
      }),
    ])
  })

  it('new proxy: every kind of finding, in a stable order, with its fix', async () => {
    const r = await audit(fx.new, ['--json'])
    expect(r.exitCode).toBe(10)
    const parsed = JSON.parse(r.stdout) as AuditResult
    expect(parsed.checked).toBe(6)
    expect(parsed.counts).toEqual({critical: 1, warning: 2, info: 2})
    expect(parsed.findings.map((f) => [f.severity, f.alias, f.code])).toEqual([
      ['critical', 'daily-30d', 'resets-daily'],
      ['warning', 'over', 'over-budget'],
      ['warning', 'unlimited', 'no-budget'],
      ['info', 'blocked key', 'blocked'],
      ['info', 'expired', 'expired'],
    ])
    const byCode = Object.fromEntries(parsed.findings.map((f) => [f.code, f]))
    expect(byCode['resets-daily']).toMatchObject({hash: tokens.daily, fix: 'keyward keys update daily-30d --period monthly'})
    expect(byCode['resets-daily'].message).toMatch(/resets at 2026-11-19 00:00 UTC, in 14 h, not at the start of a month: the proxy resets it DAILY/)
    expect(byCode['over-budget'].message).toMatch(/spent \$12\.50 of its \$10\.00 budget \(125%\)/)
    expect(byCode['no-budget'].fix).toBe('keyward keys update unlimited --budget <USD> --period monthly')
    expect(byCode.blocked.fix).toMatch(/^keyward keys unblock 'blocked key'/)
    expect(byCode.expired.message).toMatch(/^expired on 2026-10-01 00:00 UTC/)
    for (const f of parsed.findings) expect(Object.keys(f)).toEqual(['alias', 'keyName', 'hash', 'code', 'severity', 'message', 'fix', 'window'])
  })

  it('--ignore drops accepted findings', async () => {
    const r = await audit(fx.new, ['--ignore', 'blocked,expired,no-budget,over-budget', '--json'])
    expect(r.exitCode).toBe(10)
    expect((JSON.parse(r.stdout) as AuditResult).findings.map((f) => f.code)).toEqual(['resets-daily'])
    const bad = await audit(fx.new, ['--ignore', 'sleepy'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toMatch(/unknown finding 'sleepy'/)
  })

  it('a clean proxy exits 0 with the same JSON shape', async () => {
    const r = await audit(fx.clean, ['--json'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({checked: 1, findings: [], counts: {critical: 0, warning: 0, info: 0}})
    const human = await audit(fx.clean, [])
    expect(human.stdout).toBe('No problems found in 1 key.\n')
  })
})

describe('keys audit: budget windows (budget_limits, #15 item 2)', () => {
  beforeAll(async () => {
    // Made as keyward makes them: the proxy sets each window's reset (the 1d one tonight, the 30d one on the 1st).
    const made = await runCommand(KeysCreate, ['--alias', 'windows-ok', '--limit', '5/1d', '--limit', '50/30d', '--json'], fx.env(fx.windows))
    expect(made.exitCode).toBe(0)
    // Stored as an older computation left it: the 30d window resets at the next midnight, as a day window would.
    tokens.trap = fx.windows.addKey({
      key_alias: 'window-trap',
      budget_limits: [{budget_duration: '1d', max_budget: 5, reset_at: '2026-11-19T00:00:00+00:00'}, {budget_duration: '30d', max_budget: 50, reset_at: '2026-11-19T00:00:00+00:00'}],
    }).token
    // A window with no reset_at: LiteLLM's reset job skips it, so it never resets.
    fx.windows.addKey({key_alias: 'window-no-reset', budget_limits: [{budget_duration: '7d', max_budget: 20}]})
  })

  it('flags the monthly window that resets daily and the window that never resets, not the healthy ones', async () => {
    const r = await audit(fx.windows, ['--json'])
    expect(r.exitCode).toBe(10)
    const parsed = JSON.parse(r.stdout) as AuditResult
    expect(parsed.checked).toBe(3)
    expect(parsed.findings).toEqual([
      {
        alias: 'window-trap',
        keyName: expect.stringMatching(/^sk-\.\.\./),
        hash: tokens.trap,
        code: 'resets-daily',
        severity: 'critical',
        message: 'monthly (30d) window (budget_limits) of $50.00 resets at 2026-11-19 00:00 UTC, in 14 h, not at the start of a month: the proxy resets it DAILY',
        fix: 'keyward keys update window-trap --limit 5/1d --limit 50/30d',
        window: '30d',
      },
      expect.objectContaining({alias: 'window-no-reset', code: 'reset-unknown', severity: 'warning', window: '7d', fix: 'keyward keys update window-no-reset --limit 20/7d'}),
    ])
    expect(parsed.counts).toEqual({critical: 1, warning: 1, info: 0})
    const human = await audit(fx.windows, [])
    expect(human.stdout).toContain('window-trap [resets-daily]: monthly (30d) window (budget_limits) of $50.00 resets at 2026-11-19 00:00 UTC')
    expect(human.stdout).toContain('  fix: keyward keys update window-trap --limit 5/1d --limit 50/30d')
  })

  it('the fix it prints works: re-sending the windows gives the 30d window a reset on the 1st, and the audit is clean', async () => {
    const fixed = await runCommand(KeysUpdate, ['window-trap', '--limit', '5/1d', '--limit', '50/30d', '--json'], fx.env(fx.windows))
    expect(fixed.exitCode).toBe(0)
    const r = await audit(fx.windows, ['--json', '--ignore', 'reset-unknown'])
    expect(r.exitCode).toBe(0)
    expect((JSON.parse(r.stdout) as AuditResult).findings).toEqual([])
  })
})
