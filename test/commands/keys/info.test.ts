/** `keyward keys info` against both server flavours, in-process. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import KeysInfo from '../../../src/commands/keys/info.js'
import type {KeyDetails} from '../../../src/domain/keys-list.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {type TestServer} from '../../server/index.js'
import {NOW, withoutNodeWarnings} from './helpers.js'
import {useTestServers, forgetRequests} from '../../helpers/test-server.js'

const fx = useTestServers({new: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})
let seeded: {key: string; token: string}

beforeAll(() => {
  seeded = fx.new.addKey({
    key_alias: 'openclaw',
    max_budget: 50,
    budget_duration: '30d',
    soft_budget: 40,
    models: ['gpt-4o', 'claude-opus'],
    rpm_limit: 60,
    tpm_limit: 90000,
    expires: '2027-02-16T10:20:00+00:00',
    metadata: {owner: 'agents'},
    team_id: 'team-a',
  })
  fx.new.setSpend('openclaw', 12.84)
  fx.old.addKey({key_alias: 'word-monthly', max_budget: 20, budget_duration: 'monthly'})
  fx.old.addKey({key_alias: 'rolling', max_budget: 20, budget_duration: '30d'})
})

const info = async (srv: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(await runCommand<KeyDetails>(KeysInfo, argv, fx.env(srv, extra)))

describe('keys info', () => {
  it('shows a key by alias: spend, budget, remaining, % used with a bar, period, reset, limits, expiry', async () => {
    const r = await info(fx.new, ['openclaw'])
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({
      alias: 'openclaw',
      keyName: `sk-...${seeded.key.slice(-4)}`,
      hash: seeded.token,
      spent: 12.84,
      budget: 50,
      softBudget: 40,
      duration: '30d',
      period: 'monthly',
      resetAt: '2026-12-01T00:00:00.000Z',
      expires: '2027-02-16T10:20:00.000Z',
      status: 'active',
      blocked: false,
      models: ['gpt-4o', 'claude-opus'],
      rpmLimit: 60,
      tpmLimit: 90000,
      teamId: 'team-a',
      metadata: {owner: 'agents'},
      resetCheck: {status: 'ok'},
    })
    expect(r.result!.remaining).toBeCloseTo(37.16, 6)
    expect(r.result!.pctUsed).toBeCloseTo(25.68, 6)
    const out = r.stdout
    expect(out).toMatch(/^alias\s+openclaw$/m)
    expect(out).toMatch(/^spent\s+\$12\.84 of \$50\.00$/m)
    expect(out).toMatch(/^remaining\s+\$37\.16$/m)
    expect(out).toMatch(/^used\s+█████░{15} 25\.7%$/m)
    expect(out).toMatch(/^period\s+monthly \(30d\)$/m)
    expect(out).toMatch(/^resets\s+2026-12-01 00:00 UTC \(in 13 days\)$/m)
    expect(out).toMatch(/^soft budget\s+\$40\.00$/m)
    expect(out).toMatch(/^models\s+gpt-4o, claude-opus$/m)
    expect(out).toMatch(/^rate limits\s+60 requests\/min, 90,000 tokens\/min$/m)
    expect(out).toMatch(/^expires\s+2027-02-16 10:20 UTC \(in 3 months\)$/m)
    expect(out).toMatch(/^blocked\s+no$/m)
    expect(out).not.toContain(seeded.key)
    expect(r.stderr).toBe('')
    // The alias is resolved with a full-object /key/list lookup, the row read by hash.
    const list = fx.new.requests.find((q) => q.path === '/key/list')!
    expect(list.query).toMatchObject({key_alias: 'openclaw', return_full_object: 'true'})
    expect(fx.new.requests.find((q) => q.path === '/key/info')!.query.key).toBe(seeded.token)
  })

  it('takes the sk- key itself (sent hashed, never in a URL) or its hash', async () => {
    for (const ref of [seeded.key, seeded.token]) {
      forgetRequests(fx.new)
      const r = await info(fx.new, [ref])
      expect(r.exitCode).toBe(0)
      expect(r.result!.alias).toBe('openclaw')
      expect(fx.new.requests.every((q) => !JSON.stringify(q.query).includes(seeded.key))).toBe(true)
      expect(r.stdout + r.stderr).not.toContain(seeded.key)
    }
  })

  it('with only LITELLM_API_KEY and no argument, shows the caller\'s own key', async () => {
    const r = await info(fx.new, [], {LITELLM_MASTER_KEY: undefined, LITELLM_API_KEY: seeded.key})
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({alias: 'openclaw', spent: 12.84, budget: 50})
    const req = fx.new.requests.find((q) => q.path === '/key/info')!
    expect(req.query.key).toBeUndefined()
    expect(req.headers.authorization).toBe(`Bearer ${seeded.key}`)
    expect(r.stdout + r.stderr).not.toContain(seeded.key)
  })

  it('an unknown alias exits 4; an admin without an argument exits 2', async () => {
    const missing = await info(fx.new, ['nope'])
    expect(missing.exitCode).toBe(4)
    expect(missing.stderr).toMatch(/^Error: no key with alias 'nope'/m)
    forgetRequests(fx.new)
    const bare = await info(fx.new, [])
    expect(bare.exitCode).toBe(2)
    expect(bare.stderr).toMatch(/name the key to show/)
    expect(fx.new.requests).toHaveLength(0)
  })

  it('a near alias: "did you mean openclaw", not "create openclw" (#12 item 14)', async () => {
    const r = await info(fx.new, ['openclw'])
    expect(r.exitCode).toBe(4)
    const tryThis = r.stderr.split('Try this:\n')[1] ?? ''
    expect(tryThis.split('\n')[0]).toMatch(/Did you mean 'openclaw'\?/)
    expect(r.stderr).not.toMatch(/create --alias "openclw"/)
  })

  it('flags a word-form monthly budget that an older proxy resets every night', async () => {
    const r = await info(fx.old, ['word-monthly'])
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({duration: 'monthly', resetAt: '2026-11-19T00:00:00.000Z', resetCheck: {status: 'resets-daily'}})
    expect(r.stdout).toMatch(/^period\s+'monthly' \(a word: LiteLLM may reset it DAILY\)$/m)
    expect(r.stderr).toMatch(/^warning: THIS "MONTHLY" BUDGET WILL RESET DAILY.*keys update word-monthly --period monthly/m)
  })

  it('a rolling 30-day reset on an older proxy is fine', async () => {
    const r = await info(fx.old, ['rolling', '--json'])
    expect(r.exitCode).toBe(0)
    const parsed = JSON.parse(r.stdout) as KeyDetails
    expect(parsed).toMatchObject({alias: 'rolling', resetAt: '2026-12-18T10:20:00.000Z', resetCheck: {status: 'ok'}})
    expect(r.stderr).toBe('')
  })
})
