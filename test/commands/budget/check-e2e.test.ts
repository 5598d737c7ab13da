// End to end: the built CLI (`npm run build` first) as a child process, against the test server and a
// webhook receiver on 127.0.0.1.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import path from 'node:path'

import {runBin} from '../../helpers/spawn.js'
import {startWebhookReceiver, type WebhookReceiver} from '../../helpers/webhook-receiver.js'
import {useTestServers} from '../../helpers/test-server.js'

const NOW = '2026-11-20T12:00:00.000Z'

describe('keyward budget check (built CLI)', () => {
  const fx = useTestServers({srv: {flavor: 'new'}}, {now: new Date(NOW)})
  let hook: WebhookReceiver

  beforeAll(async () => {
    hook = await startWebhookReceiver()
  })
  afterAll(() => hook.close())

  const env = (data: string) => fx.env(fx.srv, {KEYWARD_DATA_DIR: data, KEYWARD_NOW: NOW})

  it('exits 0, 10, 11 as the spend climbs, alerting once per threshold', async () => {
    fx.srv.addKey({key_alias: 'e2e-bot', max_budget: 100, budget_duration: '30d', spend: 45})
    const data = path.join(fx.dir, 'seq')
    // The webhook from the environment keeps it out of argv.
    const run = () => runBin(['budget', 'check', '--key', 'e2e-bot', '--threshold', '50,80,100'], {env: {...env(data), KEYWARD_NOTIFY: `${hook.url}/hooks/seq-secret`}})
    const r1 = await run()
    expect(r1.stderr).toBe('')
    expect(r1.exitCode).toBe(0)
    expect(r1.stdout).toMatch(/│ e2e-bot +│ +\$45\.00 │ +\$100\.00 │ +45\.0% │ 2026-12-01 00:00 UTC │ .* │ ok +│/)
    fx.srv.setSpend('e2e-bot', 82)
    const r2 = await run()
    expect(r2.exitCode).toBe(10)
    expect(r2.stdout).toContain('80% crossed')
    fx.srv.setSpend('e2e-bot', 101)
    const r3 = await run()
    expect(r3.exitCode).toBe(11)
    expect(r3.stdout).toContain('EXHAUSTED')
    const r4 = await run()
    expect(r4.exitCode).toBe(11)
    const seq = hook.requests.filter((r) => r.path === '/hooks/seq-secret').map((r) => r.body as {event: string; threshold: number})
    expect(seq.map((b) => `${b.event}@${b.threshold}`)).toEqual(['threshold_crossed@80', 'budget_exhausted@100'])
    for (const r of [r1, r2, r3, r4]) expect(r.stdout + r.stderr).not.toContain('seq-secret')
  })

  it('two overlapping runs send the alert once', async () => {
    fx.srv.addKey({key_alias: 'race-bot', max_budget: 10, budget_duration: '30d', spend: 9})
    hook.setDelay(700)
    try {
      const data = path.join(fx.dir, 'race')
      const args = ['budget', 'check', '--key', 'race-bot', '--notify', `${hook.url}/hooks/race`, '--json']
      const [a, b] = await Promise.all([runBin(args, {env: env(data)}), runBin(args, {env: env(data)})])
      expect([a.exitCode, b.exitCode]).toEqual([10, 10])
      expect(hook.requests.filter((r) => r.path === '/hooks/race')).toHaveLength(1)
      const sent = [a, b].map((r) => (JSON.parse(r.stdout) as {notifications: Array<{status: string}>}).notifications.map((n) => n.status))
      expect(sent.flat()).toEqual(['sent'])
    } finally {
      hook.setDelay(0)
    }
  })
})
