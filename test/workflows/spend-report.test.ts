/** The `spend report` workflow against the test server: totals equal the raw rows, whatever the source. */
import {describe, expect, it} from '@jest/globals'

import {LiteLLMClient} from '../../src/api/client.js'
import {resolveRange} from '../../src/domain/spend-range.js'
import {spendReport} from '../../src/workflows/spend-report.js'
import {useTestServers} from '../helpers/test-server.js'
import type {TestServer} from '../server/index.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [
  {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'},
  {alias: 'ci-bot', key: 'sk-test-ci-bot-00000000002'},
]
const LOGS = {generate: {count: 1200, start: new Date('2026-10-28T00:00:00Z'), end: new Date('2026-11-04T00:00:00Z'), keys: KEYS, seed: 5}}
const fx = useTestServers({srv: {flavor: 'new', logs: LOGS}}, {now: NOW})
const RANGE = resolveRange({since: '2026-11-01', until: '2026-11-02'}, NOW, 'UTC')
const notes = {warn: () => undefined, note: () => undefined}

function rawTotal(s: TestServer, alias?: string): {requests: number; spend: number} {
  const rows = [...s.spendRows()].filter((r) => {
    const ms = Date.parse(r.startTime)
    return ms >= RANGE.startMs && ms < RANGE.endMs && (!alias || r.metadata.user_api_key_alias === alias)
  })
  return {requests: rows.length, spend: Math.round(rows.reduce((a, r) => a + r.spend, 0) * 1e6) / 1e6}
}

describe('spendReport', () => {
  it('by day from daily activity and by user from the spend logs: the same totals as the raw rows', async () => {
    for (const k of KEYS) if (!fx.srv.keys().some((r) => r.key_alias === k.alias)) fx.srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
    const client = new LiteLLMClient({baseUrl: fx.srv.url, apiKey: fx.srv.masterKey, timeoutMs: 5000})
    const want = rawTotal(fx.srv)
    expect(want.requests).toBeGreaterThan(100)

    const daily = await spendReport(client, {range: RANGE, groupBy: 'day', breakdown: false, timezone: 'UTC', keys: [], now: NOW, notes})
    expect(daily.report.source).toBe('daily-activity')
    expect(daily.report.totals).toMatchObject(want)
    expect([...daily.daily.keys()]).toEqual(['2026-11-01', '2026-11-02'])

    let pages = 0
    const byUser = await spendReport(client, {range: RANGE, groupBy: 'user', breakdown: false, timezone: 'UTC', keys: [], now: NOW, notes, onPage: () => void pages++})
    expect(byUser.report.source).toBe('spend-logs-v2')
    expect(byUser.report.totals).toMatchObject(want)
    expect(pages).toBeGreaterThan(0)
    expect(byUser.groups).toBe(byUser.report.rows.length)
  })

  it('one --key: only its rows, and its budget in the report', async () => {
    const client = new LiteLLMClient({baseUrl: fx.srv.url, apiKey: fx.srv.masterKey, timeoutMs: 5000})
    if (!fx.srv.keys().some((r) => r.key_alias === 'ci-bot')) fx.srv.addKey({key: KEYS[1]!.key, key_alias: 'ci-bot', max_budget: 50, budget_duration: '30d'})
    const r = await spendReport(client, {range: RANGE, groupBy: 'model', breakdown: false, timezone: 'UTC', keys: ['ci-bot'], now: NOW, notes})
    expect(r.report.totals).toMatchObject(rawTotal(fx.srv, 'ci-bot'))
    expect(r.report.budget).toMatchObject({budget: 50})
  })
})
