/**
 * #15 item 2 against a real LiteLLM proxy (run by test/litellm/run.mjs): a key with `--limit 5/1d --limit 50/30d`
 * that has spent $6 today alerts on its daily window only (`budget check`).
 *
 * The $6 is real spend: mock-priced requests (answered from `mock_response`, priced by the harness's config)
 * made before the windows are set, since a proxy that enforces the $5 daily window would refuse the request
 * that takes it past $5. LiteLLM 1.108.0 counts a new window's spend from the key's spend logs since the
 * window's start (SpendCounterReseed.window_from_spend_logs, while no LiteLLM_BudgetWindowSpend row exists)
 * and reports it in /key/info `budget_limits_usage`. LiteLLM 1.94.3 stores the windows but reports no usage:
 * keyward then says it cannot check those windows (a warning per window, no alert), never "$0 spent".
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {startWebhookReceiver, type WebhookReceiver} from '../helpers/webhook-receiver.js'
import {cents, chat, http, realProxy, sql, waitFor, type RealProxy, json} from './real-proxy.js'

let proxy: RealProxy
let tmp: string
let hook: WebhookReceiver
const name = `kww-${Date.now().toString(36)}-daily`

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  proxy = realProxy()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-windows-'))
  hook = await startWebhookReceiver()
})
afterAll(async () => {
  await hook?.close()
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const kw = (args: string[]): Promise<SpawnResult> =>
  runBin(args, {env: envFor(proxy, tmp), timeoutMs: 120_000})

/** The key's logged spend once every request sent so far has its spend-log row (the batch writer runs every second). */
const loggedSpend = async (hash: string, requests: number): Promise<number> => {
  const [row] = await waitFor(
    'the spend logs',
    () => sql<{n: number; spend: number}>(proxy.databaseUrl, 'SELECT count(*)::int AS n, coalesce(sum(spend), 0)::float8 AS spend FROM "LiteLLM_SpendLogs" WHERE api_key = $1', [hash]),
    (rows) => rows[0].n >= requests,
  )
  return row.spend
}

type CheckRow = {alias: string; verdict: string; spent: number; budget: number | null; pctUsed: number | null; window: string | null}

describe('budget windows: budget check per window', () => {
  it('a key with --limit 5/1d --limit 50/30d that spends $6 today alerts on the daily window only', async () => {
    const created = json(await kw(['keys', 'create', '--alias', name, '--models', 'mock-priced', '--json']))
    const hash: string = created.details.hash

    // $6 of real spend today: a first batch gives the price of one request, the second brings the total just past $6.
    let sent = 20
    expect((await chat(proxy, created.key, 'mock-priced', sent)).every((s) => s === 200)).toBe(true)
    const first = await loggedSpend(hash, sent)
    const more = Math.ceil(((6 - first) / (first / sent)) * 1.02) + 1
    expect((await chat(proxy, created.key, 'mock-priced', more)).every((s) => s === 200)).toBe(true)
    sent += more
    const spent = await loggedSpend(hash, sent)
    expect(spent).toBeGreaterThanOrEqual(6)
    expect(spent).toBeLessThan(7)

    const update = await kw(['keys', 'update', name, '--limit', '5/1d', '--limit', '50/30d', '--json'])
    expect(update.exitCode).toBe(0)
    const [row] = await sql<{budget_limits: Array<{budget_duration: string; max_budget: number; reset_at?: string}>}>(proxy.databaseUrl, 'SELECT budget_limits FROM "LiteLLM_VerificationToken" WHERE token = $1', [hash])
    expect(row.budget_limits.map((w) => [w.budget_duration, w.max_budget])).toEqual([['1d', 5], ['30d', 50]])

    const raw = await http(proxy, 'GET', `/key/info?key=${encodeURIComponent(hash)}`, proxy.masterKey)
    const reportsUsage = Boolean((raw.body as {info?: {budget_limits_usage?: unknown}}).info?.budget_limits_usage)
    // Which proxies report per-window spend (budget_limits_usage) is a fact of the release, not a guess of this test.
    expect(reportsUsage).toBe(proxy.version !== '1.94.3')

    const args = ['budget', 'check', '--key', name, '--notify', `${hook.url}/hooks/generic`, '--json']
    const check = await kw(args)
    const out = json(check)
    const rows = (out.keys as CheckRow[]).filter((k) => k.alias.startsWith(name))
    const mine = () => (hook.delivered() as Array<{key: {alias: string}; threshold: number | null}>).filter((b) => b.key.alias.startsWith(name))

    if (reportsUsage) {
      expect(check.exitCode).toBe(11)
      const by = Object.fromEntries(rows.map((k) => [k.alias, k]))
      expect(Object.keys(by).sort()).toEqual([name, `${name} [1d window]`, `${name} [30d window]`])
      // The key's own budget is none (max_budget unset): its windows are what limit it.
      expect(by[name]!.verdict).toBe('no-budget')
      expect(by[`${name} [1d window]`]).toMatchObject({verdict: 'exhausted', budget: 5})
      expect(cents(by[`${name} [1d window]`]!.spent)).toBe(cents(spent))
      expect(by[`${name} [30d window]`]).toMatchObject({verdict: 'ok', budget: 50})
      expect(cents(by[`${name} [30d window]`]!.spent)).toBe(cents(spent))
      expect(mine().map((b) => [b.key.alias, b.threshold])).toEqual([[`${name} [1d window]`, 100]])
      // And the proxy agrees: the daily window refuses the next request.
      const refused = await http(proxy, 'POST', '/chat/completions', created.key, {model: 'mock-priced', max_tokens: 30, messages: [{role: 'user', content: 'hi'}]})
      expect(refused.status).not.toBe(200)
    } else {
      // No usage reported: neither window can be checked, and keyward says so instead of reading $0.
      expect(check.exitCode).toBe(0)
      expect(rows.map((k) => [k.alias, k.verdict])).toEqual([[name, 'no-budget']])
      for (const d of ['1d', '30d']) expect(check.stderr).toContain(`${name}: the proxy does not report the spend of its ${d} window (budget_limits_usage); that window is not checked`)
      expect(mine()).toEqual([])
      const info = json(await kw(['keys', 'info', name, '--json']))
      expect(info.windows.map((w: {duration: string; spent: number | null}) => [w.duration, w.spent])).toEqual([['1d', null], ['30d', null]])
    }

    // Once per window: a second run sends nothing more.
    const again = await kw(args)
    expect(again.exitCode).toBe(check.exitCode)
    expect(mine()).toHaveLength(reportsUsage ? 1 : 0)
  })

  it('keys audit: the resets the proxy gave the windows match their durations (no window finding)', async () => {
    const r = await kw(['keys', 'audit', '--json'])
    const findings = (json(r).findings as Array<{alias: string; code: string; window: string | null; message: string}>).filter((f) => f.alias === name)
    const [row] = await sql<{budget_limits: Array<{budget_duration: string; reset_at?: string}>}>(proxy.databaseUrl, 'SELECT budget_limits FROM "LiteLLM_VerificationToken" WHERE key_alias = $1', [name])
    // Both 1.108.0 and 1.94.3 give each window a reset_at (1d at the next midnight, 30d on the 1st): nothing to flag.
    expect(row.budget_limits.map((w) => [w.budget_duration, Boolean(w.reset_at)])).toEqual([['1d', true], ['30d', true]])
    expect(new Date(row.budget_limits[1]!.reset_at!).getUTCDate()).toBe(1)
    expect(findings.filter((f) => f.window !== null)).toEqual([])
  })
})
