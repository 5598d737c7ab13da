/**
 * A webhook receiver on 127.0.0.1 for budget-alert tests: records every request (path and parsed JSON
 * body), can be told to fail the next N requests (status or dropped connection) and to answer slowly.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {readBody} from '../server/http.js'

export interface ReceivedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: unknown
  /** Answered with a failure (not counted as delivered). */
  failed: boolean
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** Every request, failed ones included. */
  requests: ReceivedRequest[]
  /** Bodies of the requests answered with success. */
  delivered(): unknown[]
  /** Fail the next `n` requests: with an HTTP status (default 500) or by dropping the connection. */
  failNext(n: number, how?: number | 'reset'): void
  /** Delay every answer by `ms`. */
  setDelay(ms: number): void
  reset(): void
  close(): Promise<void>
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = []
  let failures = 0
  let failHow: number | 'reset' = 500
  let delayMs = 0
  const timers = new Set<NodeJS.Timeout>()

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req)
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // keep the text
    }
    const fail = failures > 0
    if (fail) failures--
    requests.push({method: req.method ?? 'GET', path: req.url ?? '/', headers: {...req.headers}, body, failed: fail})
    if (delayMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t)
          resolve()
        }, delayMs)
        timers.add(t)
      })
    }
    if (fail && failHow === 'reset') {
      req.socket.destroy()
      return
    }
    const status = fail ? (failHow as number) : 200
    const answer = fail ? 'failing on purpose' : 'ok'
    res.writeHead(status, {'content-type': 'text/plain', 'content-length': Buffer.byteLength(answer)})
    res.end(answer)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered: () => requests.filter((r) => !r.failed).map((r) => r.body),
    failNext: (n, how = 500) => {
      failures = n
      failHow = how
    },
    setDelay: (ms) => {
      delayMs = ms
    },
    reset: () => {
      requests.length = 0
      failures = 0
      delayMs = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
