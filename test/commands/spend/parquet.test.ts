/**
 * #16 item 3: `spend logs --format parquet`. A 100,000-row export reads back (with hyparquet, the
 * writer library's own reader) to the same row count and spend sum as the CSV export of the same range,
 * with typed columns; bad combinations are refused before any request; a failure leaves no file.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {parquetMetadata, parquetReadObjects, parquetSchema} from 'hyparquet'

import SpendLogsCmd from '../../../src/commands/spend/logs.js'
import type {SpendLogsResult} from '../../../src/contracts/spend.js'
import {ROW_GROUP_ROWS} from '../../../src/io/parquet-writer.js'
import {ROOT, runCommand} from '../../helpers/run-command.js'
import {runBin} from '../../helpers/spawn.js'
import {useTestServers} from '../../helpers/test-server.js'
import {parseCsv} from './parse-csv.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [
  {alias: 'openclaw', key: 'sk-test-openclaw-0000000001'},
  {alias: 'ci-bot', key: 'sk-test-ci-bot-00000000002'},
]
const LOGS = {generate: {count: 100_000, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), keys: KEYS, seed: 16}}

const CSV_COLUMNS = ['request_id', 'startTime', 'prompt_tokens', 'spend', 'request_tags']

describe('spend logs --format parquet', () => {
  const fx = useTestServers({srv: {flavor: 'new', logs: LOGS}}, {now: NOW})
  beforeAll(() => {
    for (const k of KEYS) fx.srv.addKey({key: k.key, key_alias: k.alias, max_budget: 50, budget_duration: '30d'})
  })
  const logs = (args: string[]) => runCommand<SpendLogsResult>(SpendLogsCmd, args, fx.env(fx.srv))

  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  })

  it('a 100,000-row export reads back to the CSV export: the same rows, the same spend, typed columns', async () => {
    const csvFile = path.join(fx.dir, 'october.csv')
    const pqFile = path.join(fx.dir, 'october.parquet')
    // Both exports at once, from the built CLI (two processes; the test server answers both). The CSV
    // has the columns compared: the same range, the same rows, fewer cells to parse.
    const bin = (args: string[]) => runBin(['spend', 'logs', '--month', '2026-10', ...args], {env: fx.env(fx.srv), timeoutMs: 400_000})
    const [csv, pq] = await Promise.all([bin(['--output', csvFile, '--columns', CSV_COLUMNS.join(',')]), bin(['--output', pqFile, '--json'])])
    expect(csv.exitCode).toBe(0)
    expect(pq.exitCode).toBe(0)
    expect(JSON.parse(pq.stdout)).toMatchObject({format: 'parquet', rows: 100_000, output: pqFile, complete: true})

    const records = parseCsv(await fs.readFile(csvFile, 'utf8')).slice(1)
    expect(records).toHaveLength(100_000)
    const col = (name: string) => CSV_COLUMNS.indexOf(name)
    const csvMicros = records.reduce((s, r) => s + Math.round(Number(r[col('spend')]) * 1e6), 0)

    const buf = await fs.readFile(pqFile)
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
    const meta = parquetMetadata(file)
    expect(Number(meta.num_rows)).toBe(100_000)
    // Written as row groups while the pages streamed in, not as one block.
    expect(meta.row_groups.length).toBe(Math.ceil(100_000 / ROW_GROUP_ROWS))
    expect(meta.row_groups.length).toBeGreaterThan(1)
    expect(meta.created_by).toMatch(/^keyward /)
    const schema = parquetSchema(meta)
    const el = (name: string) => schema.children.find((c) => c.element.name === name)!.element
    expect(el('startTime')).toMatchObject({type: 'INT64', logical_type: {type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS'}})
    expect(el('spend')).toMatchObject({type: 'DOUBLE'})
    expect(el('prompt_tokens')).toMatchObject({type: 'INT64'})
    expect(el('request_tags')).toMatchObject({converted_type: 'LIST'})
    expect(el('model')).toMatchObject({type: 'BYTE_ARRAY', converted_type: 'UTF8'})

    const rows = (await parquetReadObjects({file, columns: ['request_id', 'startTime', 'spend', 'prompt_tokens', 'request_tags']})) as Array<{
      request_id: string
      startTime: Date
      spend: number
      prompt_tokens: bigint
      request_tags: string[] | null
    }>
    expect(rows).toHaveLength(100_000)
    expect(rows.reduce((s, r) => s + Math.round(r.spend * 1e6), 0)).toBe(csvMicros)
    // The same rows in the same order, with their values typed.
    expect(rows.map((r) => r.request_id)).toEqual(records.map((r) => r[col('request_id')]))
    for (const i of [0, 1, ROW_GROUP_ROWS - 1, ROW_GROUP_ROWS, 99_999]) {
      const r = rows[i]!
      const c = records[i]!
      expect(r.startTime).toBeInstanceOf(Date)
      expect(r.startTime.getTime()).toBe(Date.parse(c[col('startTime')]!))
      expect(typeof r.prompt_tokens).toBe('bigint')
      expect(String(r.prompt_tokens)).toBe(c[col('prompt_tokens')])
      expect(Array.isArray(r.request_tags) || r.request_tags === null).toBe(true)
      expect((r.request_tags ?? []).join(';')).toBe(c[col('request_tags')])
    }
    expect(rows.some((r) => (r.request_tags ?? []).length > 0)).toBe(true)
    expect((await fs.readdir(fx.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  }, 420_000)

  it('refuses Parquet on stdout and a contradicting extension, before any request', async () => {
    const before = fx.srv.requests.length
    const stdout = await logs(['--month', '2026-10', '--format', 'parquet'])
    expect(stdout.exitCode).toBe(2)
    expect(stdout.stderr).toContain('--format parquet needs --output FILE')
    const clash = await logs(['--month', '2026-10', '--format', 'parquet', '--output', path.join(fx.dir, 'x.csv')])
    expect(clash.exitCode).toBe(2)
    expect(fx.srv.requests.length).toBe(before)
  })
})
