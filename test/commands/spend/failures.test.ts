/** #17: failed requests (error columns, `spend report --by error`) and `--columns messages,response`. */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import SpendLogsCmd from '../../../src/commands/spend/logs.js'
import SpendReportCmd from '../../../src/commands/spend/report.js'
import type {SpendLogsResult} from '../../../src/contracts/spend.js'
import {DEFAULT_LOG_COLUMNS} from '../../../src/domain/spend-export.js'
import type {SpendReport} from '../../../src/domain/spend-report.js'
import {runCommand} from '../../helpers/run-command.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {SpendLogSeedRow} from '../../server/index.js'
import {dangerous, parseCsv} from './parse-csv.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const fail = (i: number, model: string, type: string, code: string, message: string): SpendLogSeedRow => ({
  request_id: `fail-${i}`,
  startTime: new Date(Date.UTC(2026, 10, 2, 10, 0, i)).toISOString(),
  model,
  status: 'failure',
  spend: i === 3 ? 0.5 : 0,
  metadata: {user_api_key_alias: 'openclaw', error_information: {error_class: type, error_message: message, error_code: code, llm_provider: 'openai'}},
})
const ROWS: SpendLogSeedRow[] = [
  fail(1, 'gpt-4o', 'RateLimitError', '429', 'litellm.RateLimitError: slow down'),
  fail(2, 'gpt-4o', 'RateLimitError', '429', 'litellm.RateLimitError: slow down'),
  fail(3, 'gpt-4o-mini', 'RateLimitError', '429', 'litellm.RateLimitError: again'),
  fail(4, 'gpt-4o', 'BadRequestError', '400', '=HYPERLINK("http://evil.example","x")'),
  {request_id: 'ok-1', startTime: '2026-11-02T11:00:00.000Z', model: 'gpt-4o', spend: 0.25, prompt_tokens: 10, completion_tokens: 20,
    messages: [{role: 'user', content: '=cmd|\' /C calc\'!A0'}], response: {choices: [{message: {role: 'assistant', content: 'hi'}}]}},
  {request_id: 'ok-2', startTime: '2026-11-02T11:00:01.000Z', model: 'gpt-4o', spend: 0.25},
]

describe('failed requests and stored prompts', () => {
  const fx = useTestServers({new: {flavor: 'new', logs: {rows: ROWS}}, old: {flavor: 'old', logs: {rows: ROWS}}}, {now: NOW})
  const logs = (args: string[], flavor: 'new' | 'old' = 'new') => runCommand<SpendLogsResult>(SpendLogsCmd, args, fx.env(fx[flavor]))

  it('--status failure adds error_type, error_message and status_code to the default columns', async () => {
    const file = path.join(fx.dir, 'failures.csv')
    const res = await logs(['--month', '2026-11', '--status', 'failure', '--output', file, '--json'])
    expect(res.exitCode).toBe(0)
    const records = parseCsv(await fs.readFile(file, 'utf8'))
    expect(records[0]).toEqual([...DEFAULT_LOG_COLUMNS, 'error_type', 'error_message', 'status_code'])
    const body = records.slice(1)
    expect(body.map((r) => r.slice(-3))).toEqual([
      ['RateLimitError', 'litellm.RateLimitError: slow down', '429'],
      ['RateLimitError', 'litellm.RateLimitError: slow down', '429'],
      ['RateLimitError', 'litellm.RateLimitError: again', '429'],
      ['BadRequestError', '\'=HYPERLINK("http://evil.example","x")', '400'],
    ])
    for (const r of body) expect(r.filter(dangerous)).toEqual([])
    // Without --status failure the defaults stay as they were.
    const all = await logs(['--month', '2026-11', '--format', 'csv'])
    expect(parseCsv(all.stdout)[0]).toEqual([...DEFAULT_LOG_COLUMNS])
  })

  it('the table of failures has an Error column', async () => {
    const res = await logs(['--month', '2026-11', '--status', 'failure', '--format', 'table'])
    expect(res.exitCode).toBe(0)
    expect(res.stdout.split('\n')[0]).toMatch(/Spend\s+Error$/)
    expect(res.stdout).toContain('BadRequestError')
  })

  it('spend report --by error: count and spend of failures per error type and model', async () => {
    for (const flavor of ['new', 'old'] as const) {
      const res = await runCommand<SpendReport>(SpendReportCmd, ['--month', '2026-11', '--by', 'error', '--json'], fx.env(fx[flavor]))
      expect(res.exitCode).toBe(0)
      const rows = res.result!.rows.map((r) => [r.label, r.requests, r.failed, r.spend])
      expect(rows).toEqual([
        ['RateLimitError · gpt-4o-mini', 1, 1, 0.5],
        ['BadRequestError · gpt-4o', 1, 1, 0],
        ['RateLimitError · gpt-4o', 2, 2, 0],
      ])
      expect(res.result!.totals).toMatchObject({requests: 4, failed: 4})
      // The proxy is asked for failures only.
      expect(fx[flavor].requests.filter((q) => q.path.startsWith('/spend/logs/')).every((q) => q.query.status_filter === 'failure')).toBe(true)
    }
    const table = await runCommand(SpendReportCmd, ['--month', '2026-11', '--by', 'error'], fx.env(fx.new))
    expect(table.stdout).toMatch(/Error · model/)
    expect(table.stdout).toMatch(/RateLimitError · gpt-4o\s/)
  })

  it('--columns messages,response: JSON lines keep the structure, read per row from /spend/logs/ui/{id}', async () => {
    const res = await logs(['--month', '2026-11', '--status', 'success', '--columns', 'request_id,messages,response', '--format', 'jsonl'])
    expect(res.exitCode).toBe(0)
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toEqual([
      {request_id: 'ok-1', messages: ROWS[4]!.messages, response: ROWS[4]!.response},
      {request_id: 'ok-2', messages: null, response: null},
    ])
    expect(fx.new.requests.filter((q) => q.path.startsWith('/spend/logs/ui/')).map((q) => q.path).sort()).toEqual(['/spend/logs/ui/ok-1', '/spend/logs/ui/ok-2'])
    expect(res.stderr).toContain('one request per row')
  })

  it('--columns messages,response in CSV: JSON text in one cell, formula-safe (old proxy too)', async () => {
    for (const flavor of ['new', 'old'] as const) {
      const res = await logs(['--month', '2026-11', '--status', 'success', '--columns', 'request_id,messages,response', '--format', 'csv'], flavor)
      expect(res.exitCode).toBe(0)
      const records = parseCsv(res.stdout)
      expect(records.slice(1)).toEqual([
        ['ok-1', JSON.stringify(ROWS[4]!.messages), JSON.stringify(ROWS[4]!.response)],
        ['ok-2', '', ''],
      ])
      for (const r of records) expect(r.filter(dangerous)).toEqual([])
    }
  })
})
