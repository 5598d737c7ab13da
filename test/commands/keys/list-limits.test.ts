/** `keys list` says when a key's team or user budget is the tighter limit (#15 item 1), against the test server's /team/* and /user/*. */
import {describe, expect, it} from '@jest/globals'

import KeysList from '../../../src/commands/keys/list.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {runBin} from '../../helpers/spawn.js'
import {asTerminal} from '../../helpers/tty.js'
import {useTestServers} from '../../helpers/test-server.js'
import {NOW, withoutNodeWarnings} from './helpers.js'
import type {ListResult} from '../../../src/contracts/keys.js'

const fx = useTestServers({srv: {flavor: 'new'}}, {
  now: NOW,
  beforeEach: ([s]) => {
    if (s.keys().some((k) => k.key_alias === 'ci')) return
    // $12 left of the team's $100.
    s.addTeam({team_id: 'team-a', team_alias: 'Platform', max_budget: 100, budget_duration: '30d', spend: 88})
    s.addUser({user_id: 'bob', max_budget: 20, budget_duration: '7d', spend: 17})
    // Its own $40 left: the team's $12 binds first.
    s.addKey({key_alias: 'ci', max_budget: 50, budget_duration: '30d', team_id: 'team-a', spend: 10})
    // Its own $5 left is the tighter limit: no mark.
    s.addKey({key_alias: 'web', max_budget: 5, budget_duration: '30d', team_id: 'team-a', spend: 0})
    // No budget of its own: the team's is the only one.
    s.addKey({key_alias: 'nobudget', team_id: 'team-a', spend: 2})
    // Own $9, team $12, user bob $3: the user's binds first.
    s.addKey({key_alias: 'bob-key', max_budget: 10, team_id: 'team-a', user_id: 'bob', spend: 1})
    s.addKey({key_alias: 'solo', max_budget: 10, spend: 1})
    // Its team was deleted: /team/info answers 404.
    s.addKey({key_alias: 'ghost', max_budget: 10, team_id: 'team-gone', spend: 1})
  },
})

const list = async (argv: string[], extra: Env = {}) => withoutNodeWarnings(await runCommand<ListResult>(KeysList, argv, fx.env(fx.srv, extra)))
const infoRequests = (p: string) => fx.srv.requests.filter((q) => q.path === p).map((q) => q.query.team_id ?? q.query.user_id)
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes('warning:'))

describe('keys list: the tighter team or user budget', () => {
  it('--json: limitedBy per key (null when the key binds first), each team and user read once, an unreadable one named once', async () => {
    const r = await list(['--json'])
    expect(r.exitCode).toBe(0)
    const parsed = JSON.parse(r.stdout) as ListResult
    const by = Object.fromEntries(parsed.keys.map((k) => [k.alias, k.limitedBy]))
    expect(by.ci).toEqual({
      kind: 'team', id: 'team-a', name: 'Platform', spent: 88, budget: 100, remaining: 12, pctUsed: 88, softBudget: null, duration: '30d', period: 'monthly',
      resetAt: '2026-12-01T00:00:00.000Z', keys: 4, status: 'active',
    })
    expect(by.web).toBeNull()
    expect(by.nobudget).toMatchObject({kind: 'team', id: 'team-a', remaining: 12})
    expect(by['bob-key']).toMatchObject({kind: 'user', id: 'bob', remaining: 3})
    expect(by.solo).toBeNull()
    expect(by.ghost).toBeNull()
    // Four keys in team-a, one request for it; one for bob; one for the missing team.
    expect(infoRequests('/team/info').sort()).toEqual(['team-a', 'team-gone'])
    expect(infoRequests('/user/info')).toEqual(['bob'])
    const w = warnings(r.stderr)
    expect(w).toHaveLength(1)
    expect(w[0]).toMatch(/could not read team team-gone \(no team with id 'team-gone'\): its budget is not compared/)
  })

  it('table: Status marked * and one line per tighter team or user under it, also on a narrow terminal', async () => {
    const r = await list(['--filter', 'team-a'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/│ ci .*│ active\* +│/)
    expect(r.stdout).toMatch(/│ web .*│ active +│/)
    expect(r.stdout).toMatch(/│ nobudget .*│ active\* +│/)
    expect(r.stdout).toMatch(/│ bob-key .*│ active\* +│/)
    const notes = r.stdout.split('\n').filter((l) => l.startsWith('* '))
    // In the order of the table (sorted by alias: bob-key first).
    expect(notes).toEqual([
      '* user budget: $3.00 left (user bob, $17.00 of $20.00): the tighter limit for bob-key',
      '* team budget: $12.00 left (team team-a, $88.00 of $100.00): the tighter limit for ci, nobudget',
    ])
    // Only the keys' own team and user were read: the missing team of 'ghost' (filtered out) was not.
    expect(infoRequests('/team/info')).toEqual(['team-a'])
    expect(warnings(r.stderr)).toEqual([])
    const narrow = await asTerminal(60, () => list(['--filter', 'team-a']))
    for (const l of narrow.stdout.trimEnd().split('\n')) expect([...l].length).toBeLessThanOrEqual(60)
    expect(narrow.stdout).toMatch(/│ ci .*│ active\* +│/)
    // The note is wrapped at spaces to the width, not cut.
    expect(narrow.stdout.replace(/\n {2}/g, ' ')).toContain('* team budget: $12.00 left (team team-a, $88.00 of $100.00): the tighter limit for ci, nobudget')
  })

  it('keys without a team or user: no /team/info or /user/info request, no mark, no note', async () => {
    const r = await list(['--filter', 'solo'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/│ solo .*│ active +│/)
    expect(r.stdout).not.toMatch(/^\* /m)
    expect(fx.srv.requests.filter((q) => q.path === '/team/info' || q.path === '/user/info')).toEqual([])
  })

  it('a team the proxy will not show (403): the list still works, said once, the user budget still compared', async () => {
    fx.srv.fault({path: '/team/info', kind: 'status403', times: 5})
    const r = await list(['--filter', 'team-a', '--json'])
    expect(r.exitCode).toBe(0)
    const by = Object.fromEntries((JSON.parse(r.stdout) as ListResult).keys.map((k) => [k.alias, k.limitedBy]))
    expect(by.ci).toBeNull()
    expect(by['bob-key']).toMatchObject({kind: 'user', id: 'bob', remaining: 3})
    const w = warnings(r.stderr)
    expect(w).toHaveLength(1)
    expect(w[0]).toMatch(/could not read team team-a \(.*not allowed to access this team.*\): its budget is not compared/)
    // A 403 is not retried.
    expect(infoRequests('/team/info')).toEqual(['team-a'])
  })

  it('--csv: limited_by and limited_by_remaining', async () => {
    const r = await list(['--csv', '--filter', 'team-a'])
    const rows = r.stdout.split('\r\n')
    expect(rows[0]).toMatch(/,team_id,user_id,limited_by,limited_by_remaining$/)
    expect(rows.find((l) => l.startsWith('ci,'))).toMatch(/,team-a,,team:team-a,12$/)
    expect(rows.find((l) => l.startsWith('web,'))).toMatch(/,team-a,,,$/)
    expect(rows.find((l) => l.startsWith('bob-key,'))).toMatch(/,team-a,bob,user:bob,3$/)
  })

  it('keys info --json limitedBy,windows: the same tighter limit, as fields of their own (null when none)', async () => {
    // Field selection is resolved by command id, so through the built binary (bin/run.js).
    const r = await runBin(['keys', 'info', 'ci', '--json', 'alias,limitedBy,windows'], {env: fx.env(fx.srv)})
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({alias: 'ci', limitedBy: expect.objectContaining({kind: 'team', id: 'team-a', remaining: 12}), windows: null})
    const own = await runBin(['keys', 'info', 'web', '--json', 'limitedBy'], {env: fx.env(fx.srv)})
    expect(JSON.parse(own.stdout)).toEqual({limitedBy: null})
  })
})
