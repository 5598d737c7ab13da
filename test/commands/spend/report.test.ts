import {beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import SpendReportCmd from '../../../src/commands/spend/report.js'
import type {SpendGroupRow} from '../../../src/domain/spend-aggregate.js'
import type {SpendReport} from '../../../src/domain/spend-report.js'
import {runCommand} from '../../helpers/run-command.js'
import {hashKey, type SpendLogRow, type TestServer} from '../../server/index.js'
import {dangerous, parseCsv} from './parse-csv.js'
import {useTestServers} from '../../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [
  {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'},
  {alias: 'ci-bot', key: 'sk-test-ci-bot-00000000002'},
  {alias: 'data-pipeline', key: 'sk-test-pipeline-000000003', team_id: 'team-data'},
  {alias: "=cmd|' /C calc'!A0", key: 'sk-test-hostile-0000000004'},
]
// A month of logs plus a few days either side, so the range edges matter.
const LOGS = {generate: {count: 4000, start: new Date('2026-09-29T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z'), keys: KEYS, seed: 7}}

function seedKeys(srv: TestServer): void {
  for (const k of KEYS) srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d', spend: 12.5, team_id: k.team_id})
}

interface Sums {
  requests: number
  failed: number
  inputTokens: number
  outputTokens: number
  micros: number
}

/** Sums computed straight from the raw rows, in integer micro-dollars: the reference. */
function expected(
  srv: TestServer,
  groupOf: (r: SpendLogRow) => string,
  opts: {from?: string; to?: string; keep?: (r: SpendLogRow) => boolean} = {},
): Map<string, Sums> {
  const {from = '2026-10-01T00:00:00.000Z', to = '2026-11-01T00:00:00.000Z', keep = () => true} = opts
  const out = new Map<string, Sums>()
  for (const r of srv.spendRows()) {
    if (r.startTime < from || r.startTime >= to || !keep(r)) continue
    const g = groupOf(r)
    const s = out.get(g) ?? {requests: 0, failed: 0, inputTokens: 0, outputTokens: 0, micros: 0}
    s.requests++
    if (r.status === 'failure') s.failed++
    s.inputTokens += r.prompt_tokens
    s.outputTokens += r.completion_tokens
    s.micros += Math.round(r.spend * 1e6)
    out.set(g, s)
  }
  return out
}

function expectMatches(rows: SpendGroupRow[], exp: Map<string, Sums>): void {
  // An empty reference and an empty report would match vacuously.
  expect(exp.size).toBeGreaterThan(0)
  expect(new Set(rows.map((r) => r.group))).toEqual(new Set(exp.keys()))
  for (const row of rows) {
    const e = exp.get(row.group)!
    expect({group: row.group, requests: row.requests, failed: row.failed, inputTokens: row.inputTokens, outputTokens: row.outputTokens}).toEqual({
      group: row.group,
      requests: e.requests,
      failed: e.failed,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
    })
    // To the cent, and in fact to the micro-dollar.
    expect(Math.round(row.spend * 100)).toBe(Math.round(e.micros / 1e4))
    expect(Math.round(row.spend * 1e6)).toBe(e.micros)
  }
}

const total = (exp: Map<string, Sums>) => [...exp.values()].reduce(
  (a, s) => ({requests: a.requests + s.requests, micros: a.micros + s.micros}),
  {requests: 0, micros: 0},
)

describe('spend report', () => {
  // legacy: a new proxy with only the legacy /spend/logs.
  const fx = useTestServers(
    {
      new: {flavor: 'new', logs: LOGS},
      old: {flavor: 'old', logs: LOGS},
      legacy: {flavor: 'new', logs: LOGS, features: {spendLogsV2: false, spendLogsUi: false, dailyActivity: false}},
    },
    {now: NOW},
  )
  beforeAll(() => {
    for (const srv of [fx.new, fx.old, fx.legacy]) seedKeys(srv)
  })

  const report = (srv: TestServer, args: string[]) => runCommand<SpendReport>(SpendReportCmd, args, fx.env(srv))

  it('totals per day, model and key equal sums of the raw rows (daily activity, new proxy)', async () => {
    for (const [by, groupOf] of [
      ['day', (r: SpendLogRow) => r.startTime.slice(0, 10)],
      ['model', (r: SpendLogRow) => r.model],
      ['key', (r: SpendLogRow) => r.api_key],
    ] as const) {
      const res = await report(fx.new, ['--month', '2026-10', '--by', by, '--json'])
      expect(res.exitCode).toBe(0)
      const doc = JSON.parse(res.stdout) as SpendReport
      expect(doc.source).toBe('daily-activity')
      expect(doc.range).toEqual({since: '2026-10-01', until: '2026-10-31', timezone: 'UTC'})
      const exp = expected(fx.new, groupOf)
      expectMatches(doc.rows, exp)
      expect(doc.totals.requests).toBe(total(exp).requests)
      expect(Math.round(doc.totals.spend * 1e6)).toBe(total(exp).micros)
    }
    expect(fx.new.requests.some((r) => r.path === '/spend/logs/v2')).toBe(false)
  })

  it('an old proxy (no daily activity, no /spend/logs/v2, pages of 100) gives the same numbers', async () => {
    for (const by of ['day', 'model'] as const) {
      const a = await report(fx.new, ['--month', '2026-10', '--by', by, '--json'])
      const b = await report(fx.old, ['--month', '2026-10', '--by', by, '--json'])
      const docNew = JSON.parse(a.stdout) as SpendReport
      const docOld = JSON.parse(b.stdout) as SpendReport
      expect(docOld.source).toBe('spend-logs-ui')
      expect(docOld.rows).toEqual(docNew.rows)
      expect(docOld.totals).toEqual(docNew.totals)
    }
    const byKey = await report(fx.old, ['--month', '2026-10', '--by', 'key', '--json'])
    const keyRows = (JSON.parse(byKey.stdout) as SpendReport).rows
    expectMatches(keyRows, expected(fx.old, (r) => r.api_key))
    // The old proxy logs master-key traffic under the master key's hash: keyward knows it and names it.
    const masterHash = hashKey(fx.old.masterKey)
    expect(keyRows.find((r) => r.group === masterHash)?.label).toBe('(master key)')
    const pages = fx.old.requests.filter((r) => r.path === '/spend/logs/ui')
    expect(pages.some((r) => r.query.page_size === '1000')).toBe(true) // tried, refused with 422
    expect(pages.filter((r) => r.query.page_size === '100').length).toBeGreaterThan(30)
    expect(pages.every((r) => r.query.start_date === '2026-10-01 00:00:00' && r.query.end_date === '2026-11-01 00:00:00')).toBe(true)
  })

  it('groups by user and team from the spend logs, and by day in another time zone', async () => {
    const user = JSON.parse((await report(fx.new, ['--month', '2026-10', '--by', 'user', '--json'])).stdout) as SpendReport
    expect(user.source).toBe('spend-logs-v2')
    expectMatches(user.rows, expected(fx.new, (r) => r.user))
    const team = JSON.parse((await report(fx.new, ['--month', '2026-10', '--by', 'team', '--json'])).stdout) as SpendReport
    expectMatches(team.rows, expected(fx.new, (r) => r.team_id ?? ''))

    const tz = 'America/New_York'
    const ny = JSON.parse((await report(fx.new, ['--month', '2026-10', '--tz', tz, '--json'])).stdout) as SpendReport
    expect(ny.source).toBe('spend-logs-v2')
    expect(ny.range.timezone).toBe(tz)
    const nyDay = (iso: string) => new Date(iso).toLocaleDateString('en-CA', {timeZone: tz})
    // October in New York: 2026-10-01 04:00Z up to 2026-11-01 04:00Z (EDT, UTC-4).
    expectMatches(ny.rows, expected(fx.new, (r) => nyDay(r.startTime), {from: '2026-10-01T04:00:00.000Z', to: '2026-11-01T04:00:00.000Z'}))
  })

  it('the legacy /spend/logs, when nothing else exists, gives the same numbers', async () => {
    const res = await report(fx.legacy, ['--month', '2026-10', '--by', 'model', '--json'])
    expect(res.exitCode).toBe(0)
    const doc = JSON.parse(res.stdout) as SpendReport
    expect(doc.source).toBe('spend-logs-legacy')
    expectMatches(doc.rows, expected(fx.legacy, (r) => r.model))
    const q = fx.legacy.requests.find((r) => r.path === '/spend/logs' && r.query.summarize === 'false')!.query
    expect(q).toMatchObject({start_date: '2026-10-01', end_date: '2026-11-01', summarize: 'false'})
  })

  it('probes the endpoints when /openapi.json is unavailable', async () => {
    fx.old.fault({path: '/openapi.json', kind: 'html', times: 1})
    const before = fx.old.requests.length
    const res = await report(fx.old, ['--month', '2026-10', '--by', 'model', '--json'])
    expect(res.exitCode).toBe(0)
    const doc = JSON.parse(res.stdout) as SpendReport
    expect(doc.source).toBe('spend-logs-ui')
    expectMatches(doc.rows, expected(fx.old, (r) => r.model))
    const probes = fx.old.requests.slice(before).filter((r) => r.query.page_size === '1').map((r) => r.path)
    expect(probes).toEqual(['/user/daily/activity', '/spend/logs/v2', '/spend/logs/ui'])
  })

  it('filters by alias or raw key (sent only as its hash) and shows the budget of one key', async () => {
    const ci = KEYS[1]!
    const before = fx.new.requests.length
    const res = await report(fx.new, ['--month', '2026-10', '--key', ci.key, '--by', 'model'])
    expect(res.exitCode).toBe(0)
    const doc = res.result!
    expect(doc.keys).toEqual([{alias: 'ci-bot', hash: hashKey(ci.key)}])
    expect(doc.budget).toMatchObject({alias: 'ci-bot', budget: 50, spent: 12.5, remaining: 37.5})
    expectMatches(doc.rows, expected(fx.new, (r) => r.model, {keep: (r) => r.api_key === hashKey(ci.key)}))
    const sent = fx.new.requests.slice(before)
    expect(sent.find((r) => r.path === '/user/daily/activity')!.query.api_key).toBe(hashKey(ci.key))
    expect(JSON.stringify(sent.map((r) => r.query))).not.toContain(ci.key)
    expect(res.stdout).toMatch(/^ci-bot: budget \$50\.00 monthly, current budget window: spent \$12\.50 \(25\.0%\), remaining \$37\.50/)
    expect(res.stdout).toMatch(/│ Total\s+│/)

    const two = await report(fx.new, ['--month', '2026-10', '--key', 'openclaw', '--key', 'data-pipeline', '--by', 'key', '--json'])
    const doc2 = JSON.parse(two.stdout) as SpendReport
    expect(doc2.budget).toBeNull()
    expect(doc2.rows.map((r) => r.label).sort()).toEqual(['data-pipeline', 'openclaw'])
  })

  it('has one JSON shape, also with zero rows; --format json prints the same document as --json', async () => {
    const full = JSON.parse((await report(fx.new, ['--month', '2026-10', '--json'])).stdout) as SpendReport
    const emptyRes = await report(fx.new, ['--month', '2020-01', '--json'])
    expect(emptyRes.exitCode).toBe(0)
    const empty = JSON.parse(emptyRes.stdout) as SpendReport
    expect(Object.keys(empty)).toEqual(Object.keys(full))
    // By day, every day of the range is a row, zero when nothing was spent (#12 item 10).
    const zeroDays = Array.from({length: 31}, (_, i) => {
      const day = `2020-01-${String(i + 1).padStart(2, '0')}`
      return {group: day, label: day, requests: 0, failed: 0, inputTokens: 0, outputTokens: 0, spend: 0}
    })
    expect(empty).toEqual({range: {since: '2020-01-01', until: '2020-01-31', timezone: 'UTC'}, groupBy: 'day', breakdownBy: null, source: 'daily-activity', keys: [], budget: null, rows: zeroDays, totals: {requests: 0, failed: 0, inputTokens: 0, outputTokens: 0, spend: 0}})
    const viaFormat = await report(fx.new, ['--month', '2026-10', '--format', 'json'])
    expect(JSON.parse(viaFormat.stdout)).toEqual(full)
    // The old proxy's empty report has the same shape.
    const oldEmpty = JSON.parse((await report(fx.old, ['--month', '2020-01', '--by', 'model', '--json'])).stdout) as SpendReport
    expect(Object.keys(oldEmpty)).toEqual(Object.keys(full))
    expect(oldEmpty.rows).toEqual([])
  })

  it('writes formula-safe RFC 4180 CSV, atomically to --output', async () => {
    const file = path.join(fx.dir, 'by-user.csv')
    const res = await report(fx.new, ['--month', '2026-10', '--by', 'user', '--format', 'csv', '--output', file])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).toBe('')
    const records = parseCsv(await fs.readFile(file, 'utf8'))
    expect(records[0]).toEqual(['user', 'requests', 'failed', 'input_tokens', 'output_tokens', 'spend'])
    const body = records.slice(1)
    const exp = expected(fx.new, (r) => r.user)
    expect(body).toHaveLength(exp.size)
    for (const rec of body) {
      expect(rec).toHaveLength(6)
      expect(rec.filter(dangerous)).toEqual([])
      expect(rec[5]).toMatch(/^\d+(\.\d+)?$/)
    }
    // Hostile names survive, neutralised: `'=HYPERLINK(...)`, `'-2+3`.
    expect(body.map((r) => r[0])).toEqual(expect.arrayContaining(["'-2+3", "'@SUM(A1:A9)", 'multi\nline\nvalue']))
    expect((await fs.readdir(fx.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('keeps hostile strings out of the terminal and breaks groups down', async () => {
    const res = await report(fx.new, ['--month', '2026-10', '--by', 'team', '--breakdown'])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).not.toMatch(/\u001b/)
    expect(res.stdout).toContain('\\e[31mred-alert\\e[0m')
    expect(res.result!.breakdownBy).toBe('model')
    expect(res.result!.rows.length).toBeGreaterThan(0)
    for (const row of res.result!.rows) {
      expect(row.breakdown!.reduce((s, b) => s + b.requests, 0)).toBe(row.requests)
    }
  })

  it('rejects bad input before sending anything (exit 2), and an unknown alias with exit 4', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--month', '2026-13'], /invalid month '2026-13'/],
      [['--since', '2026-10-10', '--until', '2026-10-01'], /--since 2026-10-10 is after --until 2026-10-01/],
      [['--by', 'fortnight'], /unknown grouping 'fortnight'/],
      [['--month', '2026-10', '--output', path.join(fx.dir, 'missing', 'r.csv')], /folder .* does not exist/],
      [['--tz', 'Mars/Base'], /unknown time zone/],
      [['--format', 'xml'], /unknown format/],
      [['--month', '2026-10', '--last-month'], /only one of/],
    ]
    for (const [args, message] of cases) {
      const before = fx.new.requests.length
      const res = await report(fx.new, args)
      expect({args, exitCode: res.exitCode}).toEqual({args, exitCode: 2})
      expect(res.stderr).toMatch(message)
      expect(res.stderr).not.toMatch(/\n\s+at /) // no stack trace
      expect(fx.new.requests.length).toBe(before)
    }
    const res = await report(fx.new, ['--month', '2026-10', '--key', 'no-such-key'])
    expect(res.exitCode).toBe(4)
    expect(res.stderr).toMatch(/no key with alias 'no-such-key'/)
    const json = await report(fx.new, ['--month', '2026-13', '--json'])
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {kind: 'usage'}})
  })
})

describe('spend report --by model names the public model (model_group), as LiteLLM 1.108.0 aggregates it', () => {
  // Real LiteLLM logs model = the deployment's model ("openai/mock-priced") and model_group = the name clients
  // ask for ("mock-priced"); its daily activity has both breakdown.models and breakdown.model_groups.
  const rows = [
    {api_key: hashKey('sk-test-openclaw-0000000001'), startTime: '2026-11-10T10:00:00Z', model: 'openai/mock-priced', model_group: 'mock-priced', spend: 1.25, prompt_tokens: 8, completion_tokens: 20},
    {api_key: hashKey('sk-test-openclaw-0000000001'), startTime: '2026-11-11T10:00:00Z', model: 'openai/mock-priced', model_group: 'mock-priced', spend: 0.75, prompt_tokens: 8, completion_tokens: 20},
  ]
  const fx = useTestServers({daily: {flavor: 'new', logs: {rows}}, logs: {flavor: 'new', logs: {rows}, features: {dailyActivity: false}}}, {now: NOW})
  it.each([
    ['daily activity', 'daily'],
    ['spend logs', 'logs'],
  ] as const)('from %s', async (_source, name) => {
    const r = await runCommand<SpendReport>(SpendReportCmd, ['--month', '--by', 'model', '--json'], fx.env(fx[name]))
    expect(r.exitCode).toBe(0)
    const out = JSON.parse(r.stdout) as SpendReport
    expect(out.rows.map((x) => [x.group, x.spend])).toEqual([['mock-priced', 2]])
  })
})
