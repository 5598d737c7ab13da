/**
 * #17 against a real LiteLLM proxy (harness.mjs: store_prompts_in_spend_logs on, a `mock-fail` model whose
 * mock_response raises litellm.RateLimitError): `spend logs show` finds a request by id in one or two
 * requests to the proxy, a failed request's error is shown, `spend report --by error` counts it, and
 * `spend logs --follow` prints each of 20 requests made while it runs exactly once.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {pinnedEnv, runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {chat, http, realProxy, sql, waitFor, type RealProxy, json} from './real-proxy.js'

let proxy: RealProxy
let tmp: string
const run = Date.now().toString(36)
const alias = (name: string) => `kw-${run}-${name}`

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  proxy = realProxy()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-debug-'))
})
afterAll(async () => {
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const env = () => envFor(proxy, tmp)
// --timeout: a fresh proxy builds its (large) /openapi.json on the first request, slowly on a loaded machine
const kw = (args: string[]): Promise<SpawnResult> => runBin([...args, '--timeout', '120'], {env: env(), timeoutMs: 180_000})
/** The spend-log requests a --debug run made (its stderr names each request). */
const spendLogRequests = (stderr: string) => stderr.split('\n').filter((l) => /^debug: GET \S+\/spend\/logs/.test(l))

async function newKey(name: string, models: string[]): Promise<{key: string; hash: string}> {
  const created = json(await kw(['keys', 'create', '--alias', name, '--budget', '10', '--models', models.join(','), '--json']))
  return {key: created.key, hash: created.details.hash}
}

/** The key's spend-log rows, once `n` are written (the proxy writes them in batches). */
const rowsOf = (hash: string, n: number) =>
  waitFor(
    `${n} spend-log rows`,
    () => sql<{request_id: string; status: string}>(proxy.databaseUrl, 'SELECT request_id, status FROM "LiteLLM_SpendLogs" WHERE api_key = $1 ORDER BY "startTime"', [hash]),
    (rows) => rows.length >= n,
  )

describe('spend logs show', () => {
  it('finds a request by id in one or two requests to the proxy, with its messages and response', async () => {
    const name = alias('show')
    const {key, hash} = await newKey(name, ['gpt-4o-mini'])
    const marker = `keyward-show-${run}`
    const answer = await http(proxy, 'POST', '/chat/completions', key, {model: 'gpt-4o-mini', max_tokens: 30, messages: [{role: 'user', content: marker}]})
    expect(answer.status).toBe(200)
    const [row] = await rowsOf(hash, 1)
    expect(row!.request_id).toBe(answer.body.id)

    const shown = await kw(['spend', 'logs', 'show', row!.request_id, '--json', '--debug'])
    expect(shown.exitCode).toBe(0)
    const calls = spendLogRequests(shown.stderr)
    expect(calls.length).toBeGreaterThanOrEqual(1)
    expect(calls.length).toBeLessThanOrEqual(2)
    const doc = json(shown)
    expect(doc.spendLogRequests).toBe(calls.length)
    expect(doc.request).toMatchObject({requestId: row!.request_id, keyAlias: name, modelGroup: 'gpt-4o-mini', model: 'openai/gpt-4o-mini', status: 'success', payloadStored: true})
    // the mock's usage counts the prompt's tokens
    expect([doc.request.promptTokens, doc.request.completionTokens]).toEqual([answer.body.usage.prompt_tokens, answer.body.usage.completion_tokens])
    expect(doc.request.keyName).toMatch(/^sk-/)
    expect(JSON.stringify(doc.request.payload.messages)).toContain(marker)
    expect(JSON.stringify(doc.request.payload.response)).toContain('Hello from a mock gpt-4o-mini.')

    const text = await kw(['spend', 'logs', 'show', row!.request_id])
    expect(text.exitCode).toBe(0)
    expect(text.stdout).toContain(`user: ${marker}`)
    expect(text.stdout).toMatch(/Key:\s+kw-.*-show \(sk-/)
    expect(text.stdout).toMatch(/Served by:\s+openai\/gpt-4o-mini via openai/)
  })

  it('an id the proxy never logged: exit 4', async () => {
    const r = await kw(['spend', 'logs', 'show', `chatcmpl-no-such-request-${run}`])
    expect(r.exitCode).toBe(4)
    expect(r.stderr).toContain('no request')
  })
})

describe('failed requests', () => {
  it("a failed mock request's error is shown, and spend report --by error counts it", async () => {
    const name = alias('fail')
    const {key, hash} = await newKey(name, ['mock-fail'])
    const answer = await http(proxy, 'POST', '/chat/completions', key, {model: 'mock-fail', max_tokens: 30, messages: [{role: 'user', content: 'hi'}]})
    expect(answer.status).toBe(429)
    const [row] = await rowsOf(hash, 1)
    expect(row!.status).toBe('failure')

    const shown = await kw(['spend', 'logs', 'show', row!.request_id])
    expect(shown.exitCode).toBe(0)
    expect(shown.stdout).toMatch(/Status:\s+FAILED/)
    expect(shown.stdout).toMatch(/Error:\s+RateLimitError \(HTTP 429\)/)
    expect(shown.stdout).toMatch(/Message:\s+litellm\.RateLimitError: this is a mock rate limit error/)

    const failures = await kw(['spend', 'logs', '--month', '--key', name, '--status', 'failure', '--format', 'csv'])
    expect(failures.exitCode).toBe(0)
    const [header, first] = failures.stdout.trim().split('\r\n')
    expect(header!.split(',').slice(-3)).toEqual(['error_type', 'error_message', 'status_code'])
    expect(first).toContain('RateLimitError')

    const report = json(await kw(['spend', 'report', '--month', '--key', name, '--by', 'error', '--json']))
    expect(report.rows.map((r: {label: string; failed: number}) => [r.label, r.failed])).toEqual([['RateLimitError · mock-fail', 1]])
  })
})

describe('spend logs --follow', () => {
  it('prints each of 20 requests made during the run exactly once; Ctrl-C prints the total and exits 0', async () => {
    const name = alias('follow')
    const {key, hash} = await newKey(name, ['gpt-4o-mini'])
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--follow', '--key', name, '--interval', '0.5', '--json', '--debug', '--timeout', '120'], {
      cwd: ROOT,
      env: pinnedEnv(env()),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      // Following has begun once it polls the paged spend logs.
      await waitFor('the first poll', async () => spendLogRequests(stderr).some((l) => l.includes('/spend/logs/v2') || l.includes('/spend/logs/ui')), Boolean, 150_000)
      const statuses = await chat(proxy, key, 'gpt-4o-mini', 20, 4)
      expect(statuses.filter((s) => s === 200)).toHaveLength(20)
      const logged = await rowsOf(hash, 20)
      await waitFor('20 lines', async () => stdout.split('\n').filter(Boolean).length, (n) => n >= 20, 120_000)
      // A few more polls: nothing is printed twice.
      const polls = spendLogRequests(stderr).length
      await waitFor('three more polls', async () => spendLogRequests(stderr).length, (n) => n >= polls + 3, 60_000)
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as {event: string; request_id?: string; requests?: number; total_spend?: number})
      const requests = lines.filter((l) => l.event === 'request')
      expect(requests.map((l) => l.request_id).sort()).toEqual(logged.map((r) => r.request_id).sort())
      expect(new Set(requests.map((l) => l.request_id)).size).toBe(20)
      const [spent] = await sql<{spend: number}>(proxy.databaseUrl, 'SELECT coalesce(sum(spend), 0)::float8 AS spend FROM "LiteLLM_SpendLogs" WHERE api_key = $1', [hash])
      expect(lines[lines.length - 1]).toMatchObject({event: 'total', requests: 20, max_budget: 10})
      expect(lines[lines.length - 1]!.total_spend).toBeCloseTo(spent!.spend, 6)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
