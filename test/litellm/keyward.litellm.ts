/**
 * keyward end to end against a real LiteLLM proxy (started by test/litellm/run.mjs through harness.mjs), through
 * the built CLI (bin/run.js). Totals are checked against LiteLLM's own tables, read straight from PostgreSQL.
 * Each `describe` is one row of the README's "Tested against" table.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {cents, chat, chatBody, http, realProxy, sql, waitFor, type RealProxy, json} from './real-proxy.js'

let proxy: RealProxy
let tmp: string
const run = Date.now().toString(36)
const alias = (name: string) => `kw-${run}-${name}`

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  proxy = realProxy()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-'))
})
afterAll(async () => {
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const kw = (args: string[], extra: Record<string, string | undefined> = {}): Promise<SpawnResult> =>
  runBin(args, {
    env: envFor(proxy, tmp, extra),
    timeoutMs: 120_000,
  })
const older = (a: string, b: string) => {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] < pb[i]
  return false
}
const firstOfNextMonthUtc = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString()

describe('status', () => {
  it('shows the real LiteLLM version and a connected database', async () => {
    // --timeout: a fresh proxy builds its (large) /openapi.json on the first request, slowly on a loaded machine
    const r = await kw(['status', '--json', '--timeout', '120'])
    expect(r.exitCode).toBe(0)
    const s = json(r)
    expect(s.version).toBe(proxy.version)
    expect(s.db).toBe('connected')
    expect(s.key).toMatchObject({role: 'admin', valid: true})
    expect({verdict: s.verdict, problems: s.problems}).toEqual({verdict: 'ok', problems: []})
  })
})

describe('keys create/info/list/update/block/unblock/delete/audit', () => {
  it('round-trips a key through every keys command', async () => {
    const name = alias('life')
    const created = await kw(['keys', 'create', '--alias', name, '--budget', '2.5', '--period', 'weekly', '--models', 'gpt-4o-mini', '--json'])
    expect(created.exitCode).toBe(0)
    const c = json(created)
    expect(c.created).toBe(true)
    expect(c.key).toMatch(/^sk-/)
    const [row] = await sql<{token: string; key_alias: string; max_budget: number; budget_duration: string; models: string[]}>(
      proxy.databaseUrl,
      'SELECT token, key_alias, max_budget, budget_duration, models FROM "LiteLLM_VerificationToken" WHERE key_alias = $1',
      [name],
    )
    expect(row).toMatchObject({token: c.details.hash, max_budget: 2.5, budget_duration: '7d', models: ['gpt-4o-mini']})

    const info = json(await kw(['keys', 'info', name, '--json']))
    expect(info).toMatchObject({alias: name, hash: row.token, budget: 2.5, duration: '7d', status: 'active'})
    expect(new Date(info.resetAt).getUTCDay()).toBe(1) // 7d resets next Monday 00:00

    const dup = await kw(['keys', 'create', '--alias', name, '--budget', '1'])
    expect(dup.exitCode).toBe(5)

    const listed = json(await kw(['keys', 'list', '--json']))
    expect(listed.keys.map((k: {alias: string}) => k.alias)).toContain(name)

    const updated = await kw(['keys', 'update', name, '--budget', '3', '--json'])
    expect(updated.exitCode).toBe(0)
    expect(json(updated).changes).toEqual([{field: 'budget', before: 2.5, after: 3}])
    const [after] = await sql<{max_budget: number}>(proxy.databaseUrl, 'SELECT max_budget FROM "LiteLLM_VerificationToken" WHERE token = $1', [row.token])
    expect(after.max_budget).toBe(3)

    expect((await kw(['keys', 'block', name, '--json'])).exitCode).toBe(0)
    expect(json(await kw(['keys', 'info', name, '--json'])).status).toBe('blocked')
    const refused = await http(proxy, 'POST', '/chat/completions', c.key, chatBody('gpt-4o-mini'))
    expect(refused.status).toBe(401)
    const audit = json(await kw(['keys', 'audit', '--json']))
    expect(audit.findings.some((f: {alias?: string; code: string}) => f.alias === name && f.code === 'blocked')).toBe(true)
    expect((await kw(['keys', 'unblock', name, '--json'])).exitCode).toBe(0)
    expect(json(await kw(['keys', 'info', name, '--json'])).status).toBe('active')
    const ok = await http(proxy, 'POST', '/chat/completions', c.key, chatBody('gpt-4o-mini'))
    expect(ok.status).toBe(200)

    const deleted = await kw(['keys', 'delete', name, '--yes', '--json'])
    expect(deleted.exitCode).toBe(0)
    expect((await kw(['keys', 'info', name])).exitCode).toBe(4)
    expect(await sql(proxy.databaseUrl, 'SELECT 1 FROM "LiteLLM_VerificationToken" WHERE token = $1', [row.token])).toEqual([])
  })
})

describe('the monthly trap', () => {
  it('keyward sends 30d, and the proxy resets it on the 1st of next month', async () => {
    const name = alias('monthly')
    const r = await kw(['keys', 'create', '--alias', name, '--budget', '5', '--period', 'monthly', '--json'])
    expect(r.exitCode).toBe(0)
    const d = json(r).details
    expect(d.duration).toBe('30d')
    expect(d.resetAt).toBe(firstOfNextMonthUtc())
    expect(d.resetCheck.status).toBe('ok')
  })

  it("a key minted with OpenClaw's recipe ('monthly') is caught: on old proxies it resets at the next midnight", async () => {
    const name = alias('recipe')
    const minted = await http(proxy, 'POST', '/key/generate', proxy.masterKey, {key_alias: name, max_budget: 5, budget_duration: 'monthly'})
    if (!older(proxy.version, '1.95.0')) {
      // 1.95+ store the word as sent but read it as 30d (_BUDGET_DURATION_WORD_ALIASES): reset on the 1st
      expect(minted.status).toBe(200)
      const info = json(await kw(['keys', 'info', name, '--json']))
      expect(info.duration).toBe('monthly')
      expect(info.resetAt).toBe(firstOfNextMonthUtc())
      return
    }
    expect(minted.status).toBe(200)
    const [row] = await sql<{budget_duration: string; budget_reset_at: Date}>(
      proxy.databaseUrl,
      'SELECT budget_duration, budget_reset_at FROM "LiteLLM_VerificationToken" WHERE key_alias = $1',
      [name],
    )
    expect(row.budget_duration).toBe('monthly')
    const hours = (row.budget_reset_at.getTime() - Date.now()) / 3_600_000
    expect(hours).toBeLessThanOrEqual(24)
    const info = json(await kw(['keys', 'info', name, '--json']))
    expect(info.periodIsWord).toBe(true)
    const audit = json(await kw(['keys', 'audit', '--json']))
    expect(audit.findings).toEqual(expect.arrayContaining([expect.objectContaining({alias: name, code: 'word-duration'})]))
    const check = await kw(['budget', 'check', '--key', name, '--json', '--state', path.join(tmp, 'trap-state.json')])
    expect(check.exitCode).toBe(10)
  })
})

describe('spend report and logs equal LiteLLM_SpendLogs', () => {
  const N = 300
  let key = ''
  let hash = ''
  const name = alias('spend')

  it(`${N} mock requests are reported to the cent`, async () => {
    const created = json(await kw(['keys', 'create', '--alias', name, '--budget', '25', '--models', 'mock-priced', '--json']))
    key = created.key
    hash = created.details.hash
    const statuses = await chat(proxy, key, 'mock-priced', N)
    expect(statuses.filter((s) => s === 200)).toHaveLength(N)

    // spend logs are written in batches (proxy_batch_write_at: 1 s); wait for all of them, then for the daily table
    const [logs] = await waitFor(
      'the spend logs',
      () => sql<{n: number; spend: number}>(proxy.databaseUrl, 'SELECT count(*)::int AS n, coalesce(sum(spend), 0)::float8 AS spend FROM "LiteLLM_SpendLogs" WHERE api_key = $1', [hash]),
      (rows) => rows[0].n >= N,
    )
    expect(logs.n).toBe(N)
    expect(logs.spend).toBeGreaterThan(1)
    await waitFor(
      'the daily spend table',
      () => sql<{spend: number}>(proxy.databaseUrl, 'SELECT coalesce(sum(spend), 0)::float8 AS spend FROM "LiteLLM_DailyUserSpend" WHERE api_key = $1', [hash]),
      (rows) => cents(rows[0].spend) === cents(logs.spend),
    )
    await waitFor('the key spend', async () => json(await kw(['keys', 'info', name, '--json'])).spent as number, (s) => cents(s) === cents(logs.spend))

    const report = await kw(['spend', 'report', '--month', '--key', name, '--json'])
    expect(report.exitCode).toBe(0)
    const rep = json(report)
    expect(cents(rep.totals.spend)).toBe(cents(logs.spend))
    expect(rep.totals.requests).toBe(N)

    // by model: the public name clients ask for (model_group "mock-priced"), not the deployment's "openai/mock-priced"
    const models = await sql<{model_group: string; model: string}>(proxy.databaseUrl, 'SELECT DISTINCT model_group, model FROM "LiteLLM_DailyUserSpend" WHERE api_key = $1', [hash])
    expect(models).toEqual([{model_group: 'mock-priced', model: 'openai/mock-priced'}])
    const byModel = json(await kw(['spend', 'report', '--month', '--key', name, '--by', 'model', '--json']))
    expect(byModel.rows.map((r: {group: string; spend: number}) => [r.group, cents(r.spend)])).toEqual([['mock-priced', cents(logs.spend)]])

    const exported = await kw(['spend', 'logs', '--month', '--key', name, '--format', 'jsonl'])
    expect(exported.exitCode).toBe(0)
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as {api_key: string; spend: number; request_id: string})
    expect(lines).toHaveLength(N)
    expect(new Set(lines.map((l) => l.request_id)).size).toBe(N)
    expect(lines.every((l) => l.api_key === hash)).toBe(true)
    expect(cents(lines.reduce((a, l) => a + l.spend, 0))).toBe(cents(logs.spend))
  })

  describe('budget check thresholds crossed by real traffic', () => {
    it('budget check crosses the thresholds the traffic reached', async () => {
      expect(key).not.toBe('')
      const [{spend}] = await sql<{spend: number}>(proxy.databaseUrl, 'SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1', [hash])
      const pct = (spend / 25) * 100
      const r = await kw(['budget', 'check', '--key', name, '--threshold', '10,50,99', '--json', '--state', path.join(tmp, 'check-state.json')])
      expect(r.exitCode).toBe(10)
      const out = json(r)
      const row = out.keys.find((k: {alias: string}) => k.alias === name)
      expect(row).toBeDefined()
      const expected = [10, 50, 99].filter((t) => pct >= t).pop()
      expect(row.threshold).toBe(expected)
      expect(cents(row.spent)).toBe(cents(spend))
    })
  })
})

describe('a key over budget is refused by the proxy', () => {
  it('the proxy itself refuses a key over its budget, and budget check says exhausted', async () => {
    const name = alias('over')
    const c = json(await kw(['keys', 'create', '--alias', name, '--budget', '0.1', '--models', 'mock-priced', '--json']))
    let refused: {status: number; body: {error?: {type?: string}}} | undefined
    for (let i = 0; i < 30 && !refused; i++) {
      const r = await http(proxy, 'POST', '/chat/completions', c.key, chatBody('mock-priced'))
      if (r.status !== 200) refused = r
    }
    // 400 in LiteLLM's docs; 1.94.3 answers 429, 1.108.0 422 (the type is budget_exceeded on all)
    expect([400, 422, 429]).toContain(refused?.status)
    expect(refused?.body.error?.type).toBe('budget_exceeded')
    // Newer proxies reserve each request's maximum cost up front, so they may refuse a key a little *under* its
    // budget (seen: $0.096 of $0.10). Wait until the key's spend equals its logged spend, then judge that.
    const [{logged}] = await waitFor(
      'the spend logs to settle',
      () => sql<{logged: number; spend: number}>(proxy.databaseUrl, 'SELECT coalesce((SELECT sum(spend) FROM "LiteLLM_SpendLogs" WHERE api_key = $1), 0)::float8 AS logged, (SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1)::float8 AS spend', [c.details.hash]),
      (rows) => rows[0].logged > 0 && cents(rows[0].logged) === cents(rows[0].spend),
    )
    await waitFor('the key spend', async () => json(await kw(['keys', 'info', name, '--json'])).spent as number, (s) => cents(s) === cents(logged))
    const r = await kw(['budget', 'check', '--key', name, '--json', '--state', path.join(tmp, 'over-state.json')])
    const row = json(r).keys[0]
    if (logged >= 0.1) {
      expect([r.exitCode, row.verdict]).toEqual([11, 'exhausted'])
    } else {
      expect([r.exitCode, row.verdict, row.threshold]).toEqual([10, 'threshold', 80])
    }
  })
})

describe('openclaw connect', () => {
  it('mints a budgeted key, writes the provider, and the key works against the proxy', async () => {
    const dir = path.join(tmp, 'openclaw')
    await fs.mkdir(dir)
    const config = path.join(dir, 'openclaw.json')
    await fs.writeFile(config, '{\n  // my settings\n  agents: {},\n}\n')
    const name = alias('claw')
    const r = await kw(['openclaw', 'connect', '--config', config, '--alias', name, '--budget', '7', '--json'])
    expect(r.exitCode).toBe(0)
    const env = await fs.readFile(path.join(dir, '.env'), 'utf8')
    const key = /^LITELLM_API_KEY=(sk-\S+)$/m.exec(env)?.[1]
    expect(key).toBeDefined()
    const text = await fs.readFile(config, 'utf8')
    expect(text).toContain('// my settings')
    expect(text).toContain(proxy.url)
    expect(text).not.toContain(key!)
    for (const model of ['gpt-4o-mini', 'gpt-4o', 'mock-priced']) expect(text).toContain(model)
    const [row] = await sql<{max_budget: number; budget_duration: string}>(proxy.databaseUrl, 'SELECT max_budget, budget_duration FROM "LiteLLM_VerificationToken" WHERE key_alias = $1', [name])
    expect(row).toEqual({max_budget: 7, budget_duration: '30d'})
    const ok = await http(proxy, 'POST', '/chat/completions', key!, chatBody('gpt-4o-mini'))
    expect(ok.status).toBe(200)
    const status = await kw(['openclaw', 'status', '--config', config, '--json'])
    expect(status.exitCode).toBe(0)
    const again = await kw(['openclaw', 'connect', '--config', config, '--alias', name, '--json'])
    expect(again.exitCode).toBe(0)
    expect((await sql(proxy.databaseUrl, 'SELECT 1 FROM "LiteLLM_VerificationToken" WHERE key_alias = $1', [name])).length).toBe(1)
  })
})
