import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import BudgetCheck from '../../../src/commands/budget/check.js'
import type {KeyCheck} from '../../../src/domain/alerts.js'
import {runCommand} from '../../helpers/run-command.js'
import {startWebhookReceiver, type WebhookReceiver} from '../../helpers/webhook-receiver.js'
import {envFor, useTestServers} from '../../helpers/test-server.js'
import type {TestServer} from '../../server/index.js'
import type {BudgetCheckResult} from '../../../src/contracts/budget.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const SECRET_PATH = '/hooks/T0SECRET/B0SECRET/xoxb-very-secret-token'

type Payload = {
  source: string
  version: number
  event: string
  threshold: number | null
  key: {alias: string}
  budget: {pct_used: number}
  forecast: {runs_out_at: string | null}
  problem: {kind: string} | null
  text: string
  id: string
}

describe('budget check', () => {
  const fx = useTestServers({srv: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW, freshKeys: true})
  let srv: TestServer
  let hook: WebhookReceiver
  let dir: string
  let now: Date

  beforeAll(async () => {
    hook = await startWebhookReceiver()
  })
  afterAll(async () => {
    await hook.close()
  })
  beforeEach(async () => {
    srv = fx.srv
    now = NOW
    hook.reset()
    // Config, data and the alert state: a folder of each test's own.
    dir = await fs.mkdtemp(path.join(fx.dir, 'case-'))
  })

  const env = (s: TestServer = srv) => envFor(s, dir, {KEYWARD_NOW: now.toISOString(), KEYWARD_NOTIFY: undefined})
  const hookUrl = () => `${hook.url}${SECRET_PATH}`
  const check = (args: string[], extraEnv: Record<string, string | undefined> = {}) => runCommand<BudgetCheckResult>(BudgetCheck, args, {...env(), ...extraEnv})
  const delivered = () => hook.delivered() as Payload[]

  it('sends one alert per threshold as spend climbs 45% → 82% → 101%, then nothing', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 45})
    const args = ['--threshold', '50,80,100', '--notify', hookUrl()]

    const r1 = await check(args)
    expect(r1.exitCode).toBe(0)
    expect(delivered()).toHaveLength(0)
    expect(r1.result?.keys[0]).toMatchObject({alias: 'ci-bot', spent: 45, budget: 100, verdict: 'ok', threshold: null, windowId: '2026-12-01T00:00:00.000Z'})

    srv.setSpend('ci-bot', 82)
    const r2 = await check(args)
    expect(r2.exitCode).toBe(10)
    expect(delivered()).toHaveLength(1)
    expect(delivered()[0]).toMatchObject({source: 'keyward', version: 1, event: 'threshold_crossed', threshold: 80, key: {alias: 'ci-bot'}, budget: {pct_used: 82}})
    expect(r2.stdout).toMatch(/sent threshold_crossed 80% for ci-bot to generic http:\/\/127\.0\.0\.1:\d+\/…/)

    srv.setSpend('ci-bot', 101)
    const r3 = await check(args)
    expect(r3.exitCode).toBe(11)
    expect(delivered()).toHaveLength(2)
    expect(delivered()[1]).toMatchObject({event: 'budget_exhausted', threshold: 100})
    expect(delivered()[1].text).toContain('ci-bot')
    expect(delivered()[1].text).toContain('$101.00 of $100.00')

    const r4 = await check(args)
    expect(r4.exitCode).toBe(11)
    expect(delivered()).toHaveLength(2)
    expect(r4.result?.notifications).toEqual([])
    // The webhook's secret path never reaches the output.
    for (const r of [r1, r2, r3, r4]) expect(r.stdout + r.stderr).not.toContain('SECRET')
    const state = await fs.readFile(path.join(dir, 'budget-state.json'), 'utf8')
    expect(state).not.toContain('SECRET')
    expect(JSON.parse(state)).toMatchObject({version: 1})
  })

  it('a new budget window re-arms the alerts', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 85})
    const args = ['--notify', hookUrl()]
    expect((await check(args)).exitCode).toBe(10)
    expect((await check(args)).exitCode).toBe(10)
    expect(delivered()).toHaveLength(1)
    // The proxy resets the budget on the 1st; its reset job runs on the next request.
    now = new Date('2026-12-02T09:00:00Z')
    srv.setNow(now)
    await fetch(`${srv.url}/health/liveliness`)
    expect(srv.keys()[0]).toMatchObject({spend: 0, budget_reset_at: expect.stringMatching(/^2027-01-01/)})
    srv.setSpend('ci-bot', 85)
    const r = await check(args)
    expect(r.exitCode).toBe(10)
    expect(delivered()).toHaveLength(2)
    expect(delivered()[1]).toMatchObject({event: 'threshold_crossed', threshold: 80})
    expect(r.result?.keys[0].windowId).toBe('2027-01-01T00:00:00.000Z')
  })

  it('a failed delivery is reported, not recorded, and retried on the next run', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    hook.failNext(3)
    const args = ['--notify', hookUrl(), '--json']
    const r1 = await check(args)
    expect(r1.exitCode).toBe(10)
    expect(hook.requests).toHaveLength(3) // three attempts
    expect(delivered()).toHaveLength(0)
    expect(r1.stderr).toMatch(/could not deliver threshold_crossed 80% for ci-bot to generic http:\/\/127\.0\.0\.1:\d+\/… after 3 attempt\(s\): HTTP 500/)
    expect(r1.stderr).not.toContain('SECRET')
    const json = JSON.parse(r1.stdout) as BudgetCheckResult
    expect(json.notifications[0]).toMatchObject({status: 'failed', attempts: 3, event: 'threshold_crossed'})
    expect(json.summary.deliveryFailures).toBe(1)

    const r2 = await check(args)
    expect(r2.exitCode).toBe(10)
    expect(delivered()).toHaveLength(1)
    expect(r2.result?.notifications[0]).toMatchObject({status: 'sent', attempts: 1})
    expect((await check(args)).result?.notifications).toEqual([])
    expect(delivered()).toHaveLength(1)
  })

  it('a dropped connection is retried within the run', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    hook.failNext(1, 'reset')
    const r = await check(['--notify', hookUrl()])
    expect(r.exitCode).toBe(10)
    expect(hook.requests).toHaveLength(2)
    expect(delivered()).toHaveLength(1)
    expect(r.result?.notifications[0]).toMatchObject({status: 'sent', attempts: 2})
  })

  it('exit 6 when a delivery fails and no budget alert code applies (a blocked key)', async () => {
    // A blocked key at 10% is alerted once but exits 0 by itself.
    srv.addKey({key_alias: 'blocked-bot', max_budget: 100, budget_duration: '30d', spend: 10, blocked: true})
    expect((await check(['--json'])).exitCode).toBe(0)
    hook.failNext(3, 503)
    const r = await check(['--notify', hookUrl()])
    expect(r.exitCode).toBe(6)
    expect(r.result?.keys[0].problems.map((p) => p.kind)).toEqual(['blocked'])
    expect(r.stderr).toContain('could not deliver budget_problem for blocked-bot')
    const again = await check(['--notify', hookUrl()])
    expect(again.exitCode).toBe(0)
    expect(delivered()).toMatchObject([{event: 'budget_problem', problem: {kind: 'blocked'}}])
    expect(delivered()[0].text).toContain('blocked-bot')
    expect(delivered()[0].text).toContain('the key is blocked: every request with it is refused')
    expect((await check(['--notify', hookUrl()])).result?.notifications).toEqual([])
  })

  it('with --forecast, names the run-out date of a key at 40% five days into a 30-day window', async () => {
    const resetAt = new Date(now.getTime() + 25 * 86_400_000)
    srv.addKey({key_alias: 'fast-burner', max_budget: 100, budget_duration: '30d', spend: 40, budget_reset_at: resetAt.toISOString()})
    const plain = await check(['--json'])
    expect(plain.exitCode).toBe(0)
    const k = plain.result!.keys[0]
    expect(k.window).toMatchObject({start: new Date(now.getTime() - 5 * 86_400_000).toISOString(), end: resetAt.toISOString()})
    expect(k.burnRatePerDay).toBeCloseTo(8, 6)
    expect(k.forecastSpend).toBeCloseTo(240, 6)
    // 60 dollars left at 8 a day: 7.5 days.
    expect(k.runOutAt).toBe(new Date(now.getTime() + 7.5 * 86_400_000).toISOString())

    const r = await check(['--forecast', '--notify', hookUrl()])
    expect(r.exitCode).toBe(10)
    expect(r.result?.keys[0].verdict).toBe('forecast')
    expect(delivered()).toHaveLength(1)
    const p = delivered()[0]
    expect(p).toMatchObject({event: 'forecast_exceeds', forecast: {runs_out_at: '2026-11-28T00:00:00.000Z'}})
    expect(p.text).toContain('run out on 2026-11-28')
    expect(r.stdout).toMatch(/fast-burner .*forecast to exceed/)
    // Once per window.
    expect((await check(['--forecast', '--notify', hookUrl()])).result?.notifications).toEqual([])
    expect(delivered()).toHaveLength(1)
  })

  it('--dry-run prints what would be sent and changes no state', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    const r = await check(['--notify', hookUrl(), '--dry-run'])
    expect(r.exitCode).toBe(10)
    expect(hook.requests).toHaveLength(0)
    expect(r.stdout).toMatch(/would send threshold_crossed 80% for ci-bot to generic http:\/\/127\.0\.0\.1:\d+\/…:\n {2}keyward: ci-bot crossed 80% of its budget: spent \$82\.00 of \$100\.00 \(82\.0% used\); resets 2026-12-01 00:00 UTC; forecast/)
    await expect(fs.stat(path.join(dir, 'budget-state.json'))).rejects.toThrow()
    await expect(fs.readdir(dir)).resolves.toEqual([])
    // A real run then sends it.
    await check(['--notify', hookUrl()])
    expect(delivered()).toHaveLength(1)
  })

  it('a corrupted state file is reported and rebuilt', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    const stateFile = path.join(dir, 'custom', 'alerts.json')
    await fs.mkdir(path.dirname(stateFile), {recursive: true})
    await fs.writeFile(stateFile, '{"version": 1, "keys": {"abc": ')
    const r = await check(['--notify', hookUrl(), '--state', stateFile])
    expect(r.exitCode).toBe(10)
    expect(r.stderr).toMatch(/the alert state file .*alerts\.json is corrupted \(not JSON/)
    expect(delivered()).toHaveLength(1)
    const rebuilt = JSON.parse(await fs.readFile(stateFile, 'utf8')) as {version: number; keys: Record<string, {alias: string}>}
    expect(Object.values(rebuilt.keys)[0]).toMatchObject({alias: 'ci-bot'})
    expect(await fs.readFile(`${stateFile}.corrupt`, 'utf8')).toContain('"abc"')
    expect((await fs.stat(stateFile)).mode & 0o777).toBe(0o600)
    // Valid JSON of the wrong shape is corrupt too.
    await fs.writeFile(stateFile, '[1,2,3]')
    const r2 = await check(['--notify', hookUrl(), '--state', stateFile])
    expect(r2.stderr).toMatch(/is corrupted \(unexpected content/)
    expect(r2.exitCode).toBe(10)
  })

  it('an unusable state file is a usage error (exit 2), before anything is sent', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    const blocker = path.join(dir, 'a-file')
    await fs.writeFile(blocker, '')
    const r = await check(['--notify', hookUrl(), '--state', path.join(blocker, 'state.json')])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/cannot use the alert state file .*a-file\/state\.json\.lock: a file is in the way \((ENOTDIR|EEXIST)\)/)
    expect(r.stderr).toContain('--state')
    expect(hook.requests).toHaveLength(0)
  })

  it('takes over a stale lock, and does not send while a live run holds it', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    const lockFile = path.join(dir, 'budget-state.json.lock')
    // A live holder (this very process), fresh: the run waits, gives up, sends nothing.
    await fs.writeFile(lockFile, JSON.stringify({pid: process.pid, hostname: os.hostname(), createdAt: new Date().toISOString()}))
    const held = await check(['--notify', hookUrl()], {KEYWARD_LOCK_TIMEOUT: '0.3'})
    expect(held.stderr).toMatch(/another keyward budget check holds the lock .*budget-state\.json\.lock \(pid \d+/)
    expect(hook.requests).toHaveLength(0)
    expect(held.exitCode).toBe(10)
    // A holder that is gone: taken over.
    await fs.writeFile(lockFile, JSON.stringify({pid: 2 ** 22 + 12345, hostname: os.hostname(), createdAt: new Date().toISOString()}))
    const r = await check(['--notify', hookUrl()], {KEYWARD_LOCK_TIMEOUT: '0.3'})
    expect(r.stderr).toContain('took over a stale lock left by pid')
    expect(delivered()).toHaveLength(1)
    await expect(fs.stat(lockFile)).rejects.toThrow() // released
  })

  it('forces Slack and Discord formats with a scheme prefix', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    const r = await check(['--notify', `slack+${hook.url}/services/T/B/X`, '--notify', `discord+${hook.url}/api/webhooks/1/abc`])
    expect(r.exitCode).toBe(10)
    const bodies = hook.delivered() as Array<Record<string, unknown>>
    expect(bodies).toHaveLength(2)
    expect(bodies[0]).toMatchObject({text: expect.stringContaining('ci-bot crossed 80% of its budget'), blocks: [{type: 'section'}, {type: 'context', elements: [{type: 'mrkdwn', text: expect.stringMatching(/^keyward alert [0-9a-f]{32}$/)}]}]})
    expect(bodies[1]).toMatchObject({username: 'keyward', content: expect.stringContaining('ci-bot crossed 80% of its budget'), allowed_mentions: {parse: []}})
    expect(r.stdout).toMatch(/sent threshold_crossed 80% for ci-bot to slack http:\/\/127\.0\.0\.1:\d+\/…/)
    expect(r.stdout).toMatch(/sent threshold_crossed 80% for ci-bot to discord http:\/\/127\.0\.0\.1:\d+\/…/)
  })

  it('reports problems: a blocked key and a monthly budget that resets daily (exit 10 for the latter)', async () => {
    const old = fx.old
    old.addKey({key_alias: 'openclaw', max_budget: 20, budget_duration: 'monthly', spend: 1})
    old.addKey({key_alias: 'blocked', max_budget: 20, budget_duration: '30d', spend: 1, blocked: true})
    old.addKey({key_alias: 'no-budget', spend: 3})
    const r = await runCommand<BudgetCheckResult>(BudgetCheck, ['--notify', hookUrl()], env(old))
    expect(r.exitCode).toBe(10)
    const byAlias: Record<string, KeyCheck> = Object.fromEntries(r.result!.keys.map((k) => [k.alias, k]))
    expect(Object.keys(byAlias).sort()).toEqual(['blocked', 'openclaw'])
    expect(byAlias.openclaw.problems.map((p) => p.kind)).toEqual(['reset-trap'])
    expect(byAlias.openclaw.window?.basis).toBe('daily-reset')
    expect(byAlias.blocked.problems.map((p) => p.kind)).toEqual(['blocked'])
    expect(r.stdout).toContain("! openclaw: budget_duration 'monthly' makes the proxy reset this budget every night")
    const events = delivered().map((p) => `${p.key.alias}:${p.event}:${p.problem?.kind}`).sort()
    expect(events).toEqual(['blocked:budget_problem:blocked', 'openclaw:budget_problem:reset-trap'])
    // Not repeated, even though the daily window changes.
    const r2 = await runCommand<BudgetCheckResult>(BudgetCheck, ['--notify', hookUrl(), '--all', '--json'], env(old))
    expect(r2.result?.notifications).toEqual([])
    expect(r2.result?.keys.find((k) => k.alias === 'no-budget')?.verdict).toBe('no-budget')
  })

  it('selects keys with --key, skips a key without a budget, and rejects bad input without a request', async () => {
    srv.addKey({key_alias: 'a', max_budget: 10, budget_duration: '30d', spend: 9})
    srv.addKey({key_alias: 'b', max_budget: 10, budget_duration: '30d', spend: 1})
    srv.addKey({key_alias: 'c', spend: 1})
    const r = await check(['--key', 'b', '--key', 'c', '--json'])
    expect(r.exitCode).toBe(0)
    expect(r.result?.keys.map((k) => k.alias)).toEqual(['b'])
    expect(r.result?.skipped).toEqual([{key: 'c', reason: 'no budget (max_budget is not set)'}])
    expect(r.stderr).toContain('c: no budget')

    const before = srv.requests.length
    const bad = await check(['--threshold', '50,abc'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain("invalid threshold 'abc'")
    const badUrl = await check(['--notify', 'ftp://example.com/x/secret'])
    expect(badUrl.exitCode).toBe(2)
    expect(badUrl.stderr).toContain('only http and https')
    expect(badUrl.stderr).not.toContain('secret')
    expect((await check(['--key', 'a', '--all'])).exitCode).toBe(2)
    expect(srv.requests.length).toBe(before)

    const missing = await check(['--key', 'nope'])
    expect(missing.exitCode).toBe(4)
  })

  it('with only a virtual key (LITELLM_API_KEY), checks that key itself', async () => {
    srv.addKey({key_alias: 'other', max_budget: 10, budget_duration: '30d', spend: 10})
    const {key} = srv.addKey({key_alias: 'mine', max_budget: 10, budget_duration: '30d', spend: 8.5})
    const r = await check(['--json'], {LITELLM_MASTER_KEY: undefined, LITELLM_API_KEY: key})
    expect(r.exitCode).toBe(10)
    expect(r.result?.keys.map((k) => [k.alias, k.verdict, k.threshold])).toEqual([['mine', 'threshold', 80]])
    expect(r.stdout).not.toContain(key)
  })

  it('forgets keys that are gone when all keys were checked', async () => {
    const {token} = srv.addKey({key_alias: 'gone-soon', max_budget: 10, budget_duration: '30d', spend: 9})
    srv.addKey({key_alias: 'stays', max_budget: 10, budget_duration: '30d', spend: 9})
    await check(['--notify', hookUrl()])
    const stateFile = path.join(dir, 'budget-state.json')
    expect(Object.keys((JSON.parse(await fs.readFile(stateFile, 'utf8')) as {keys: object}).keys)).toHaveLength(2)
    await fetch(`${srv.url}/key/delete`, {method: 'POST', headers: {authorization: `Bearer ${srv.masterKey}`, 'content-type': 'application/json'}, body: JSON.stringify({keys: [token]})})
    await check(['--notify', hookUrl()])
    const keys = (JSON.parse(await fs.readFile(stateFile, 'utf8')) as {keys: Record<string, {alias: string}>}).keys
    expect(Object.values(keys).map((k) => k.alias)).toEqual(['stays'])
    expect(delivered()).toHaveLength(2)
  })

  it('--quiet prints nothing on stdout; --json is pure JSON', async () => {
    srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 101})
    const q = await check(['--quiet'])
    expect(q.exitCode).toBe(11)
    expect(q.stdout).toBe('')
    const j = await check(['--json'])
    expect(j.exitCode).toBe(11)
    const parsed = JSON.parse(j.stdout) as BudgetCheckResult
    expect(parsed).toMatchObject({exitCode: 11, summary: {keys: 1, exhausted: 1}, keys: [{alias: 'ci-bot', verdict: 'exhausted', problems: [{kind: 'over-budget'}]}]})
    const none = await runCommand<BudgetCheckResult>(BudgetCheck, ['--json'], {...env()})
    expect(JSON.parse(none.stdout)).toMatchObject({keys: [{alias: 'ci-bot'}]})
  })

  it("a 'monthly' key on a proxy that reads the word (reset on the 1st, as LiteLLM 1.95+ does) is not reported as resetting nightly", async () => {
    srv.addKey({key_alias: 'claw', max_budget: 50, budget_duration: 'monthly', spend: 5})
    const r = await check(['--json'])
    expect(r.exitCode).toBe(0)
    const out = JSON.parse(r.stdout) as BudgetCheckResult
    expect(out.keys[0]).toMatchObject({alias: 'claw', duration: 'monthly', resetAt: '2026-12-01T00:00:00.000Z', verdict: 'ok', problems: []})
  })

  it("a 'monthly' key on an older proxy (reset at the next midnight) is still a reset trap, exit 10", async () => {
    srv = fx.old
    srv.addKey({key_alias: 'claw', max_budget: 50, budget_duration: 'monthly', spend: 5})
    const r = await check(['--json'])
    expect(r.exitCode).toBe(10)
    expect((JSON.parse(r.stdout) as BudgetCheckResult).keys[0].problems).toEqual([expect.objectContaining({kind: 'reset-trap'})])
  })
})
