/** A small hostile HTTP server on 127.0.0.1: records every request, answers with whatever the test says. */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
}

export interface HostileServer {
  url: string
  seen: Seen[]
  close(): Promise<void>
}

export async function startHostileServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<HostileServer> {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    seen.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers})
    req.resume()
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers})
  res.end(text)
}
