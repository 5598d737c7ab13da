import {describe, expect, it} from '@jest/globals'
import {EventEmitter} from 'node:events'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {checkOutputPath, openFileSink, stdoutSink} from '../../src/io/export-writer.js'
import {csvFormatter, jsonlFormatter, tableFormatter, terminalSafe} from '../../src/output/spend-export.js'

async function tmpdir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'keyward-writer-'))
}

/** A writable that accepts one chunk, then asks the writer to wait for 'drain'. */
class SlowStream extends EventEmitter {
  chunks: string[] = []
  waiting = false
  write(chunk: string): boolean {
    this.chunks.push(chunk)
    this.waiting = true
    return false
  }
  drain(): void {
    this.waiting = false
    this.emit('drain')
  }
}

describe('export writer', () => {
  it('writes to a temporary file and renames it only on commit', async () => {
    const dir = await tmpdir()
    const file = path.join(dir, 'out.csv')
    const sink = await openFileSink(file)
    await sink.write('a,b\r\n')
    const during = await fs.readdir(dir)
    expect(during).toHaveLength(1)
    expect(during[0]).toMatch(/^\.out\.csv\.\d+-[0-9a-f]{8}\.tmp$/)
    await sink.commit()
    expect(await fs.readdir(dir)).toEqual(['out.csv'])
    expect(await fs.readFile(file, 'utf8')).toBe('a,b\r\n')
    expect(sink.bytes).toBe(5)
    await fs.rm(dir, {recursive: true})
  })

  it('abort removes the temporary file and leaves an existing target untouched', async () => {
    const dir = await tmpdir()
    const file = path.join(dir, 'out.csv')
    await fs.writeFile(file, 'old')
    const sink = await openFileSink(file)
    await sink.write('x'.repeat(100_000))
    await sink.abort()
    expect(await fs.readdir(dir)).toEqual(['out.csv'])
    expect(await fs.readFile(file, 'utf8')).toBe('old')
    await fs.rm(dir, {recursive: true})
  })

  it('checks --output before anything starts', async () => {
    const dir = await tmpdir()
    expect(await checkOutputPath(path.join(dir, 'x.csv'))).toBeUndefined()
    expect(await checkOutputPath(path.join(dir, 'missing', 'x.csv'))).toMatch(/does not exist/)
    expect(await checkOutputPath(dir)).toMatch(/is a folder/)
    await fs.rm(dir, {recursive: true})
  })

  it('stdout waits for drain (back-pressure) and treats EPIPE as the reader leaving', async () => {
    const out = new SlowStream()
    const sink = stdoutSink(out as unknown as NodeJS.WriteStream)
    let done = false
    const p = sink.write('one').then(() => (done = true))
    await new Promise((r) => setImmediate(r))
    expect(done).toBe(false) // still waiting for 'drain'
    out.drain()
    await p
    expect(done).toBe(true)
    const q = sink.write('two')
    out.emit('error', Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}))
    await q
    expect(sink.closed).toBe(true)
    await sink.write('three') // ignored
    expect(out.chunks).toEqual(['one', 'two'])
    await sink.commit()
    expect(out.listenerCount('error')).toBe(0)
  })
})

describe('export formats', () => {
  const rows = [
    {request_id: 'r1', startTime: '2026-11-01T00:00:00.000Z', spend: 1e-7, model: '=1+1', metadata: {user_api_key_alias: '\u001b[31mred'}, request_tags: ['a', 'b']},
    {request_id: 'r2', startTime: '2026-11-01T00:00:01.000Z', spend: 0.5, model: 'gpt-4o', metadata: null, request_tags: []},
  ]

  it('CSV: header, CRLF, plain decimals, formula-safe cells', () => {
    const f = csvFormatter(['request_id', 'model', 'spend', 'key_alias', 'request_tags'])
    expect(f.header()).toBe('request_id,model,spend,key_alias,request_tags\r\n')
    expect(f.rows(rows)).toBe("r1,'=1+1,0.0000001,\u001b[31mred,a;b\r\nr2,gpt-4o,0.5,,\r\n")
  })

  it('JSON lines keep types and escape control characters', () => {
    const out = jsonlFormatter(['request_id', 'spend', 'key_alias']).rows(rows)
    expect(out).toBe('{"request_id":"r1","spend":1e-7,"key_alias":"\\u001b[31mred"}\n{"request_id":"r2","spend":0.5,"key_alias":null}\n')
  })

  it('JSON lines keep request tags as an array (CSV joins them with ;)', () => {
    const out = jsonlFormatter(['request_id', 'request_tags']).rows(rows)
    expect(out.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      {request_id: 'r1', request_tags: ['a', 'b']},
      {request_id: 'r2', request_tags: []},
    ])
  })

  it('the text table and terminal-bound CSV show escapes instead of running them', () => {
    const t = tableFormatter()
    const table = t.header() + t.rows(rows)
    expect(table).not.toMatch(/\u001b/)
    // Shown as a visible escape, not dropped (an empty table would pass the check above).
    expect(table).toContain('\\e[31mred')
    expect(terminalSafe('a,\u001b]0;x\u0007\r\nb\rc\r\n')).toBe('a,\\e]0;x\\u0007\r\nb\\rc\r\n')
  })

  it('the text table fits the width given: text cut first, then Output, Input, Status dropped (#12 item 11)', () => {
    const widest = (s: string) => Math.max(...s.trimEnd().split('\n').map((l) => [...l].length))
    const full = tableFormatter()
    expect(widest(full.header() + full.rows(rows))).toBeGreaterThan(60)
    const t = tableFormatter({width: 60})
    const text = t.header() + t.rows(rows)
    expect(widest(text)).toBeLessThanOrEqual(60)
    expect(text.split('\n')[0]).toMatch(/^Time.*Key.*Model.*Spend$/)
    expect(text.split('\n')[0]).not.toMatch(/Output|Input/)
  })

  it('the text table shows times in --tz, and says which zone (#12 item 10)', () => {
    const t = tableFormatter({timeZone: 'Asia/Tokyo'})
    const one = [{...rows[0], startTime: '2026-11-30T23:56:37.000Z'}]
    const text = t.header() + t.rows(one)
    expect(text.split('\n')[0]).toMatch(/^Time \(Asia\/Tokyo\)/)
    expect(text).toContain('2026-12-01 08:56:37')
  })
})
