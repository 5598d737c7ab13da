/**
 * #16: the alert state in a real Redis (redis-server started here on a free port, no disk), shared by
 * runs of the built CLI from two simulated hosts (separate HOMEs and data folders).
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {freePort} from '../../helpers/free-port.js'
import {startRedisServer, type RedisServer} from '../../helpers/redis-server.js'
import {ROOT} from '../../helpers/run-command.js'
import {pinnedEnv, runBin, type SpawnResult} from '../../helpers/spawn.js'
import {startWebhookReceiver, type WebhookReceiver} from '../../helpers/webhook-receiver.js'
import {useTestServers} from '../../helpers/test-server.js'

const PASSWORD = 's3cret-redis-pass'
/** KEYWARD_CLAIM_TTL in the kill test (seconds). */
const LEASE_S = 20
const START = new Date('2026-11-20T12:00:00.000Z')
// Each test an empty proxy (no keys) at START: nothing left from the one before.
const fx = useTestServers({srv: {flavor: 'new'}}, {now: START, freshKeys: true})
let redis: RedisServer
let hook: WebhookReceiver
let now: Date
let db = 0

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  redis = await startRedisServer({password: PASSWORD})
  hook = await startWebhookReceiver()
})
afterAll(async () => {
  await Promise.all([redis?.stop(), hook?.close()])
})
beforeEach(() => {
  now = START
  hook.reset()
  // Each test its own database: nothing left from the one before.
  db++
})

/** One simulated host: its own HOME, config and data folders. */
async function host(name: string): Promise<Record<string, string>> {
  const home = path.join(fx.dir, `${name}-${db}`)
  await fs.mkdir(path.join(home, 'data'), {recursive: true})
  return {HOME: home, KEYWARD_CONFIG_DIR: home, KEYWARD_DATA_DIR: path.join(home, 'data')}
}

const env = (h: Record<string, string>, extra: Record<string, string> = {}) =>
  fx.env(fx.srv, {...h, KEYWARD_NOW: now.toISOString(), KEYWARD_STATE_URL: redis.url(db), ...extra})

const check = (h: Record<string, string>, extra: Record<string, string> = {}, args: string[] = []): Promise<SpawnResult> =>
  runBin(['budget', 'check', '--notify', `${hook.url}/hook`, '--quiet', ...args], {env: env(h, extra), timeoutMs: 90_000})

function expectNoSecret(...texts: string[]): void {
  for (const t of texts) expect(t).not.toContain(PASSWORD)
}

describe('budget check --state redis://', () => {
  it('10 concurrent runs from two hosts cross 80% once: one delivery; the next window re-arms', async () => {
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 85})
    const [a, b] = [await host('a'), await host('b')]
    const runs = await Promise.all(Array.from({length: 10}, (_v, i) => check(i % 2 === 0 ? a : b)))
    for (const r of runs) {
      expect({code: r.exitCode, stdout: r.stdout}).toEqual({code: 10, stdout: ''})
      expectNoSecret(r.stdout, r.stderr)
    }
    expect(hook.delivered()).toHaveLength(1)
    expect(hook.delivered()[0]).toMatchObject({event: 'threshold_crossed', threshold: 80})
    // Nothing written to the hosts' data folders: the state is in Redis.
    for (const h of [a, b]) expect(await fs.readdir(h.KEYWARD_DATA_DIR)).toEqual([])
    // The others found it delivered, or were told another run had claimed it: no warning, no failure.
    for (const r of runs) expect(r.stderr).toMatch(/^(not sending threshold_crossed 80% for ci-bot .*another run (is delivering|delivered) it.*\n)?$/)

    // Again: nothing new.
    expect((await check(a)).exitCode).toBe(10)
    expect(hook.delivered()).toHaveLength(1)

    // The proxy resets the budget on the 1st; a new window re-arms the alert, once across both hosts.
    now = new Date('2026-12-02T09:00:00Z')
    fx.srv.setNow(now)
    await fetch(`${fx.srv.url}/health/liveliness`)
    fx.srv.setSpend('ci-bot', 85)
    const next = await Promise.all(Array.from({length: 4}, (_v, i) => check(i % 2 === 0 ? a : b)))
    for (const r of next) expect(r.exitCode).toBe(10)
    expect(hook.delivered()).toHaveLength(2)
    expect(hook.delivered()[1]).toMatchObject({event: 'threshold_crossed', threshold: 80})
    // The record expires a day after the window's end (2027-01-01).
    const sent = (await listKeys(db)).find((k) => k.includes(':sent:2027-01-01'))
    expect(sent).toBeDefined()
    const ttl = Number(await redis.command(db, 'PTTL', sent!))
    expect(Math.abs(ttl - (Date.parse('2027-01-02T00:00:00Z') - now.getTime()))).toBeLessThan(120_000)
  }, 180_000)

  it('a failed delivery releases its claim: the next run (on another host) delivers', async () => {
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 82})
    const [a, b] = [await host('a'), await host('b')]
    hook.failNext(3, 500)
    const r1 = await check(a)
    expect(r1.exitCode).toBe(10)
    expect(r1.stderr).toMatch(/could not deliver threshold_crossed 80% for ci-bot .* it will be tried again on the next run/)
    expect(hook.delivered()).toHaveLength(0)
    expect((await listKeys(db)).filter((k) => k.includes(':claim:'))).toEqual([])
    const r2 = await check(b)
    expect(r2.exitCode).toBe(10)
    expect(hook.delivered()).toHaveLength(1)
  }, 120_000)

  it("a run killed mid-delivery leaves a claim that expires; the run after re-sends with the same id", async () => {
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 85})
    const [a, b] = [await host('a'), await host('b')]
    hook.setDelay(120_000)
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'budget', 'check', '--notify', `${hook.url}/hook`, '--quiet'], {
      // A lease long enough for the next run to start on a loaded machine, short enough to wait out.
      env: pinnedEnv(env(a, {KEYWARD_CLAIM_TTL: String(LEASE_S)})),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const closed = new Promise((r) => child.on('close', r))
    for (let i = 0; i < 400 && hook.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(hook.requests).toHaveLength(1)
    const claim = (await listKeys(db)).find((k) => k.includes(':claim:'))!
    const ttl = Number(await redis.command(db, 'PTTL', claim))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(LEASE_S * 1000)
    child.kill('SIGKILL')
    await closed
    hook.setDelay(0)

    // While the lease lasts, no other run sends it.
    const during = await check(b, {KEYWARD_CLAIM_TTL: String(LEASE_S)})
    expect(during.exitCode).toBe(10)
    expect(during.stderr).toMatch(/not sending threshold_crossed 80% for ci-bot .*another run is delivering it/)
    expect(hook.requests).toHaveLength(1)

    // After it, the next run sends it again, with the same id, and says why.
    for (let i = 0; i < LEASE_S * 10 + 50 && Number(await redis.command(db, 'PTTL', claim)) > 0; i++) await new Promise((r) => setTimeout(r, 100))
    expect(Number(await redis.command(db, 'PTTL', claim))).toBe(-2)
    const after = await check(b)
    expect(after.exitCode).toBe(10)
    expect(after.stderr).toMatch(/an earlier run was stopped while delivering threshold_crossed 80% for ci-bot .* sending it again with the same id [0-9a-f]{32}/)
    expect(hook.requests).toHaveLength(2)
    expect(hook.requests[1]!.headers['idempotency-key']).toBe(hook.requests[0]!.headers['idempotency-key'])
    // Delivered now: recorded past the window's end.
    expect(Number(await redis.command(db, 'PTTL', claim))).toBeGreaterThan(86_400_000)
  }, 180_000)

  it('Redis down or the wrong password: exit 6, one line, nothing sent, the password never shown', async () => {
    fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 85})
    const a = await host('a')
    const down = `redis://:${PASSWORD}@127.0.0.1:${await freePort()}/0`
    const r = await check(a, {KEYWARD_STATE_URL: down})
    expect(r.exitCode).toBe(6)
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: cannot reach the alert state at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: connection refused; no alerts were sent$/)
    expectNoSecret(r.stdout, r.stderr)

    const wrong = redis.url(db).replace(encodeURIComponent(PASSWORD), 'not-the-password')
    const w = await check(a, {KEYWARD_STATE_URL: wrong}, ['--json'])
    expect(w.exitCode).toBe(6)
    expect(JSON.parse(w.stdout)).toMatchObject({error: {kind: 'network', exitCode: 6, message: expect.stringMatching(/authentication failed/)}})
    expect(w.stdout + w.stderr).not.toContain('not-the-password')
    expect(hook.requests).toHaveLength(0)
    // And a --state URL on the command line is told to move to the environment.
    const argv = await runBin(['budget', 'check', '--notify', `${hook.url}/hook`, '--quiet', '--state', down], {env: {...env(a), KEYWARD_STATE_URL: undefined}, timeoutMs: 60_000})
    expect(argv.exitCode).toBe(6)
    expect(argv.stderr).toContain('put the URL in KEYWARD_STATE_URL instead')
    expectNoSecret(argv.stderr, argv.stdout)
  }, 120_000)

  it('a bad URL is bad input (exit 2) before any request', async () => {
    const a = await host('a')
    const r = await check(a, {KEYWARD_STATE_URL: `redis://:${PASSWORD}@127.0.0.1:6379/zero`})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/invalid Redis URL in KEYWARD_STATE_URL: redis:\/\/:\*\*\*@127\.0\.0\.1:6379\/zero/)
    expectNoSecret(r.stderr)
    expect(fx.srv.requests.length).toBe(0)
  })
})

async function listKeys(n: number): Promise<string[]> {
  const {createClient} = await import('@redis/client')
  const client = createClient({url: redis.url(n)})
  await client.connect()
  try {
    return (await client.keys('*')).map(String)
  } finally {
    await client.close()
  }
}
