/**
 * The alert state of `budget check` in Redis, for runs on many hosts or in pods without a disk
 * (`--state redis://…`). Loaded only when such a URL is given: the Redis client stays off every other
 * command's start-up.
 *
 * Keys (one hash tag per key and target, so a script's keys share a cluster slot):
 * - `keyward:alerts:v1:{<key hash>:<target id>}:sent:<window>`: hash marker → time, the budget alerts
 *   delivered in that window; expires past the window's end.
 * - `…:problems`: hash marker → time, the problem alerts delivered (not tied to a window).
 * - `…:claim:<scope>:<marker>`: the claim of one alert. `SET NX` with a short lease while it is being
 *   delivered; on success it becomes the record of the delivery and lives past the window's end; a
 *   failed delivery deletes it; a run that dies mid-delivery leaves it to expire with its lease.
 * - `…:inflight:<scope>:<marker>`: written with the claim, deleted when the delivery ends either way,
 *   so the run after a killed one can say so and re-send with the same id (at-least-once).
 */
import {randomUUID} from 'node:crypto'
import os from 'node:os'

import {createClient} from '@redis/client'

import {KeywardError} from '../core/errors.js'

export interface RedisStateOptions {
  url: string
  /** The URL without its password, for messages. */
  display: string
  connectTimeoutMs?: number
  commandTimeoutMs?: number
}

export interface ClaimRef {
  keyHash: string
  targetId: string
  /** The budget window id, or `problem` for problem alerts. */
  scope: string
  marker: string
}

export type ClaimResult = {claimed: true; token: string; earlier?: string} | {claimed: false; holder: ClaimHolder | undefined}

export interface ClaimHolder {
  state: 'delivering' | 'sent'
  host?: string
  pid?: number
  at?: string
}

const PREFIX = 'keyward:alerts:v1'

const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local earlier = redis.call('GET', KEYS[2])
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
  return {1, earlier or ''}
end
return {0, redis.call('GET', KEYS[1]) or ''}`

const CONFIRM = `
local mine = redis.call('GET', KEYS[1]) == ARGV[1]
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
for i = 5, #ARGV do redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[4]) end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
if mine then return 1 end
return 0`

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('DEL', KEYS[2])
return 1`

/** Milliseconds as Redis takes them: a whole number, at least 1. */
const ms = (n: number) => String(Math.max(1, Math.round(n)))
const slot = (keyHash: string, targetId: string) => `${PREFIX}:{${keyHash}:${targetId}}`
const claimKey = (r: ClaimRef) => `${slot(r.keyHash, r.targetId)}:claim:${r.scope}:${r.marker}`
const inflightKey = (r: ClaimRef) => `${slot(r.keyHash, r.targetId)}:inflight:${r.scope}:${r.marker}`
const sentKey = (keyHash: string, targetId: string, windowId: string) => `${slot(keyHash, targetId)}:sent:${windowId}`
const problemsKey = (keyHash: string, targetId: string) => `${slot(keyHash, targetId)}:problems`

function parseHolder(text: string): ClaimHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<ClaimHolder> & {token?: string}
    if (v.state === 'delivering' || v.state === 'sent') return {state: v.state, host: v.host, pid: v.pid, at: v.at}
  } catch {
    // someone else's value
  }
  return undefined
}

/** The password as written in the URL and decoded: neither may appear in a message. */
function passwordForms(url: string): string[] {
  try {
    const p = new URL(url).password
    if (!p) return []
    return [...new Set([p, decodeURIComponent(p)])].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
  } catch {
    return []
  }
}

type Client = ReturnType<typeof makeClient>

function makeClient(url: string, connectTimeoutMs: number) {
  return createClient({
    url,
    // One try: a cron run that cannot reach Redis says so and stops (it never alerts unrecorded).
    socket: {connectTimeout: connectTimeoutMs, reconnectStrategy: false},
    disableOfflineQueue: true,
  })
}

export class RedisAlertState {
  private constructor(
    private readonly client: Client,
    private readonly display: string,
    private readonly commandTimeoutMs: number,
    private readonly secrets: string[],
  ) {}

  /** Connect (and PING). Unreachable, refused or wrong password: a network error (exit 6), the password never shown. */
  static async connect(o: RedisStateOptions): Promise<RedisAlertState> {
    const connectTimeoutMs = o.connectTimeoutMs ?? 5000
    const client = makeClient(o.url, connectTimeoutMs)
    let lastError: unknown
    client.on('error', (error: unknown) => (lastError = error))
    const state = new RedisAlertState(client, o.display, o.commandTimeoutMs ?? 10_000, passwordForms(o.url))
    try {
      await state.timed('connect', client.connect(), connectTimeoutMs + 1000)
      await state.timed('PING', client.ping())
    } catch (error) {
      client.destroy()
      throw state.failure('cannot reach the alert state', lastError ?? error, 'no alerts were sent')
    }
    return state
  }

  /** Budget markers delivered to a target in a window, and problem markers. */
  async delivered(keyHash: string, targetId: string, windowId: string): Promise<{sent: Record<string, string>; problems: Record<string, string>}> {
    const [sent, problems] = await this.run('HGETALL', () =>
      Promise.all([this.client.hGetAll(sentKey(keyHash, targetId, windowId)), this.client.hGetAll(problemsKey(keyHash, targetId))]),
    )
    return {sent: {...sent}, problems: {...problems}}
  }

  /** Forget markers that no longer hold (re-armed): their records and their claims. */
  async forget(keyHash: string, targetId: string, windowId: string, markers: {sent: string[]; problems: string[]}): Promise<void> {
    if (markers.sent.length === 0 && markers.problems.length === 0) return
    const m = this.client.multi()
    if (markers.sent.length > 0) m.hDel(sentKey(keyHash, targetId, windowId), markers.sent)
    if (markers.problems.length > 0) m.hDel(problemsKey(keyHash, targetId), markers.problems)
    const claims = [
      ...markers.sent.map((marker) => claimKey({keyHash, targetId, scope: windowId, marker})),
      ...markers.problems.map((marker) => claimKey({keyHash, targetId, scope: 'problem', marker})),
    ]
    m.del(claims)
    await this.run('MULTI', () => m.exec())
  }

  /**
   * Claim one alert: `SET NX` with a lease of `leaseMs`. Only one run on any host gets it; the others
   * learn who holds it. `earlier` is set when a run that claimed it before was stopped mid-delivery.
   */
  async claim(ref: ClaimRef, o: {leaseMs: number; recordTtlMs: number; now: Date}): Promise<ClaimResult> {
    const token = JSON.stringify({state: 'delivering', token: randomUUID(), host: os.hostname(), pid: process.pid, at: o.now.toISOString()})
    const reply = (await this.run('claim', () =>
      this.client.eval(CLAIM, {keys: [claimKey(ref), inflightKey(ref)], arguments: [token, ms(o.leaseMs), ms(o.recordTtlMs), o.now.toISOString()]}),
    )) as [number, string]
    if (Number(reply[0]) === 1) return {claimed: true, token, earlier: reply[1] || undefined}
    return {claimed: false, holder: parseHolder(String(reply[1] ?? ''))}
  }

  /**
   * The delivery succeeded: the claim becomes the record (kept for `recordTtlMs`, on Redis's clock), and the markers it
   * covers are recorded. Returns false when the claim had expired before (another run may have sent it too).
   */
  async confirm(
    ref: ClaimRef,
    token: string,
    o: {covers: readonly string[]; recordKey: {windowId: string} | 'problems'; recordTtlMs: number; now: Date},
  ): Promise<boolean> {
    const record = o.recordKey === 'problems' ? problemsKey(ref.keyHash, ref.targetId) : sentKey(ref.keyHash, ref.targetId, o.recordKey.windowId)
    const done = JSON.stringify({state: 'sent', host: os.hostname(), pid: process.pid, at: o.now.toISOString()})
    const reply = await this.run('confirm', () =>
      this.client.eval(CONFIRM, {
        keys: [claimKey(ref), inflightKey(ref), record],
        arguments: [token, done, ms(o.recordTtlMs), o.now.toISOString(), ...o.covers],
      }),
    )
    return Number(reply) === 1
  }

  /** The delivery failed: drop the claim (if still ours) so the next run tries again. */
  async release(ref: ClaimRef, token: string): Promise<void> {
    await this.run('release', () => this.client.eval(RELEASE, {keys: [claimKey(ref), inflightKey(ref)], arguments: [token]}))
  }

  async close(): Promise<void> {
    try {
      await this.timed('QUIT', this.client.close(), 2000)
    } catch {
      this.client.destroy()
    }
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await this.timed(what, op())
    } catch (error) {
      throw this.failure(`the alert state failed (${what})`, error, 'this run stopped there')
    }
  }

  private timed<T>(what: string, p: Promise<T>, ms = this.commandTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${Math.round(ms / 1000)} s`)), ms)
    })
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
  }

  private failure(what: string, error: unknown, consequence: string): KeywardError {
    const raw = error instanceof Error ? error.message : String(error)
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    let why = raw.split('\n')[0]!.trim() || code || 'unknown error'
    if (code === 'ECONNREFUSED') why = 'connection refused'
    else if (code === 'ENOTFOUND') why = 'host not found'
    else if (/WRONGPASS|NOAUTH|invalid username-password/i.test(raw)) why = 'authentication failed (check the password in the URL)'
    for (const secret of this.secrets) why = why.split(secret).join('***')
    return new KeywardError('network', `${what} at ${this.display}: ${why}; ${consequence}`, {
      suggestions: ['check that Redis is running and reachable from here', 'or use the local state file: drop --state redis://… and KEYWARD_STATE_URL'],
      cause: error,
    })
  }
}
