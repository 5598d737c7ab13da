/**
 * #17: `spend logs --follow` against the test server while rows are appended (the built CLI, so Ctrl-C
 * is a real SIGINT): each request once, also one written late with an earlier start; the running total
 * against the key's budget; Ctrl-C prints the total and exits 0.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import path from 'node:path'

import type {FollowRequestLine, FollowTotalLine} from '../../../src/contracts/spend-debug.js'
import {ROOT} from '../../helpers/run-command.js'
import {pinnedEnv} from '../../helpers/spawn.js'
import {hashKey, type SpendLogSeedRow} from '../../server/index.js'
import {useTestServers} from '../../helpers/test-server.js'

const KEY = 'sk-test-openclaw-0000000001'
const OTHER = 'sk-test-ci-bot-00000000002'
// Rows from before the follow starts must not be printed.
const fx = useTestServers({srv: {logs: {rows: [{request_id: 'old-1', startTime: new Date(Date.now() - 60_000), api_key: hashKey(KEY), spend: 1}]}}})
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  fx.srv.addKey({key: KEY, key_alias: 'openclaw', max_budget: 20, spend: 4})
  fx.srv.addKey({key: OTHER, key_alias: 'ci-bot'})
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
// The latest start time seeded so far: the first test writes requests stamped up to 2 s ahead, and a
// later follow must start after them or it rightly prints them as new (CI saw req-19 in the text test).
let latestSeeded = 0

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

function follow(args: string[]) {
  const env = fx.env(fx.srv)
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--follow', '--interval', '0.2', ...args], {cwd: ROOT, env: pinnedEnv(env), stdio: ['ignore', 'pipe', 'pipe']})
  const out = {stdout: '', stderr: ''}
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {child, out, exited}
}

const row = (id: string, ms: number, spend: number, key = KEY): SpendLogSeedRow => ({
  request_id: id,
  startTime: new Date(ms),
  api_key: hashKey(key),
  model: 'gpt-4o-mini',
  prompt_tokens: 10,
  completion_tokens: 20,
  spend,
  metadata: {user_api_key_alias: key === KEY ? 'openclaw' : 'ci-bot'},
})

describe('spend logs --follow', () => {
  it('--json: each of 20 requests once, in batches (one written late), then the total on Ctrl-C, exit 0', async () => {
    const before = fx.srv.requests.length
    const run = follow(['--key', 'openclaw', '--json'])
    await until('the first poll', () => fx.srv.requests.slice(before).some((r) => r.path === '/spend/logs/v2'))
    const t0 = Date.now()
    const ids: string[] = []
    let spend = 0
    // Four batch writes of five rows; the third holds a request that started before the second's rows.
    for (let b = 0; b < 4; b++) {
      const rows = Array.from({length: 5}, (_, i) => {
        const n = b * 5 + i
        const ms = b === 2 && i === 0 ? t0 + 1 : t0 + 100 * (n + 1)
        spend += 0.001 * (n + 1)
        ids.push(`req-${n}`)
        return row(`req-${n}`, ms, 0.001 * (n + 1))
      })
      rows.push(row(`other-${b}`, t0 + 100 * (b + 1), 5, OTHER))
      latestSeeded = Math.max(latestSeeded, ...rows.map((r) => new Date(r.startTime as Date).getTime()))
      fx.srv.appendSpendLogs(rows)
      const polls = fx.srv.requests.length
      // Several polls see each batch (the window starts before the newest row), yet nothing repeats.
      await until('two more polls', () => fx.srv.requests.length >= polls + 3)
    }
    await until('20 lines', () => run.out.stdout.split('\n').filter(Boolean).length >= 20)
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(0)
    const lines = run.out.stdout.trim().split('\n').map((l) => JSON.parse(l) as FollowRequestLine | FollowTotalLine)
    const reqs = lines.filter((l): l is FollowRequestLine => l.event === 'request')
    expect(reqs.map((l) => l.request_id).sort()).toEqual([...ids].sort())
    expect(new Set(reqs.map((l) => l.request_id)).size).toBe(20)
    const last = lines[lines.length - 1] as FollowTotalLine
    expect(last).toMatchObject({event: 'total', requests: 20, max_budget: 20})
    expect(last.total_spend).toBeCloseTo(spend, 6)
    expect(last.key_spend).toBeCloseTo(4 + spend, 6)
    expect(reqs[reqs.length - 1]!.total_spend).toBeCloseTo(spend, 6)
    expect(run.out.stderr).toBe('')
    // Only the one key was asked for, and every poll had a bounded window.
    const polls = fx.srv.requests.slice(before).filter((r) => r.path === '/spend/logs/v2')
    expect(polls.every((r) => r.query.api_key === hashKey(KEY) && r.query.start_date && r.query.end_date)).toBe(true)
  })

  it('text: one line per request with the running total, the batch-interval lag on stderr, total on Ctrl-C', async () => {
    await sleep(Math.max(0, latestSeeded + 1_000 - Date.now()))
    const before = fx.srv.requests.length
    const run = follow(['--key', 'openclaw'])
    await until('the first poll', () => fx.srv.requests.slice(before).some((r) => r.path === '/spend/logs/v2'))
    const t0 = Date.now()
    fx.srv.appendSpendLogs([row('text-1', t0, 0.5), {...row('text-2', t0 + 10, 0), status: 'failure', metadata: {user_api_key_alias: 'open\u001b[31mclaw', error_information: {error_class: 'RateLimitError', error_message: 'x', error_code: '429', llm_provider: 'openai'}}}])
    await until('2 lines', () => run.out.stdout.split('\n').filter(Boolean).length >= 2)
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(0)
    const lines = run.out.stdout.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/openclaw\s+gpt-4o-mini\s+10 → 20 tok\s+\$0\.50\s+success\s+total \$0\.50 \(key \$\d+\.\d\d of \$20\.00\)/)
    expect(lines[1]).toMatch(/open\\e\[31mclaw.*FAILED RateLimitError \(429\)\s+total \$0\.50/)
    expect(lines[2]).toMatch(/^total: 2 requests, \$0\.50 in \d+ s; the key has spent about/)
    expect(run.out.stderr).toContain('proxy_batch_write_at')
    expect(run.out.stdout).not.toContain('\u001b')
  })

  it('refuses range and output flags (exit 2, no request)', async () => {
    const before = fx.srv.requests.length
    const run = follow(['--output', path.join(fx.dir, 'x.csv')])
    expect(await run.exited).toBe(2)
    expect(run.out.stderr).toContain('--follow prints new requests as they arrive: it takes no --output')
    expect(fx.srv.requests.length).toBe(before)
  })
})
