// Webhook targets and delivery (against a real receiver on 127.0.0.1), the alert state file and its lock.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {deliverWebhook} from '../../src/notify/deliver.js'
import {parseNotifyTarget, redactWebhookUrl} from '../../src/notify/targets.js'
import {emptyState, keyState, pruneMarkers, readStateFile, recordDelivered, sentMarkers, writeStateFile} from '../../src/io/alert-state.js'
import {acquireLock, isStale} from '../../src/io/lock.js'
import {startWebhookReceiver, type WebhookReceiver} from '../helpers/webhook-receiver.js'
import {InputError} from '../../src/core/errors.js'

describe('parseNotifyTarget', () => {
  it('recognises Slack, Discord and generic webhooks by address', () => {
    expect(parseNotifyTarget('https://hooks.slack.com/services/T1/B2/secret')).toMatchObject({format: 'slack', display: 'slack https://hooks.slack.com/…'})
    expect(parseNotifyTarget('https://discord.com/api/webhooks/123/tok')).toMatchObject({format: 'discord', display: 'discord https://discord.com/…'})
    expect(parseNotifyTarget('https://discordapp.com/api/webhooks/123/tok').format).toBe('discord')
    expect(parseNotifyTarget('https://canary.discord.com/api/webhooks/123/tok').format).toBe('discord')
    expect(parseNotifyTarget('https://discord.com/channels/1').format).toBe('generic')
    expect(parseNotifyTarget('https://alerts.example.com:8443/keyward?token=x')).toMatchObject({format: 'generic', display: 'generic https://alerts.example.com:8443/…'})
    expect(parseNotifyTarget('https://hooks.slack.com.evil.example/services/x').format).toBe('generic')
  })

  it('a scheme prefix forces the format and is removed', () => {
    const t = parseNotifyTarget('slack+http://127.0.0.1:9/services/T/B/X')
    expect(t).toMatchObject({format: 'slack', url: 'http://127.0.0.1:9/services/T/B/X', display: 'slack http://127.0.0.1:9/…'})
    expect(parseNotifyTarget('DISCORD+https://relay.internal/d').format).toBe('discord')
    expect(parseNotifyTarget('generic+https://hooks.slack.com/services/x').format).toBe('generic')
  })

  it('the id is a hash, never the secret; bad addresses are input errors without the secret', () => {
    const t = parseNotifyTarget('https://hooks.slack.com/services/T1/B2/secret')
    expect(t.id).toMatch(/^[0-9a-f]{16}$/)
    expect(parseNotifyTarget('https://hooks.slack.com/services/T1/B2/other').id).not.toBe(t.id)
    expect(() => parseNotifyTarget('not a url')).toThrow(InputError)
    expect(() => parseNotifyTarget('file:///etc/secret')).toThrow(/only http and https/)
    expect(() => parseNotifyTarget('mailto://user:secret@host/secret')).toThrow("invalid webhook URL 'mailto://host/…': only http and https are supported")
    expect(() => parseNotifyTarget('https://exa mple.com/secret')).toThrow('invalid --notify value: not a URL')
    // `.not.toThrow(/secret/)` would also pass if nothing were thrown: read the message itself.
    let thrown: unknown
    try {
      parseNotifyTarget('https://exa mple.com/secret')
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as Error).message).not.toContain('secret')
    for (const bad of ['file:///etc/secret', 'mailto://user:secret@host/secret']) expect(() => parseNotifyTarget(bad)).toThrow(expect.objectContaining({message: expect.not.stringContaining('secret')}))
    expect(redactWebhookUrl('https://user:pw@hooks.slack.com/services/a/b/c?x=1')).toBe('https://hooks.slack.com/…')
  })
})

describe('deliverWebhook', () => {
  let hook: WebhookReceiver
  beforeAll(async () => {
    hook = await startWebhookReceiver()
  })
  afterAll(async () => {
    await hook.close()
  })
  const target = () => parseNotifyTarget(`${hook.url}/hooks/very-secret`)
  const fast = {sleep: async () => undefined}

  it('posts JSON and retries 5xx and dropped connections', async () => {
    hook.reset()
    hook.failNext(1, 502)
    const ok = await deliverWebhook(target(), {hello: 1}, fast)
    expect(ok).toEqual({ok: true, status: 200, attempts: 2})
    expect(hook.requests.map((r) => r.body)).toEqual([{hello: 1}, {hello: 1}])
    expect(hook.requests[0].headers['content-type']).toBe('application/json')
    hook.reset()
    hook.failNext(5, 'reset')
    const failed = await deliverWebhook(target(), {hello: 2}, {...fast, attempts: 3})
    expect(failed).toMatchObject({ok: false, status: null, attempts: 3})
    expect(hook.requests).toHaveLength(3)
  })

  it('does not retry a permanent refusal; the error names no secret', async () => {
    hook.reset()
    hook.failNext(5, 404)
    const r = await deliverWebhook(target(), {}, fast)
    expect(r).toEqual({ok: false, status: 404, attempts: 1, error: 'HTTP 404: failing on purpose'})
    expect(hook.requests).toHaveLength(1)
  })

  it('times out a receiver that does not answer', async () => {
    hook.reset()
    hook.setDelay(1500)
    let r: Awaited<ReturnType<typeof deliverWebhook>>
    try {
      r = await deliverWebhook(target(), {}, {...fast, timeoutMs: 200, attempts: 2})
    } finally {
      hook.setDelay(0)
    }
    expect(r).toMatchObject({ok: false, attempts: 2, error: 'timed out after 0.2 s'})
    expect(JSON.stringify(r)).not.toContain('very-secret')
  })
})

describe('alert state', () => {
  let dir: string
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-state-'))
  })
  afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true})
  })

  it('round-trips, and a new window re-arms budget markers but not problems', async () => {
    const file = path.join(dir, 'nested', 'state.json')
    expect(await readStateFile(file)).toEqual({state: emptyState(), status: 'missing'})
    const state = emptyState()
    const e = keyState(state, 'hash1', 'ci-bot', 'w1')
    recordDelivered(e, 't1', ['threshold:50', 'threshold:80', 'problem:blocked'], new Date('2026-11-20T00:00:00Z'))
    await writeStateFile(file, state)
    const read = await readStateFile(file)
    expect(read.status).toBe('ok')
    expect(sentMarkers(keyState(read.state, 'hash1', 'ci-bot', 'w1'), 't1')).toEqual({sent: new Set(['threshold:50', 'threshold:80']), problems: new Set(['problem:blocked'])})
    expect(sentMarkers(keyState(read.state, 'hash1', 'ci-bot', 'w1'), 't2')).toEqual({sent: new Set(), problems: new Set()})
    const next = keyState(read.state, 'hash1', 'ci-bot', 'w2')
    expect(sentMarkers(next, 't1')).toEqual({sent: new Set(), problems: new Set(['problem:blocked'])})
    pruneMarkers(next, () => [])
    expect(next.problems).toEqual({})
  })

  it('reports a corrupted file instead of throwing', async () => {
    const file = path.join(dir, 'bad.json')
    await fs.writeFile(file, 'garbage')
    expect(await readStateFile(file)).toMatchObject({status: 'corrupt', reason: expect.stringContaining('not JSON')})
    await fs.writeFile(file, JSON.stringify({version: 2, keys: {}}))
    expect(await readStateFile(file)).toMatchObject({status: 'corrupt', reason: expect.stringContaining('version')})
  })
})

describe('lock', () => {
  let dir: string
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-lock-'))
  })
  afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true})
  })

  it('one holder at a time; released locks can be taken', async () => {
    const file = path.join(dir, 'a.lock')
    const first = await acquireLock(file, {waitMs: 0})
    expect(first.acquired).toBe(true)
    const second = await acquireLock(file, {waitMs: 150, pollMs: 20})
    expect(second).toMatchObject({acquired: false, holder: {pid: process.pid}})
    if (first.acquired) await first.release()
    const third = await acquireLock(file, {waitMs: 0})
    expect(third.acquired).toBe(true)
    if (third.acquired) await third.release()
    await expect(fs.stat(file)).rejects.toThrow()
  })

  it('a waiting run gets the lock when the holder releases it', async () => {
    const file = path.join(dir, 'b.lock')
    const first = await acquireLock(file, {waitMs: 0})
    if (!first.acquired) throw new Error('not acquired')
    setTimeout(() => void first.release(), 100)
    const second = await acquireLock(file, {waitMs: 2000, pollMs: 20})
    expect(second.acquired).toBe(true)
    if (second.acquired) await second.release()
  })

  it('takes over a lock that is too old, or whose process is gone', async () => {
    const file = path.join(dir, 'c.lock')
    await fs.writeFile(file, JSON.stringify({pid: process.pid, hostname: os.hostname(), createdAt: '2020-01-01T00:00:00Z'}))
    const r = await acquireLock(file, {waitMs: 0})
    expect(r).toMatchObject({acquired: true, recovered: {createdAt: '2020-01-01T00:00:00Z'}})
    if (r.acquired) await r.release()
    const now = Date.now()
    const fresh = new Date(now).toISOString()
    expect(isStale({pid: 1, hostname: 'h', createdAt: fresh}, now, now, 60_000, 'h', () => false)).toBe(true)
    expect(isStale({pid: 1, hostname: 'h', createdAt: fresh}, now, now, 60_000, 'h', () => true)).toBe(false)
    // Another host's process cannot be checked: only age counts.
    expect(isStale({pid: 1, hostname: 'other', createdAt: fresh}, now, now, 60_000, 'h', () => false)).toBe(false)
    expect(isStale({pid: 1, hostname: 'other', createdAt: new Date(now - 120_000).toISOString()}, now, now, 60_000, 'h', () => true)).toBe(true)
    expect(isStale(undefined, now - 1000, now)).toBe(false)
    expect(isStale(undefined, now - 10_000, now)).toBe(true)
  })
})
