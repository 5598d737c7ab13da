/** The budget-check workflow against the test server and a webhook receiver, without a command around it. */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {LiteLLMClient} from '../../src/api/client.js'
import {parseNotifyTarget} from '../../src/notify/targets.js'
import {runBudgetCheck, type BudgetCheckOptions} from '../../src/workflows/budget-check.js'
import {startWebhookReceiver, type WebhookReceiver} from '../helpers/webhook-receiver.js'
import {forgetRequests, useTestServers} from '../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')

describe('runBudgetCheck', () => {
  // Each test an empty proxy (no keys) and its own state folder.
  const fx = useTestServers({srv: {flavor: 'new'}}, {now: NOW, freshKeys: true})
  let hook: WebhookReceiver
  let dir: string
  let warnings: string[]

  beforeAll(async () => {
    hook = await startWebhookReceiver()
  })
  afterAll(async () => {
    await hook.close()
  })
  beforeEach(async () => {
    hook.reset()
    warnings = []
    dir = await fs.mkdtemp(path.join(fx.dir, 'case-'))
  })

  const options = (o: Partial<BudgetCheckOptions> = {}): BudgetCheckOptions => ({
    client: new LiteLLMClient({baseUrl: fx.srv.url, apiKey: fx.srv.masterKey, timeoutMs: 5000}),
    role: 'admin',
    keys: [],
    all: false,
    thresholds: [50, 80, 100],
    forecast: false,
    dryRun: false,
    targets: [parseNotifyTarget(`${hook.url}/hooks/wf`)],
    stateFile: path.join(dir, 'state.json'),
    now: NOW,
    assertMaster: (first) => first(),
    lockWaitMs: () => 1000,
    proxy: null,
    userAgent: 'keyward/test',
    notes: {warn: (line) => warnings.push(line), note: () => undefined},
    ...o,
  })

  it('a dry run plans exactly what the real run then sends, and leaves no state behind', async () => {
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 85})
    fx.srv.addKey({key_alias: 'laptop', max_budget: 10, budget_duration: '30d', spend: 10})
    fx.srv.addKey({key_alias: 'quiet', max_budget: 100, budget_duration: '30d', spend: 5})

    const planned = await runBudgetCheck(options({dryRun: true}))
    expect(hook.requests).toHaveLength(0)
    expect(existsSync(path.join(dir, 'state.json'))).toBe(false)
    expect(existsSync(path.join(dir, 'state.json.lock'))).toBe(false)
    expect(planned.notifications.map((n) => [n.key, n.event, n.threshold, n.status])).toEqual([
      ['laptop', 'budget_exhausted', 100, 'would-send'],
      ['ci-bot', 'threshold_crossed', 80, 'would-send'],
    ])
    expect(planned.exitCode).toBe(11)

    const real = await runBudgetCheck(options())
    expect(real.notifications.map((n) => [n.key, n.event, n.threshold, n.status])).toEqual(planned.notifications.map((n) => [n.key, n.event, n.threshold, 'sent']))
    expect(real.notifications.map((n) => n.message)).toEqual(planned.notifications.map((n) => n.message))
    expect(hook.delivered()).toHaveLength(2)
    expect(existsSync(path.join(dir, 'state.json'))).toBe(true)
    expect(existsSync(path.join(dir, 'state.json.lock'))).toBe(false)

    // Recorded: neither a dry run nor a real run has anything left to send.
    expect((await runBudgetCheck(options({dryRun: true}))).notifications).toEqual([])
    expect((await runBudgetCheck(options())).notifications).toEqual([])
    expect(hook.requests).toHaveLength(2)
  })

  it('--key selection: a key without a budget is skipped with a warning, a repeated key is checked once', async () => {
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 10})
    fx.srv.addKey({key_alias: 'open', spend: 3})
    const r = await runBudgetCheck(options({keys: ['ci-bot', 'open', 'ci-bot'], targets: []}))
    expect(r.keys.map((k) => k.alias)).toEqual(['ci-bot'])
    expect(r.skipped).toEqual([{key: 'open', reason: 'no budget (max_budget is not set)'}])
    expect(warnings).toContain('open: no budget (max_budget is not set); not checked')
    expect(r.stateFile).toBeNull()
    expect(r.exitCode).toBe(0)
  })

  it('a virtual key checks only itself, without listing keys', async () => {
    const own = fx.srv.addKey({key_alias: 'me', max_budget: 20, budget_duration: '30d', spend: 19})
    fx.srv.addKey({key_alias: 'other', max_budget: 20, budget_duration: '30d', spend: 20})
    forgetRequests(fx.srv)
    const r = await runBudgetCheck(options({client: new LiteLLMClient({baseUrl: fx.srv.url, apiKey: own.key, timeoutMs: 5000}), role: 'self', targets: []}))
    expect(r.keys.map((k) => [k.alias, k.threshold])).toEqual([['me', 80]])
    expect(fx.srv.requests.map((q) => q.path)).not.toContain('/key/list')
    expect(r.exitCode).toBe(10)
  })

  it('a delivery that fails is reported, not recorded, and raises the exit code to 6', async () => {
    // A blocked key is alerted but leaves the exit code at 0: only the failed delivery raises it.
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 5, blocked: true})
    hook.failNext(10, 500)
    const r = await runBudgetCheck(options())
    expect(r.notifications.map((n) => [n.event, n.problem, n.status])).toEqual([['budget_problem', 'blocked', 'failed']])
    expect(r.summary.deliveryFailures).toBe(1)
    expect(r.exitCode).toBe(6)
    expect(warnings.some((w) => /^could not deliver budget_problem for ci-bot/.test(w))).toBe(true)
    hook.reset()
    const again = await runBudgetCheck(options())
    expect(again.notifications.map((n) => n.status)).toEqual(['sent'])
    expect(again.exitCode).toBe(0)
  })
})
