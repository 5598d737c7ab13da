/**
 * #15 item 1 against a real LiteLLM proxy: teams and users with budgets (/team/new, /user/new), read by
 * `teams list|info`, `users list|info`, `keys info` (tighter team limit) and `budget check` (a crossed
 * team budget alerts once). Spend is set in LiteLLM's own tables, as its spend writer would.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {startWebhookReceiver, type WebhookReceiver} from '../helpers/webhook-receiver.js'
import {http, realProxy, sql, type RealProxy, json} from './real-proxy.js'

let proxy: RealProxy
let tmp: string
let hook: WebhookReceiver
const run = Date.now().toString(36)
const team = `kwt-${run}-team`
const user = `kwt-${run}-user`

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  proxy = realProxy()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-teams-'))
  hook = await startWebhookReceiver()
  const t = await http(proxy, 'POST', '/team/new', proxy.masterKey, {team_id: team, team_alias: 'Real team', max_budget: 10, budget_duration: '30d'})
  expect(t.status).toBe(200)
  const u = await http(proxy, 'POST', '/user/new', proxy.masterKey, {user_id: user, max_budget: 4, budget_duration: '7d', auto_create_key: false})
  expect(u.status).toBe(200)
})
afterAll(async () => {
  await hook?.close()
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const kw = (args: string[]): Promise<SpawnResult> =>
  runBin(args, {env: envFor(proxy, tmp), timeoutMs: 120_000})

describe('teams and users', () => {
  it('teams list/info and users list/info read the real budgets, resets and keys', async () => {
    const k1 = json(await kw(['keys', 'create', '--alias', `${team}-k1`, '--budget', '20', '--team', team, '--json']))
    const create2 = await kw(['keys', 'create', '--alias', `${team}-k2`, '--budget', '20', '--team', team, '--json'])
    expect(create2.exitCode).toBe(0)
    // Team budget $10 < key budget $20: keyward says so.
    expect(create2.stderr).toContain(`team '${team}' has only $10.00 left of its budget, less than the new key's $20.00`)
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_VerificationToken" SET spend = 5 WHERE key_alias = $1', [`${team}-k1`])
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_VerificationToken" SET spend = 6 WHERE key_alias = $1', [`${team}-k2`])
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_TeamTable" SET spend = 11 WHERE team_id = $1', [team])
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_UserTable" SET spend = 3.5 WHERE user_id = $1', [user])

    const teams = json(await kw(['teams', 'list', '--json']))
    const row = teams.teams.find((t: {id: string}) => t.id === team)
    expect(row).toMatchObject({name: 'Real team', spent: 11, budget: 10, remaining: -1, duration: '30d', period: 'monthly', keys: 2, status: 'over-budget'})
    expect(new Date(row.resetAt).getUTCDate()).toBe(1)
    const info = json(await kw(['teams', 'info', team, '--json']))
    expect(info.keys.map((k: {alias: string}) => k.alias).sort()).toEqual([`${team}-k1`, `${team}-k2`])
    expect((await kw(['teams', 'info', `${team}-nope`])).exitCode).toBe(4)

    const users = json(await kw(['users', 'list', '--json']))
    expect(users.users.find((u: {id: string}) => u.id === user)).toMatchObject({spent: 3.5, budget: 4, period: 'weekly'})
    expect(json(await kw(['users', 'info', user, '--json'])).holder).toMatchObject({id: user, remaining: 0.5})
    expect((await kw(['users', 'info', `${user}-nope`])).exitCode).toBe(4)

    const keyInfo = json(await kw(['keys', 'info', `${team}-k1`, '--json']))
    expect(keyInfo.hash).toBe(k1.details.hash)
    expect(keyInfo.limitedBy).toMatchObject({kind: 'team', id: team, remaining: -1})
  })

  it('budget check: the team budget crossed by its two keys alerts once; the keys (under their own budgets) do not', async () => {
    const args = ['budget', 'check', '--scope', 'keys,teams', '--notify', `${hook.url}/hooks/generic`, '--json']
    const first = await kw(args)
    expect(first.exitCode).toBe(11)
    const out = json(first)
    expect(out.keys.find((k: {hash: string}) => k.hash === `team:${team}`)).toMatchObject({verdict: 'exhausted', spent: 11, budget: 10})
    expect(out.keys.filter((k: {alias: string}) => k.alias?.startsWith(`${team}-k`)).map((k: {verdict: string}) => k.verdict)).toEqual(['ok', 'ok'])
    const mine = () => (hook.delivered() as Array<{key: {alias: string}}>).filter((b) => b.key.alias.includes(team))
    expect(mine().map((b) => b.key.alias)).toEqual([`team ${team} (Real team)`])
    expect((await kw(args)).exitCode).toBe(11)
    expect(mine()).toHaveLength(1)
  })
})

describe('budget windows (budget_limits)', () => {
  it('keys create --limit 5/1d --limit 50/30d stores both windows; keys info shows each with its reset and usage', async () => {
    const name = `kwt-${run}-windows`
    const created = await kw(['keys', 'create', '--alias', name, '--limit', '5/1d', '--limit', '50/30d', '--json'])
    expect(created.exitCode).toBe(0)
    const [row] = await sql<{budget_limits: Array<{budget_duration: string; max_budget: number}>}>(proxy.databaseUrl, 'SELECT budget_limits FROM "LiteLLM_VerificationToken" WHERE key_alias = $1', [name])
    expect(row.budget_limits.map((w) => [w.budget_duration, w.max_budget])).toEqual([['1d', 5], ['30d', 50]])
    const info = json(await kw(['keys', 'info', name, '--json']))
    // Spend per window is shown when the proxy reports it (budget_limits_usage, 1.108.0); 1.94.3 stores the
    // windows but reports no usage, and keyward says "unknown" (null) rather than $0.
    const raw = await http(proxy, 'GET', `/key/info?key=${encodeURIComponent(json(created).details.hash)}`, proxy.masterKey)
    const usage = (raw.body as {info?: {budget_limits_usage?: unknown}}).info?.budget_limits_usage
    const spent = usage && typeof usage === 'object' ? 0 : null
    expect(info.windows.map((w: {duration: string; budget: number; spent: number}) => [w.duration, w.budget, w.spent])).toEqual([['1d', 5, spent], ['30d', 50, spent]])
    expect(new Date(info.windows[1].resetAt).getUTCDate()).toBe(1)
  })
})
