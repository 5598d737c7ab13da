// `npm run bench:spend`: export 100,000 and 1,000,000 spend-log rows from the test server (its own
// child process) to CSV with the built CLI, next to a bare reference loop over the same pages, and time
// `spend report --month --key openclaw`. Prints wall time, rows/s and peak RSS of each child.
//
//   npm run bench:spend                  # 100k and 1M rows
//   npm run bench:spend -- --rows 100000 # only that size
import {existsSync} from 'node:fs'
import {mkdtemp, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'

import {measure, ROOT, startServer, stopServer} from './child.js'


const {values} = parseArgs({options: {rows: {type: 'string', multiple: true}, 'report-runs': {type: 'string', default: '5'}}})
const SIZES = (values.rows ?? ['100000', '1000000']).map(Number)


/** The same range keyward's `--month` asks for: the 1st 00:00:00 up to tomorrow 00:00:00 (UTC). */
function monthToDate(now = new Date()): {start: string; end: string} {
  const fmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ')
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
  return {start: fmt(start), end: fmt(end)}
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface Row {
  what: string
  rows: number | null
  wallS: number
  rowsPerS: number | null
  rssMb: number
  note: string
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench:spend does)')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyward-bench-'))
  const table: Row[] = []
  const ratios: string[] = []
  const rss = new Map<number, number>()
  try {
    for (const n of SIZES) {
      process.stderr.write(`starting the test server with ${n.toLocaleString('en-US')} rows...\n`)
      const srv = await startServer(n)
      const env = {PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', NO_COLOR: '1', LITELLM_PROXY_URL: srv.url, LITELLM_MASTER_KEY: srv.masterKey, KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir}
      try {
        const {start, end} = monthToDate()
        // Warm-up (connection, JIT of the server): one small page.
        await measure(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--since', start.slice(0, 10), '--until', start.slice(0, 10), '--output', path.join(dir, 'warm.csv')], env)

        process.stderr.write('  bare reference loop...\n')
        const bareFile = path.join(dir, `bare-${n}.jsonl`)
        const bare = await measure(process.execPath, [path.join(ROOT, 'bench', 'bare-export.mjs'), srv.url, start, end, bareFile], env)
        if (bare.exitCode !== 0) throw new Error(`bare loop failed: ${bare.stderr}`)
        const bareRows = (JSON.parse(bare.stdout) as {rows: number}).rows
        table.push({what: `bare loop (JSON lines), ${n.toLocaleString('en-US')}`, rows: bareRows, wallS: bare.wallMs / 1000, rowsPerS: bareRows / (bare.wallMs / 1000), rssMb: bare.peakRssMb, note: `${((await stat(bareFile)).size / 1e6).toFixed(0)} MB`})
        await rm(bareFile)

        process.stderr.write('  keyward spend logs --month --output (CSV)...\n')
        const csvFile = path.join(dir, `keyward-${n}.csv`)
        const kw = await measure(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--month', '--output', csvFile, '--json'], env)
        if (kw.exitCode !== 0) throw new Error(`keyward export failed (${kw.exitCode}): ${kw.stderr}${kw.stdout}`)
        const kwRows = (JSON.parse(kw.stdout) as {rows: number}).rows
        if (kwRows !== bareRows) throw new Error(`row counts differ: keyward ${kwRows}, bare ${bareRows}`)
        table.push({what: `keyward spend logs → CSV, ${n.toLocaleString('en-US')}`, rows: kwRows, wallS: kw.wallMs / 1000, rowsPerS: kwRows / (kw.wallMs / 1000), rssMb: kw.peakRssMb, note: `${((await stat(csvFile)).size / 1e6).toFixed(0)} MB`})
        await rm(csvFile)
        rss.set(n, kw.peakRssMb)
        ratios.push(`${n.toLocaleString('en-US')} rows: keyward / bare wall time = ${(kw.wallMs / bare.wallMs).toFixed(2)}× (target ≤ 1.5×)`)

        const reportRuns: number[] = []
        let reportRss = 0
        for (let i = 0; i < Number(values['report-runs']); i++) {
          const r = await measure(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'report', '--month', '--key', 'openclaw'], env)
          if (r.exitCode !== 0) throw new Error(`spend report failed (${r.exitCode}): ${r.stderr}`)
          reportRuns.push(r.wallMs)
          reportRss = Math.max(reportRss, r.peakRssMb)
        }
        table.push({what: `keyward spend report --month --key openclaw (${n.toLocaleString('en-US')} logs)`, rows: null, wallS: median(reportRuns) / 1000, rowsPerS: null, rssMb: reportRss, note: `median of ${reportRuns.length}; min ${(Math.min(...reportRuns) / 1000).toFixed(2)} s (target < 1 s)`})
      } finally {
        await stopServer(srv.child)
      }
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }

  const pad = (s: string, w: number, right = false) => (right ? s.padStart(w) : s.padEnd(w))
  const w = Math.max(...table.map((r) => r.what.length))
  const lines = [
    `${pad('run', w)}  ${pad('rows', 9, true)}  ${pad('wall', 8, true)}  ${pad('rows/s', 9, true)}  ${pad('peak RSS', 9, true)}  note`,
    ...table.map((r) => `${pad(r.what, w)}  ${pad(r.rows === null ? '-' : r.rows.toLocaleString('en-US'), 9, true)}  ${pad(`${r.wallS.toFixed(2)} s`, 8, true)}  ${pad(r.rowsPerS === null ? '-' : Math.round(r.rowsPerS).toLocaleString('en-US'), 9, true)}  ${pad(`${r.rssMb.toFixed(0)} MB`, 9, true)}  ${r.note}`),
  ]
  process.stdout.write(`\n${lines.join('\n')}\n\n${ratios.join('\n')}\n`)
  const small = rss.get(100_000)
  const big = rss.get(1_000_000)
  if (small !== undefined && big !== undefined) process.stdout.write(`peak RSS growth 100k → 1M rows: ${(big - small).toFixed(1)} MB (target ≤ 20 MB; peak target < 150 MB)\n`)
  process.stdout.write(`cpus: ${os.cpus().length}, load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}\n`)
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
