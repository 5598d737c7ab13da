// `npm run bench:parquet`: export the same spend logs from the test server (its own child process) to
// CSV and to Parquet with the built CLI, and print wall time, peak RSS and file size of each, plus the
// Parquet file's row groups (its footer read back with hyparquet: the row count must match the CSV's).
//
//   npm run bench:parquet                  # 1,000,000 rows
//   npm run bench:parquet -- --rows 200000 # another size (repeatable)
import {existsSync} from 'node:fs'
import {mkdtemp, open, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'

import {parquetMetadata} from 'hyparquet'

import {measure, ROOT, startServer} from './child.js'

const {values} = parseArgs({options: {rows: {type: 'string', multiple: true}}})
const SIZES = (values.rows ?? ['1000000']).map(Number)


/** The footer only: the last 8 bytes give its length. */
async function footerOf(file: string): Promise<ReturnType<typeof parquetMetadata>> {
  const fh = await open(file, 'r')
  try {
    const size = (await fh.stat()).size
    const tail = Buffer.alloc(8)
    await fh.read(tail, 0, 8, size - 8)
    const len = tail.readUInt32LE(0) + 8
    const buf = Buffer.alloc(len)
    await fh.read(buf, 0, len, size - len)
    return parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
  } finally {
    await fh.close()
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench:parquet does)')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyward-bench-parquet-'))
  const lines: string[] = []
  try {
    for (const n of SIZES) {
      process.stderr.write(`starting the test server with ${n.toLocaleString('en-US')} rows...\n`)
      const srv = await startServer(n)
      const env = {PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', NO_COLOR: '1', LITELLM_PROXY_URL: srv.url, LITELLM_MASTER_KEY: srv.masterKey, KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir}
      try {
        const counts: Record<string, number> = {}
        for (const format of ['csv', 'parquet'] as const) {
          process.stderr.write(`  keyward spend logs --month --output ${format}...\n`)
          const file = path.join(dir, `logs-${n}.${format}`)
          const r = await measure(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'spend', 'logs', '--month', '--output', file, '--json'], env)
          if (r.exitCode !== 0) throw new Error(`${format} export failed (${r.exitCode}): ${r.stderr}${r.stdout}`)
          counts[format] = (JSON.parse(r.stdout) as {rows: number}).rows
          const size = (await stat(file)).size
          let note = ''
          if (format === 'parquet') {
            const meta = await footerOf(file)
            if (Number(meta.num_rows) !== counts.csv) throw new Error(`the Parquet file holds ${meta.num_rows} rows, the CSV ${counts.csv}`)
            note = `${meta.row_groups.length} row groups; ${Number(meta.num_rows).toLocaleString('en-US')} rows read back from the footer`
          }
          lines.push(`${format.padEnd(8)} ${n.toLocaleString('en-US').padStart(9)} rows  ${(r.wallMs / 1000).toFixed(1).padStart(6)} s  ${r.peakRssMb.toFixed(0).padStart(4)} MB peak RSS  ${(size / 1e6).toFixed(1).padStart(7)} MB file  ${note}`)
          await rm(file)
        }
      } finally {
        await new Promise<void>((resolve) => {
          srv.child.once('exit', () => resolve())
          srv.child.kill('SIGTERM')
        })
      }
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
  process.stdout.write(`\n${lines.join('\n')}\ncpus: ${os.cpus().length}, load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}\n`)
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
