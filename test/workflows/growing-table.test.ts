/**
 * #11 item 8: a spend export while traffic flows. A hostile proxy pages by offset over a table that
 * grows during the export (rows inserted in the past at every page request), so plain offset paging
 * sees some rows twice. keyward reads bounded time slices, drops a request_id it has already written,
 * says how many it dropped, and leaves out rows that start after the export began.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import SpendLogs from '../../src/commands/spend/logs.js'
import type {SpendLogsResult} from '../../src/contracts/spend.js'
import {runCommand} from '../helpers/run-command.js'
import {json, startHostileServer, type HostileServer} from '../helpers/hostile-server.js'
import type {SpendLogRow} from '../server/index.js'
import {envFor, forgetRequests, useTestServers} from '../helpers/test-server.js'
import {parseCsv} from '../commands/spend/parse-csv.js'

// Real rows from the test server's generator: 3,000 in October, 2,000 exported at first, 1,000 arriving.
const fx = useTestServers({source: {logs: {generate: {count: 3000, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), seed: 11}}}})
let proxy: HostileServer
let table: SpendLogRow[] = []
let reserve: SpendLogRow[] = []
const INSERT_PER_REQUEST = 40
const ms = (r: SpendLogRow) => Date.parse(r.startTime.endsWith('Z') ? r.startTime : `${r.startTime}Z`)
const parseDay = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`)

beforeAll(async () => {
  const all = [...fx.source.spendRows()]
  table = all.filter((_, i) => i % 3 !== 0)
  reserve = all.filter((_, i) => i % 3 === 0)
  // A row that starts after the export began (the real now): never part of the export.
  table.push({...all[0]!, request_id: 'from-the-future', startTime: new Date(Date.now() + 3600e3).toISOString(), endTime: new Date(Date.now() + 3601e3).toISOString()})
  proxy = await startHostileServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/spend/logs/v2') return json(res, 404, {detail: 'Not Found'})
    // Traffic flows: rows land in the past between two page requests.
    for (let i = 0; i < INSERT_PER_REQUEST && reserve.length > 0; i++) table.push(reserve.shift()!)
    table.sort((a, b) => ms(a) - ms(b))
    const from = parseDay(url.searchParams.get('start_date')!)
    const to = parseDay(url.searchParams.get('end_date')!) + 999
    const rows = table.filter((r) => ms(r) >= from && ms(r) <= to)
    const page = Number(url.searchParams.get('page') ?? 1)
    const size = Number(url.searchParams.get('page_size') ?? 50)
    json(res, 200, {data: rows.slice((page - 1) * size, page * size), total: rows.length, page, page_size: size, total_pages: Math.ceil(rows.length / size)})
  })
})
afterAll(() => proxy.close())

describe('an export while rows arrive', () => {
  it('writes every request_id once, says how many duplicates were dropped, leaves out rows newer than the export', async () => {
    const file = path.join(fx.dir, 'october-and-later.csv')
    const r = await runCommand<SpendLogsResult>(SpendLogs, ['--since', '2026-10-01', '--output', file, '--json'], envFor({url: proxy.url, masterKey: 'sk-growing-0000'}, fx.dir))
    expect(r.exitCode).toBe(0)
    const ids = parseCsv(await fs.readFile(file, 'utf8'))
      .slice(1)
      .map((row) => row[0])
    expect(ids.length).toBe(new Set(ids).size)
    expect(ids).not.toContain('from-the-future')
    expect(r.result!.rows).toBe(ids.length)
    expect(r.result!.duplicatesDropped).toBeGreaterThan(0)
  })
})

describe('time slices', () => {
  it('a slice ends at a whole second once it holds sliceRows rows; the next one starts there; every row once', async () => {
    const {readSpendLogs} = await import('../../src/workflows/spend-source.js')
    const {LiteLLMClient} = await import('../../src/api/client.js')
    const client = new LiteLLMClient({baseUrl: fx.source.url, apiKey: fx.source.masterKey, timeoutMs: 10_000})
    const notes = {warn: () => undefined, note: () => undefined}
    const ids: string[] = []
    let dups = 0
    const read = readSpendLogs(client, 'spend-logs-v2', {
      range: {startMs: Date.parse('2026-10-01T00:00:00Z'), endMs: Date.parse('2026-11-01T00:00:00Z')},
      keys: [],
      notes,
      legacy: {note: '', truncated: ''},
      sliceRows: 700,
      onDuplicates: (n) => (dups += n),
    })
    forgetRequests(fx.source)
    for await (const page of read) for (const row of page) ids.push(row.request_id as string)
    expect(ids).toHaveLength(3000)
    expect(new Set(ids).size).toBe(3000)
    expect(dups).toBe(0)
    const starts = new Set(fx.source.requests.filter((q) => q.path === '/spend/logs/v2').map((q) => q.query.start_date))
    expect(starts.size).toBeGreaterThanOrEqual(4)
  })
})
