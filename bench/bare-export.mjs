// The bare reference loop for bench/spend-export.ts: fetch the same /spend/logs/v2 pages with undici,
// write each row as a raw JSON line, nothing else (no validation, no CSV, no prefetch).
// Usage: node bench/bare-export.mjs <baseUrl> <startDate> <endDate> <outFile>   (key in LITELLM_MASTER_KEY)
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'
import {request} from 'undici'

const [baseUrl, startDate, endDate, outFile] = process.argv.slice(2)
const out = createWriteStream(outFile)
let rows = 0
for (let page = 1; ; page++) {
  const u = new URL('/spend/logs/v2', baseUrl)
  for (const [k, v] of Object.entries({start_date: startDate, end_date: endDate, page, page_size: 1000, sort_by: 'startTime', sort_order: 'asc'})) u.searchParams.set(k, String(v))
  const res = await request(u, {headers: {authorization: `Bearer ${process.env.LITELLM_MASTER_KEY}`}})
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} on page ${page}`)
  const data = (await res.body.json()).data
  if (data.length === 0) break
  let chunk = ''
  for (const r of data) chunk += `${JSON.stringify(r)}\n`
  rows += data.length
  if (!out.write(chunk)) await once(out, 'drain')
}
out.end()
await once(out, 'finish')
process.stdout.write(`${JSON.stringify({rows})}\n`)
