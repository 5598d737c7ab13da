/** `budget check` with teams and users (#15 item 1): same thresholds, alerts once per window, exit codes; --scope. */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import BudgetCheck from '../../../src/commands/budget/check.js'
import {runCommand} from '../../helpers/run-command.js'
import {startWebhookReceiver, type WebhookReceiver} from '../../helpers/webhook-receiver.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {BudgetCheckResult} from '../../../src/contracts/budget.js'

const NOW = new Date('2026-11-20T12:00:00Z')
let hook: WebhookReceiver
beforeAll(async () => {
  hook = await startWebhookReceiver()
})
afterAll(async () => {
  await hook.close()
})
const fx = useTestServers({srv: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})
const check = (argv: string[], srv = fx.srv) => runCommand<BudgetCheckResult>(BudgetCheck, argv, fx.env(srv, {KEYWARD_NOTIFY: undefined}))
const labels = (r: BudgetCheckResult) => r.keys.map((k) => k.alias)

describe('budget check --scope', () => {
  it('a team budget crossed by two keys\' spend alerts once, naming the team; keys under their own budgets do not', async () => {
    hook.reset()
    fx.srv.addTeam({team_id: 'team-a', team_alias: 'Platform', max_budget: 10, budget_duration: '30d'})
    fx.srv.addKey({key_alias: 'sc-1', max_budget: 20, team_id: 'team-a', spend: 5})
    fx.srv.addKey({key_alias: 'sc-2', max_budget: 20, team_id: 'team-a', spend: 6})
    // LiteLLM adds every key's spend to its team's: 11 of the team's 10.
    fx.srv.setTeamSpend('team-a', 11)
    const args = ['--notify', `${hook.url}/hooks/generic`, '--json']
    const first = await check(args)
    expect(first.exitCode).toBe(11)
    const team = first.result!.keys.find((k) => k.alias === 'team team-a (Platform)')
    expect(team).toMatchObject({hash: 'team:team-a', spent: 11, budget: 10, verdict: 'exhausted'})
    expect(first.result!.keys.filter((k) => k.alias?.startsWith('sc-')).map((k) => k.verdict)).toEqual(['ok', 'ok'])
    const sent = hook.delivered() as Array<{key: {alias: string}; event: string; threshold: number | null}>
    // One alert, for the highest threshold crossed (as for a key), naming the level.
    expect(sent.map((b) => [b.key.alias, b.threshold])).toEqual([['team team-a (Platform)', 100]])
    // Run again in the same window: nothing more is sent.
    const again = await check(args)
    expect(again.exitCode).toBe(11)
    expect(hook.delivered()).toHaveLength(1)
  })

  it('users with budgets are checked too; --scope keys leaves teams and users out, --scope teams leaves keys out', async () => {
    fx.srv.addUser({user_id: 'alice', max_budget: 4, budget_duration: '7d', spend: 3.5})
    const all = await check(['--json'])
    expect(labels(all.result!)).toContain('user alice')
    expect(all.result!.keys.find((k) => k.alias === 'user alice')).toMatchObject({verdict: 'threshold', threshold: 80})
    const keysOnly = await check(['--scope', 'keys', '--json'])
    expect(labels(keysOnly.result!).some((l) => l?.startsWith('team ') || l?.startsWith('user '))).toBe(false)
    expect(fx.srv.requests.some((q) => q.path === '/team/list' || q.path === '/user/list')).toBe(true) // from the first run only
    const before = fx.srv.requests.length
    const teamsOnly = await check(['--scope', 'teams', '--json'])
    expect(labels(teamsOnly.result!)).toEqual(['team team-a (Platform)'])
    expect(fx.srv.requests.slice(before).some((q) => q.path === '/key/list' || q.path === '/user/list')).toBe(false)
  })

  it('a bad --scope is refused before anything is sent', async () => {
    const r = await check(['--scope', 'keys,orgs'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/invalid scope 'orgs'/)
    expect(fx.srv.requests).toEqual([])
  })

  it('a proxy that will not list teams: a warning, and the keys are still checked', async () => {
    fx.old.addKey({key_alias: 'old-1', max_budget: 5, spend: 1})
    fx.old.fault({path: '/team/list', kind: 'html'})
    const r = await check(['--json'], fx.old)
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/could not list the teams/)
    expect(labels(r.result!)).toContain('old-1')
  })
})
