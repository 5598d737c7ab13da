import {describe, expect, it} from '@jest/globals'

import {roundUsd} from '../../src/domain/money.js'
import {ExactSum, SpendAggregator, chooseSpendSource, dailySeries, spendKeyLabel, parseGroupBy, type LogFacts} from '../../src/domain/spend-aggregate.js'
import {factsOf, keepRow, parseColumns, type SpendLogRecord} from '../../src/domain/spend-export.js'
import {InputError} from '../../src/core/errors.js'

const fact = (over: Partial<LogFacts>): LogFacts => ({
  ms: Date.parse('2026-11-01T10:00:00Z'),
  model: 'gpt-4o',
  apiKey: 'a'.repeat(64),
  alias: 'ci-bot',
  user: 'u1',
  team: 't1',
  provider: 'openai',
  failed: false,
  inputTokens: 10,
  outputTokens: 5,
  spend: 0.1,
  ...over,
})

describe('spend aggregation', () => {
  it('sums money without float drift', () => {
    const s = new ExactSum()
    for (let i = 0; i < 10_000; i++) s.add(0.1)
    expect(roundUsd(s.value)).toBe(1000)
    let naive = 0
    for (let i = 0; i < 10_000; i++) naive += 0.1
    expect(naive).not.toBe(1000) // the reason for ExactSum
    expect(roundUsd(-0.0000001)).toBe(0)
  })

  it('groups log rows by day with a per-model breakdown and totals', () => {
    const agg = new SpendAggregator('day', 'model')
    agg.addLog(fact({}))
    agg.addLog(fact({model: 'claude', spend: 0.2, failed: true, inputTokens: 0, outputTokens: 0}))
    agg.addLog(fact({ms: Date.parse('2026-11-03T23:59:59.900Z'), spend: 1}))
    const r = agg.result()
    expect(r.rows.map((x) => x.group)).toEqual(['2026-11-01', '2026-11-03'])
    expect(r.rows[0]).toMatchObject({requests: 2, failed: 1, inputTokens: 10, outputTokens: 5, spend: 0.3})
    expect(r.rows[0]!.breakdown!.map((b) => [b.label, b.spend])).toEqual([
      ['claude', 0.2],
      ['gpt-4o', 0.1],
    ])
    expect(r.totals).toEqual({requests: 3, failed: 1, inputTokens: 20, outputTokens: 10, spend: 1.3})
    expect(dailySeries(r.daily, '2026-11-01', '2026-11-04').map((d) => d.spend)).toEqual([0.3, 0, 1, 0])
  })

  it('groups by key with aliases, the master key and unknown keys', () => {
    const agg = new SpendAggregator('key', null)
    agg.addLog(fact({alias: null}))
    agg.addLog(fact({alias: 'ci-bot'}))
    agg.addLog(fact({apiKey: 'litellm_proxy_master_key', alias: null, spend: 5}))
    const rows = agg.result().rows
    expect(rows.map((r) => [r.label, r.requests])).toEqual([
      ['(master key)', 1],
      ['ci-bot', 2],
    ])
    expect(spendKeyLabel('b'.repeat(64), null)).toBe('bbbbbbbbbb…')
  })

  it('in a zone, days follow that zone', () => {
    const agg = new SpendAggregator('day', null, 'America/New_York')
    agg.addLog(fact({ms: Date.parse('2026-11-02T03:00:00Z')}))
    expect(agg.result().rows[0]!.group).toBe('2026-11-01')
  })

  it('reads daily activity, by model and by key', () => {
    const day = {
      date: '2026-11-01',
      metrics: {spend: 3, prompt_tokens: 30, completion_tokens: 3, api_requests: 3, failed_requests: 1},
      breakdown: {
        models: {'gpt-4o': {metrics: {spend: 1, prompt_tokens: 10, completion_tokens: 1, api_requests: 1, failed_requests: 0}}, claude: {metrics: {spend: 2, prompt_tokens: 20, completion_tokens: 2, api_requests: 2, failed_requests: 1}}},
        api_keys: {abc: {metrics: {spend: 3, prompt_tokens: 30, completion_tokens: 3, api_requests: 3, failed_requests: 1}, metadata: {key_alias: 'openclaw'}}},
      },
    }
    const byModel = new SpendAggregator('model', null)
    byModel.addDaily(day)
    expect(byModel.result().rows.map((r) => [r.group, r.spend, r.failed])).toEqual([
      ['claude', 2, 1],
      ['gpt-4o', 1, 0],
    ])
    const byKey = new SpendAggregator('key', null)
    byKey.addDaily(day)
    expect(byKey.result().rows).toEqual([{group: 'abc', label: 'openclaw', requests: 3, failed: 1, inputTokens: 30, outputTokens: 3, spend: 3}])
  })

  it('one labelling rule for keys, from logs or from daily activity: the master key\'s hash is "(master key)" (#12 item 8)', () => {
    const master = 'f'.repeat(64)
    const metrics = {spend: 2, prompt_tokens: 1, completion_tokens: 1, api_requests: 1, failed_requests: 0}
    const fromDaily = new SpendAggregator('key', null, 'UTC', master)
    fromDaily.addDaily({date: '2026-11-01', metrics, breakdown: {api_keys: {[master]: {metrics, metadata: {}}}}})
    const fromLogs = new SpendAggregator('key', null, 'UTC', master)
    fromLogs.addLog(fact({apiKey: master, alias: null, spend: 2}))
    const byModel = new SpendAggregator('model', 'key', 'UTC', master)
    byModel.addLog(fact({apiKey: master, alias: null, spend: 2}))
    expect(fromDaily.result().rows.map((r) => r.label)).toEqual(['(master key)'])
    expect(fromLogs.result().rows.map((r) => r.label)).toEqual(['(master key)'])
    expect(byModel.result().rows[0]!.breakdown!.map((r) => r.label)).toEqual(['(master key)'])
  })

  it('parses --by', () => {
    expect(parseGroupBy('Model')).toBe('model')
    expect(parseGroupBy('weekly')).toBe('week')
    expect(parseGroupBy('Monthly')).toBe('month')
    expect(() => parseGroupBy('fortnight')).toThrow(InputError)
  })

  it('chooses daily activity only where it can answer', () => {
    const all = {dailyActivity: true, spendLogsV2: true, spendLogsUi: true, legacySpendLogs: true}
    expect(chooseSpendSource(all, {groupBy: 'day', breakdown: true, timezone: 'UTC'})).toBe('daily-activity')
    expect(chooseSpendSource(all, {groupBy: 'key', breakdown: false, timezone: 'UTC'})).toBe('daily-activity')
    expect(chooseSpendSource(all, {groupBy: 'user', breakdown: false, timezone: 'UTC'})).toBe('spend-logs-v2')
    expect(chooseSpendSource(all, {groupBy: 'day', breakdown: false, timezone: 'Europe/Berlin'})).toBe('spend-logs-v2')
    expect(chooseSpendSource(all, {groupBy: 'model', breakdown: true, timezone: 'UTC'})).toBe('spend-logs-v2')
    expect(chooseSpendSource({...all, dailyActivity: false, spendLogsV2: false}, {groupBy: 'day', breakdown: false, timezone: 'UTC'})).toBe('spend-logs-ui')
    expect(chooseSpendSource({dailyActivity: false, spendLogsV2: false, spendLogsUi: false, legacySpendLogs: true}, {groupBy: 'day', breakdown: false, timezone: 'UTC'})).toBe('spend-logs-legacy')
    expect(chooseSpendSource({dailyActivity: false, spendLogsV2: false, spendLogsUi: false, legacySpendLogs: false}, {groupBy: 'day', breakdown: false, timezone: 'UTC'})).toBeUndefined()
  })

  it('per-request rows never come from daily activity', () => {
    const all = {dailyActivity: true, spendLogsV2: true, spendLogsUi: true, legacySpendLogs: true}
    expect(chooseSpendSource(all, {rows: true})).toBe('spend-logs-v2')
    expect(chooseSpendSource({...all, spendLogsV2: false}, {rows: true})).toBe('spend-logs-ui')
    expect(chooseSpendSource({...all, spendLogsV2: false, spendLogsUi: false}, {rows: true})).toBe('spend-logs-legacy')
    expect(chooseSpendSource({...all, spendLogsV2: false, spendLogsUi: false, legacySpendLogs: false}, {rows: true})).toBeUndefined()
  })
})

describe('spend-log rows', () => {
  const row: SpendLogRecord = {
    request_id: 'r1',
    startTime: '2026-11-01T10:00:00.000Z',
    api_key: 'abc',
    model: 'gpt-4o',
    model_group: 'gpt-4o',
    status: 'failure',
    spend: null,
    prompt_tokens: 3,
    user: '',
    team_id: null,
    metadata: {user_api_key_alias: 'ci', user_api_key_user_id: 'u9', user_api_key_team_id: 'team-x'},
  }

  it('extracts facts with fallbacks to metadata', () => {
    expect(factsOf(row, 1)).toMatchObject({alias: 'ci', user: 'u9', team: 'team-x', failed: true, spend: 0, inputTokens: 3, outputTokens: 0})
  })

  it('filters by range (end exclusive), key, model and status', () => {
    const ms = Date.parse(row.startTime)
    expect(keepRow(row, ms, {startMs: ms, endMs: ms + 1})).toBe(true)
    expect(keepRow(row, ms, {startMs: 0, endMs: ms})).toBe(false)
    expect(keepRow(row, ms, {startMs: 0, endMs: ms + 1, keyHashes: new Set(['zzz'])})).toBe(false)
    expect(keepRow(row, ms, {startMs: 0, endMs: ms + 1, models: new Set(['gpt-4o'])})).toBe(true)
    expect(keepRow(row, ms, {startMs: 0, endMs: ms + 1, status: 'success'})).toBe(false)
  })

  it('validates --columns', () => {
    expect(parseColumns('spend,model,spend')).toEqual(['spend', 'model'])
    expect(() => parseColumns('spend,secret')).toThrow(/unknown column 'secret'/)
  })
})
