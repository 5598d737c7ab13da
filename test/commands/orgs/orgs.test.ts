/** `keyward teams list|info` and `users list|info` (#15 item 1) against the test server's /team/* and /user/*. */
import {describe, expect, it} from '@jest/globals'

import TeamsInfo from '../../../src/commands/teams/info.js'
import TeamsList from '../../../src/commands/teams/list.js'
import UsersInfo from '../../../src/commands/users/info.js'
import UsersList from '../../../src/commands/users/list.js'
import {runCommand} from '../../helpers/run-command.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {HolderInfoResult, TeamsListResult, UsersListResult} from '../../../src/contracts/orgs.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const fx = useTestServers({srv: {flavor: 'new'}}, {
  now: NOW,
  beforeEach: ([s]) => {
    if (s.keys().some((k) => k.key_alias === 'ta-1')) return
    s.addTeam({team_id: 'team-a', team_alias: 'Platform', max_budget: 20, budget_duration: '30d', spend: 15})
    s.addTeam({team_id: 'team-b', max_budget: null})
    s.addKey({key_alias: 'ta-1', max_budget: 10, team_id: 'team-a', spend: 4})
    s.addKey({key_alias: 'ta-2', max_budget: 10, team_id: 'team-a', spend: 11, user_id: 'alice'})
    s.addUser({user_id: 'alice', user_email: 'alice@example.com', max_budget: 5, budget_duration: '7d', spend: 6})
    for (let i = 0; i < 120; i++) s.addUser({user_id: `u-${String(i).padStart(3, '0')}`})
  },
})

describe('teams', () => {
  it('teams list: budget, spent, remaining, % used, period, next reset, keys, status, total', async () => {
    const r = await runCommand<TeamsListResult>(TeamsList, ['--json'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(r.result)
    expect(r.result!.teams).toEqual([
      {kind: 'team', id: 'team-a', name: 'Platform', spent: 15, budget: 20, remaining: 5, pctUsed: 75, softBudget: null, duration: '30d', period: 'monthly', resetAt: '2026-12-01T00:00:00.000Z', keys: 2, status: 'active'},
      {kind: 'team', id: 'team-b', name: null, spent: 0, budget: null, remaining: null, pctUsed: null, softBudget: null, duration: null, period: null, resetAt: null, keys: 0, status: 'active'},
    ])
    expect(r.result!.totals).toEqual({count: 2, spent: 15, budget: 20})
    const table = await runCommand(TeamsList, [], fx.env(fx.srv))
    expect(table.stdout).toMatch(/team-a .*Platform .*\$15\.00 .*\$20\.00 .*\$5\.00 .*75(\.0)?%/)
    expect(table.stdout).toMatch(/Total \(2\)/)
  })

  it('teams list --csv', async () => {
    const r = await runCommand(TeamsList, ['--csv'], fx.env(fx.srv))
    const lines = r.stdout.trimEnd().split(/\r?\n/)
    expect(lines[0]).toBe('id,name,spent,budget,remaining,pct_used,period,budget_duration,resets_at,keys,status,soft_budget')
    expect(lines[1]).toBe('team-a,Platform,15,20,5,75,monthly,30d,2026-12-01T00:00:00.000Z,2,active,')
  })

  it('teams info shows the team and its keys; an unknown team exits 4', async () => {
    const r = await runCommand<HolderInfoResult>(TeamsInfo, ['team-a', '--json'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    expect(r.result!.holder).toMatchObject({id: 'team-a', remaining: 5, keys: 2})
    expect(r.result!.keys.map((k) => [k.alias, k.spent, k.budget])).toEqual([['ta-1', 4, 10], ['ta-2', 11, 10]])
    const text = await runCommand(TeamsInfo, ['team-a'], fx.env(fx.srv))
    expect(text.stdout).toContain('spent     $15.00 of $20.00 (75')
    const missing = await runCommand(TeamsInfo, ['nope'], fx.env(fx.srv))
    expect(missing.exitCode).toBe(4)
    expect(missing.stderr).toMatch(/no team with id 'nope'/)
  })

  it('a bad team id is refused before anything is sent (exit 2)', async () => {
    const r = await runCommand(TeamsInfo, ['team\nx'], fx.env(fx.srv))
    expect(r.exitCode).toBe(2)
    expect(fx.srv.requests).toEqual([])
  })
})

describe('users', () => {
  it('users list pages /user/list to the end (121 users in pages of 100)', async () => {
    const r = await runCommand<UsersListResult>(UsersList, ['--json'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    expect(r.result!.users).toHaveLength(121)
    expect(fx.srv.requests.filter((q) => q.path === '/user/list').map((q) => q.query.page)).toEqual(['1', '2'])
    const alice = r.result!.users.find((u) => u.id === 'alice')
    expect(alice).toMatchObject({name: 'alice@example.com', spent: 6, budget: 5, remaining: -1, status: 'over-budget', period: 'weekly', keys: 1, resetAt: '2026-11-23T00:00:00.000Z'})
  })

  it('users info; an unknown user exits 4', async () => {
    const r = await runCommand<HolderInfoResult>(UsersInfo, ['alice', '--json'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    expect(r.result!.holder).toMatchObject({id: 'alice', status: 'over-budget', keys: 1})
    const missing = await runCommand(UsersInfo, ['bob', '--json'], fx.env(fx.srv))
    expect(missing.exitCode).toBe(4)
    expect(JSON.parse(missing.stdout)).toMatchObject({error: {kind: 'not_found'}})
  })
})

describe('keys and their team budget', () => {
  it('keys info says when the team budget is the tighter limit', async () => {
    const {default: KeysInfo} = await import('../../../src/commands/keys/info.js')
    const r = await runCommand<{limitedBy?: {kind: string; id: string; remaining: number}}>(KeysInfo, ['ta-1'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    // ta-1 has $6 of its own left; team-a has $5.
    expect(r.stdout).toContain('team budget: $5.00 left (team team-a, $15.00 of $20.00): the tighter limit for this key')
    expect(r.result!.limitedBy).toMatchObject({kind: 'team', id: 'team-a', remaining: 5})
    // ta-2 is $1 over its own budget: tighter than the team's $5 left and its user alice's -$1 (a tie): no line.
    const own = await runCommand<{limitedBy?: unknown}>(KeysInfo, ['ta-2', '--json'], fx.env(fx.srv))
    expect(own.result!.limitedBy).toBeUndefined()
  })

  it('keys create --team warns when the team has less left than the new key\'s budget', async () => {
    const {default: KeysCreate} = await import('../../../src/commands/keys/create.js')
    const r = await runCommand(KeysCreate, ['--alias', 'ta-new', '--budget', '8', '--team', 'team-a'], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain("team 'team-a' has only $5.00 left of its budget, less than the new key's $8.00")
    const fits = await runCommand(KeysCreate, ['--alias', 'ta-new2', '--budget', '2', '--team', 'team-a'], fx.env(fx.srv))
    expect(fits.stderr).not.toContain('left of its budget')
  })
})
