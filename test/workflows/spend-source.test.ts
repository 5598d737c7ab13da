/** Spend source selection and reading, shared by `spend report` and `spend logs`, against the test server. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import {LiteLLMClient} from '../../src/api/client.js'
import {resolveRange} from '../../src/domain/spend-range.js'
import {openSpendSource, readDailyActivity, readSpendLogs} from '../../src/workflows/spend-source.js'
import type {TestServer} from '../server/index.js'
import {forgetRequests, useTestServers} from '../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [
  {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'},
  {alias: 'ci-bot', key: 'sk-test-ci-bot-00000000002'},
]
const LOGS = {generate: {count: 1500, start: new Date('2026-10-28T00:00:00Z'), end: new Date('2026-11-04T00:00:00Z'), keys: KEYS, seed: 3}}
const RANGE = resolveRange({since: '2026-11-01', until: '2026-11-02'}, NOW, 'UTC')

// One server per set of endpoints the tests need, each with the same rows and keys.
const fx = useTestServers(
  {
    new: {flavor: 'new', logs: LOGS},
    oldUi: {flavor: 'old', logs: LOGS, features: {spendLogsV2: false, dailyActivity: false}},
    oldNone: {flavor: 'old', logs: LOGS, features: {spendLogsV2: false, spendLogsUi: false, dailyActivity: false, legacySpendLogs: false}},
    oldNoV2: {flavor: 'old', logs: LOGS, features: {spendLogsV2: false}},
    oldLegacy: {flavor: 'old', logs: LOGS, features: {spendLogsV2: false, spendLogsUi: false}},
  },
  {now: NOW},
)
type Name = 'new' | 'oldUi' | 'oldNone' | 'oldNoV2' | 'oldLegacy'
beforeAll(() => {
  for (const srv of [fx.new, fx.oldUi, fx.oldNone, fx.oldNoV2, fx.oldLegacy]) {
    for (const k of KEYS) srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
  }
})

function start(name: Name): {srv: TestServer; client: LiteLLMClient} {
  const srv = fx[name]
  return {srv, client: new LiteLLMClient({baseUrl: srv.url, apiKey: srv.masterKey, timeoutMs: 5000})}
}

const notes = () => {
  const lines: string[] = []
  return {lines, warn: (l: string) => void lines.push(`warn: ${l}`), note: (l: string) => void lines.push(`note: ${l}`)}
}
const LEGACY = {note: 'legacy note', truncated: 'truncated warning'}
const inRange = (s: TestServer, alias?: string) =>
  [...s.spendRows()].filter((r) => {
    const ms = Date.parse(r.startTime)
    return ms >= RANGE.startMs && ms < RANGE.endMs && (!alias || r.metadata.user_api_key_alias === alias)
  })

describe('openSpendSource', () => {
  it('a report that daily activity can answer reads it; rows, a per-user report or a non-UTC day read the spend logs', async () => {
    const {client} = start('new')
    const n = notes()
    const today = '2026-11-20'
    expect((await openSpendSource(client, {keys: [], today, need: {groupBy: 'day', breakdown: false, timezone: 'UTC'}, notes: n})).source).toBe('daily-activity')
    expect((await openSpendSource(client, {keys: [], today, need: {groupBy: 'user', breakdown: false, timezone: 'UTC'}, notes: n})).source).toBe('spend-logs-v2')
    expect((await openSpendSource(client, {keys: [], today, need: {groupBy: 'day', breakdown: false, timezone: 'Europe/Berlin'}, notes: n})).source).toBe('spend-logs-v2')
    expect((await openSpendSource(client, {keys: [], today, need: {rows: true}, notes: n})).source).toBe('spend-logs-v2')
  })

  it('resolves --key filters while detecting, and falls back to older endpoints', async () => {
    const {client} = start('oldUi')
    const r = await openSpendSource(client, {keys: ['ci-bot'], today: '2026-11-20', need: {rows: true}, notes: notes()})
    expect(r.source).toBe('spend-logs-ui')
    expect(r.keys.map((k) => [k.alias, k.via])).toEqual([['ci-bot', 'alias']])
  })

  it('no spend endpoint at all: a not-LiteLLM error naming what was looked for', async () => {
    const {client} = start('oldNone')
    await expect(openSpendSource(client, {keys: [], today: '2026-11-20', need: {rows: true}, notes: notes()})).rejects.toMatchObject({
      kind: 'not_litellm',
      message: 'the proxy offers no spend-log endpoint (/spend/logs/v2, /spend/logs/ui or /spend/logs)',
    })
    await expect(openSpendSource(client, {keys: [], today: '2026-11-20', need: {groupBy: 'day', breakdown: false, timezone: 'UTC'}, notes: notes()})).rejects.toMatchObject({
      kind: 'not_litellm',
      message: 'the proxy offers no spend endpoint (/user/daily/activity, /spend/logs/v2, /spend/logs/ui or /spend/logs)',
    })
  })
})

describe('readSpendLogs', () => {
  it.each([
    ['spend-logs-v2', 'new'],
    ['spend-logs-ui', 'oldNoV2'],
    ['spend-logs-legacy', 'oldLegacy'],
  ] as const)('%s: every row of the range arrives (one key narrowed by the server)', async (source, name) => {
    const {srv: s, client} = start(name)
    const n = notes()
    const [key] = (await openSpendSource(client, {keys: ['openclaw'], today: '2026-11-20', need: {rows: true}, notes: n})).keys
    const rows = []
    for await (const page of readSpendLogs(client, source, {range: RANGE, keys: [key!], notes: n, legacy: LEGACY})) rows.push(...page)
    const got = rows.filter((r) => {
      const ms = Date.parse(r.startTime.endsWith('Z') ? r.startTime : `${r.startTime}Z`)
      return ms >= RANGE.startMs && ms < RANGE.endMs
    })
    const want = inRange(s, 'openclaw')
    expect(want.length).toBeGreaterThan(50)
    expect(got.length).toBe(want.length)
    expect(n.lines).toEqual(source === 'spend-logs-legacy' ? ['note: legacy note'] : [])
  })
})

describe('readDailyActivity', () => {
  it('one pass per key, only the days of the range', async () => {
    const {srv: s, client} = start('new')
    const r = await openSpendSource(client, {keys: ['openclaw', 'ci-bot'], today: '2026-11-20', need: {groupBy: 'key', breakdown: false, timezone: 'UTC'}, notes: notes()})
    forgetRequests(s)
    const days = await readDailyActivity(client, RANGE, r.keys)
    expect(s.requests.filter((q) => q.path === '/user/daily/activity').map((q) => q.query.api_key).sort()).toEqual(r.keys.map((k) => k.hash).sort())
    expect(new Set(days.map((d) => d.date))).toEqual(new Set(['2026-11-01', '2026-11-02']))
    const requests = days.reduce((sum, d) => sum + d.metrics.api_requests, 0)
    const hashes = new Set(r.keys.map((k) => k.hash))
    expect(requests).toBe(inRange(s).filter((row) => hashes.has(row.api_key)).length)
  })
})
