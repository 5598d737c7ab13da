/** `keyward keys update`: sends only what was given, re-reads, shows before → after. */
import {describe, expect, it} from '@jest/globals'

import KeysUpdate from '../../../src/commands/keys/update.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {type TestServer} from '../../server/index.js'
import {keysWithAlias, NOW, requestsTo, withoutNodeWarnings, writes} from './helpers.js'
import type {UpdateResult} from '../../../src/contracts/keys.js'
import {useTestServers, forgetRequests} from '../../helpers/test-server.js'

const fx = useTestServers({new: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})

const update = async (srv: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(
  await runCommand<UpdateResult>(KeysUpdate, argv, fx.env(srv, extra)),
)
const updateBody = (srv: TestServer) => {
  const reqs = requestsTo(srv, 'POST', '/key/update')
  expect(reqs).toHaveLength(1)
  return reqs[0].body as Record<string, unknown>
}

describe('keys update', () => {
  it('sends only the new budget (keeping the period) and shows before → after', async () => {
    const {token} = fx.new.addKey({key_alias: 'u-budget', max_budget: 50, budget_duration: '30d', metadata: {owner: 'a'}})
    const r = await update(fx.new, ['u-budget', '--budget', '80'])
    expect(r.exitCode).toBe(0)
    expect(updateBody(fx.new)).toEqual({key: token, max_budget: 80})
    expect(r.result!.changes).toEqual([{field: 'budget', before: 50, after: 80}])
    expect(r.stdout).toBe('budget  $50.00 → $80.00\n')
    expect(r.stderr).toMatch(/Budget \$80\.00 monthly \(30d\): next reset 2026-12-01 00:00 UTC/)
    expect(keysWithAlias(fx.new, 'u-budget')[0].max_budget).toBe(80)
  })

  it('--period monthly sends 30d and fixes a word-form period on an older proxy', async () => {
    const {token} = fx.old.addKey({key_alias: 'u-word', max_budget: 20, budget_duration: 'monthly'})
    expect(keysWithAlias(fx.old, 'u-word')[0].budget_reset_at).toMatch(/^2026-11-19T00:00:00/)
    const r = await update(fx.old, ['u-word', '--period', 'monthly'])
    expect(r.exitCode).toBe(0)
    expect(updateBody(fx.old)).toEqual({key: token, budget_duration: '30d'})
    expect(r.result!.changes).toEqual([
      {field: 'period', before: 'monthly', after: '30d'},
      {field: 'resetAt', before: '2026-11-19T00:00:00.000Z', after: '2026-12-18T10:20:00.000Z'},
    ])
    expect(r.stdout).toMatch(/^period  monthly → monthly \(30d\)$/m)
    expect(r.stdout).toMatch(/^resets  2026-11-19 00:00 UTC → 2026-12-18 10:20 UTC$/m)
    expect(r.result!.warnings).toEqual([])
  })

  it('--soft-budget that the proxy drops (older LiteLLM has no soft_budget on /key/update) is a warning, not a silent success', async () => {
    fx.old.addKey({key_alias: 'u-soft-old', max_budget: 50, budget_duration: '30d', soft_budget: 30})
    const r = await update(fx.old, ['u-soft-old', '--soft-budget', '40'])
    expect(r.exitCode).toBe(0)
    expect(updateBody(fx.old)).toMatchObject({soft_budget: 40})
    expect(r.result!.changes).toEqual([])
    expect(r.result!.warnings).toEqual([expect.stringMatching(/^the proxy did not apply --soft-budget \$40\.00: the key's soft budget is still \$30\.00/)])
    expect(r.stderr).toMatch(/did not apply --soft-budget/)

    fx.new.addKey({key_alias: 'u-soft-new', max_budget: 50, budget_duration: '30d', soft_budget: 30})
    const ok = await update(fx.new, ['u-soft-new', '--soft-budget', '40'])
    expect(ok.exitCode).toBe(0)
    expect(ok.result!.changes).toEqual([{field: 'softBudget', before: 30, after: 40}])
    expect(ok.result!.warnings).toEqual([])
  })

  it('a budget on a key without a period becomes monthly, and says so', async () => {
    const {token} = fx.new.addKey({key_alias: 'u-noperiod'})
    const r = await update(fx.new, ['u-noperiod', '--budget', '15'])
    expect(r.exitCode).toBe(0)
    expect(updateBody(fx.new)).toEqual({key: token, max_budget: 15, budget_duration: '30d'})
    expect(r.stderr).toMatch(/Note: the key had no budget period; using monthly \(30d\)/)
    expect(r.result!.after).toMatchObject({budget: 15, duration: '30d', resetAt: '2026-12-01T00:00:00.000Z'})
  })

  it('--no-budget sends max_budget null; --new-alias renames', async () => {
    const {token} = fx.new.addKey({key_alias: 'u-remove', max_budget: 10, budget_duration: '30d'})
    const r = await update(fx.new, ['u-remove', '--no-budget', '--new-alias', 'u-removed'])
    expect(r.exitCode).toBe(0)
    expect(updateBody(fx.new)).toEqual({key: token, key_alias: 'u-removed', max_budget: null})
    expect(r.stdout).toMatch(/^alias {3}u-remove → u-removed$/m)
    expect(r.stdout).toMatch(/^budget  \$10\.00 → none$/m)
    expect(keysWithAlias(fx.new, 'u-removed')).toHaveLength(1)
    expect(keysWithAlias(fx.new, 'u-remove')).toHaveLength(0)
  })

  it('merges --metadata into the existing metadata and sends limits as given', async () => {
    const {token} = fx.new.addKey({key_alias: 'u-meta', max_budget: 10, budget_duration: '30d', metadata: {owner: 'a', env: 'prod'}})
    const r = await update(fx.new, ['u-meta', '--metadata', 'owner=b', '--rpm', '30', '--models', 'gpt-4o', '--expires', '30d'])
    expect(r.exitCode).toBe(0)
    expect(updateBody(fx.new)).toEqual({key: token, metadata: {owner: 'b', env: 'prod'}, rpm_limit: 30, models: ['gpt-4o'], duration: '30d'})
    expect(r.result!.after).toMatchObject({metadata: {owner: 'b', env: 'prod'}, rpmLimit: 30, models: ['gpt-4o'], expires: '2026-12-18T10:20:00.000Z'})
  })

  it('renaming onto a taken alias exits 5 and changes nothing', async () => {
    fx.new.addKey({key_alias: 'u-taken-a', max_budget: 1, budget_duration: '30d'})
    fx.new.addKey({key_alias: 'u-taken-b', max_budget: 2, budget_duration: '30d'})
    const r = await update(fx.new, ['u-taken-a', '--new-alias', 'u-taken-b', '--budget', '9'])
    expect(r.exitCode).toBe(5)
    expect(r.stderr).toMatch(/already exists/)
    expect(keysWithAlias(fx.new, 'u-taken-a')[0].max_budget).toBe(1)
  })

  it('refuses bad input and empty updates without sending anything', async () => {
    fx.new.addKey({key_alias: 'u-bad', max_budget: 1, budget_duration: '30d'})
    for (const argv of [['u-bad'], ['u-bad', '--budget', '5', '--no-budget'], ['u-bad', '--period', '2mo'], ['u-bad', '--no-budget', '--period', 'weekly'], ['u-bad', '--new-alias', '']]) {
      forgetRequests(fx.new)
      const r = await update(fx.new, argv)
      expect(r.exitCode).toBe(2)
      expect(r.stderr).toMatch(/^Error: /m)
      expect(writes(fx.new)).toHaveLength(0)
    }
  })

  it('an unknown key exits 4 without writing', async () => {
    const r = await update(fx.new, ['no-such-key', '--budget', '5'])
    expect(r.exitCode).toBe(4)
    expect(writes(fx.new)).toHaveLength(0)
  })
})
