/**
 * #11 item 10: answers are capped per endpoint. A hostile server streams without end (or declares a
 * huge Content-Length); keyward stops reading, exits 6 "answer too large from …", and memory stays flat.
 * A webhook answering without end costs nothing either.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {ServerResponse} from 'node:http'

import KeysList from '../../src/commands/keys/list.js'
import KeysInfo from '../../src/commands/keys/info.js'
import {answerCap} from '../../src/api/client.js'
import {deliverWebhook} from '../../src/notify/deliver.js'
import {parseNotifyTarget} from '../../src/notify/targets.js'
import {runCommand} from '../helpers/run-command.js'
import {startHostileServer, type HostileServer} from '../helpers/hostile-server.js'
import {envFor} from '../helpers/test-server.js'

let endless: HostileServer
let declared: HostileServer
let tmp: string
let bytesSent = 0

/** `{"keys":[` then a filler string, 64 KB a write, until the client goes away. */
function streamForever(res: ServerResponse): void {
  res.writeHead(200, {'content-type': 'application/json'})
  res.write('{"keys": ["')
  const chunk = 'x'.repeat(64 * 1024)
  const pump = (): void => {
    while (!res.destroyed && bytesSent < 2 * 1024 ** 3) {
      bytesSent += chunk.length
      if (!res.write(chunk)) {
        res.once('drain', pump)
        return
      }
    }
  }
  res.on('close', () => undefined)
  pump()
}

beforeAll(async () => {
  endless = await startHostileServer((_req, res) => streamForever(res))
  declared = await startHostileServer((_req, res) => {
    res.writeHead(200, {'content-type': 'application/json', 'content-length': String(1024 ** 3)})
    res.write('{"keys": [')
  })
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-size-'))
})
afterAll(async () => {
  await Promise.all([endless.close(), declared.close()])
  await fs.rm(tmp, {recursive: true, force: true})
})

const env = (url: string) => envFor({url, masterKey: 'sk-size-test-0000'}, tmp)

describe('answer caps', () => {
  it('by endpoint: small for key calls, one page for spend pages', () => {
    expect(answerCap('/key/list')).toBe(4 * 1024 * 1024)
    expect(answerCap('/spend/logs/v2')).toBe(64 * 1024 * 1024)
    expect(answerCap('/spend/logs')).toBeGreaterThan(answerCap('/spend/logs/v2'))
    expect(answerCap('/health/readiness')).toBe(16 * 1024 * 1024)
  })

  it('an endless answer to a key call: exit 6, "answer too large", stopped soon after the cap', async () => {
    bytesSent = 0
    const rss = process.memoryUsage().rss
    const r = await runCommand(KeysInfo, ['sk-some-key-1234'], env(endless.url))
    expect(r.exitCode).toBe(6)
    expect(r.stderr.split('\n')[0]).toBe(`Error: answer too large from ${endless.url} (GET /key/info): more than 4 MB, so keyward stopped reading it`)
    // The server could write a little past the cap into socket buffers, never the 2 GB it had.
    expect(bytesSent).toBeLessThan(64 * 1024 * 1024)
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024)
  })

  it('a declared Content-Length over the cap is refused before reading; --json gives kind too_large', async () => {
    const r = await runCommand(KeysList, ['--json'], env(declared.url))
    expect(r.exitCode).toBe(6)
    expect(JSON.parse(r.stdout).error).toMatchObject({kind: 'too_large', exitCode: 6})
    expect(JSON.parse(r.stdout).error.message).toContain(`answer too large from ${declared.url}`)
  })

  it('a webhook answering without end: delivered, and only its start is read', async () => {
    bytesSent = 0
    const outcome = await deliverWebhook(parseNotifyTarget(`${endless.url}/hook`), {text: 'hi'}, {timeoutMs: 5000, attempts: 1})
    expect(outcome).toMatchObject({ok: true, status: 200})
    expect(bytesSent).toBeLessThan(64 * 1024 * 1024)
  })
})
