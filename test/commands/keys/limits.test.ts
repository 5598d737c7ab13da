/** `--limit` (several budget windows, budget_limits; #15 item 2) on a proxy that has it and one that does not. */
import {describe, expect, it} from '@jest/globals'

import KeysCreate from '../../../src/commands/keys/create.js'
import KeysInfo from '../../../src/commands/keys/info.js'
import KeysUpdate from '../../../src/commands/keys/update.js'
import {runCommand} from '../../helpers/run-command.js'
import {keysWithAlias, NOW, requestsTo} from './helpers.js'
import {useTestServers} from '../../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})

describe('keys create|update --limit', () => {
  it('sends budget_limits; keys info shows each window with its own spent, remaining and reset', async () => {
    const r = await runCommand(KeysCreate, ['--alias', 'lim-a', '--limit', '5/1d', '--limit', '50/30d', '--json'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    // Windows are limits: no "can spend without limit" warning.
    expect(r.stderr).not.toContain('without limit')
    const sent = requestsTo(fx.srv, 'POST', '/key/generate')[0].body as {budget_limits: unknown}
    expect(sent.budget_limits).toEqual([{budget_duration: '1d', max_budget: 5}, {budget_duration: '30d', max_budget: 50}])
    expect(keysWithAlias(fx.srv, 'lim-a')[0].budget_limits).toEqual([
      {budget_duration: '1d', max_budget: 5, reset_at: '2026-11-19T00:00:00Z'},
      {budget_duration: '30d', max_budget: 50, reset_at: '2026-12-01T00:00:00Z'},
    ])
    fx.srv.setWindowSpend('lim-a', '1d', 6)
    fx.srv.setWindowSpend('lim-a', '30d', 6)
    const info = await runCommand<{windows: unknown[]}>(KeysInfo, ['lim-a'], fx.env(fx.srv))
    expect(info.exitCode).toBe(0)
    expect(info.stdout).toMatch(/^window 1d {3}\$6\.00 of \$5\.00 \(120(\.0)?%\), -\$1\.00 left, resets 2026-11-19 00:00 UTC$/m)
    expect(info.stdout).toMatch(/^window 30d {2}\$6\.00 of \$50\.00 \(12(\.0)?%\), \$44\.00 left, resets 2026-12-01 00:00 UTC$/m)
    expect(info.result!.windows).toEqual([
      {duration: '1d', budget: 5, spent: 6, remaining: -1, pctUsed: 120, resetAt: '2026-11-19T00:00:00.000Z'},
      {duration: '30d', budget: 50, spent: 6, remaining: 44, pctUsed: 12, resetAt: '2026-12-01T00:00:00.000Z'},
    ])
    const up = await runCommand(KeysUpdate, ['lim-a', '--limit', '2/1h'], fx.env(fx.srv))
    expect(up.exitCode).toBe(0)
    expect(keysWithAlias(fx.srv, 'lim-a')[0].budget_limits?.map((w) => w.budget_duration)).toEqual(['1h'])
  })

  it('bad --limit values are refused before anything is sent (exit 2)', async () => {
    for (const bad of ['5', '5/1M', 'x/1d', '-1/1d']) {
      const r = await runCommand(KeysCreate, ['--alias', 'lim-bad', '--limit', bad], fx.env(fx.srv))
      expect(r.exitCode).toBe(2)
    }
    const twice = await runCommand(KeysCreate, ['--alias', 'lim-bad', '--limit', '1/1d', '--limit', '2/1d'], fx.env(fx.srv))
    expect(twice.exitCode).toBe(2)
    expect(twice.stderr).toMatch(/given twice/)
    expect(fx.srv.requests.filter((q) => q.method === 'POST')).toEqual([])
  })

  it('a proxy without budget_limits: "not supported by this proxy", exit 6, no key created', async () => {
    const r = await runCommand(KeysCreate, ['--alias', 'lim-old', '--limit', '5/1d', '--json'], fx.env(fx.old))
    expect(r.exitCode).toBe(6)
    expect(JSON.parse(r.stdout)).toMatchObject({error: {kind: 'unsupported', exitCode: 6}})
    expect(JSON.parse(r.stdout).error.message).toMatch(/not supported by this proxy/)
    expect(requestsTo(fx.old, 'POST', '/key/generate')).toEqual([])
    fx.old.addKey({key_alias: 'lim-old2', max_budget: 5})
    const u = await runCommand(KeysUpdate, ['lim-old2', '--limit', '5/1d'], fx.env(fx.old))
    expect(u.exitCode).toBe(6)
    expect(requestsTo(fx.old, 'POST', '/key/update')).toEqual([])
  })
})

describe('budget check and budget windows', () => {
  it('a key with --limit 5/1d --limit 50/30d that spends $6 today alerts on the daily window only', async () => {
    const {default: BudgetCheck} = await import('../../../src/commands/budget/check.js')
    const {startWebhookReceiver} = await import('../../helpers/webhook-receiver.js')
    const hook = await startWebhookReceiver()
    try {
      expect((await runCommand(KeysCreate, ['--alias', 'win-a', '--limit', '5/1d', '--limit', '50/30d'], fx.env(fx.srv))).exitCode).toBe(0)
      fx.srv.setSpend('win-a', 6)
      fx.srv.setWindowSpend('win-a', '1d', 6)
      fx.srv.setWindowSpend('win-a', '30d', 6)
      const args = ['--scope', 'keys', '--notify', `${hook.url}/hooks/generic`, '--json']
      const r = await runCommand<{keys: Array<{alias: string; verdict: string; hash: string}>}>(BudgetCheck, args, fx.env(fx.srv, {KEYWARD_NOTIFY: undefined}))
      expect(r.exitCode).toBe(11)
      const rows = r.result!.keys.filter((k) => k.alias.startsWith('win-a'))
      const byAlias = Object.fromEntries(rows.map((k) => [k.alias, k.verdict]))
      expect(byAlias).toEqual({'win-a': 'no-budget', 'win-a [1d window]': 'exhausted', 'win-a [30d window]': 'ok'})
      const sent = (hook.delivered() as Array<{key: {alias: string}; threshold: number | null}>).filter((b) => b.key.alias.startsWith('win-a'))
      expect(sent.map((b) => [b.key.alias, b.threshold])).toEqual([['win-a [1d window]', 100]])
      // Again in the same window: nothing more.
      await runCommand(BudgetCheck, args, fx.env(fx.srv, {KEYWARD_NOTIFY: undefined}))
      expect((hook.delivered() as Array<{key: {alias: string}}>).filter((b) => b.key.alias.startsWith('win-a'))).toHaveLength(1)
    } finally {
      await hook.close()
    }
  })
})
