/**
 * A real Redis for tests: `redis-server` (Debian's redis-server package) started on a free port on
 * 127.0.0.1 with nothing written to disk, stopped after. Without redis-server the tests fail and say
 * how to install it (.ci/run installs it on a clean machine).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {connect} from 'node:net'

import {createClient} from '@redis/client'

import {freePort} from './free-port.js'

export interface RedisServer {
  port: number
  /** `redis://[:password@]127.0.0.1:PORT/0` */
  url(db?: number): string
  /** Run one command in database `db` and return its reply. */
  command(db: number, ...args: string[]): Promise<unknown>
  stop(): Promise<void>
}

export function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], {encoding: 'utf8'})
  const p = found.stdout.trim()
  if (found.status !== 0 || !p) {
    throw new Error('redis-server is not installed: these tests need a real Redis. Install it with `apt-get update && apt-get install -y redis-server` (Debian/Ubuntu); .ci/run does this on a clean machine.')
  }
  return p
}

/** Is it answering? PING (after AUTH when there is a password) on a fresh connection. */
function ping(port: number, password: string | undefined): Promise<boolean> {
  const encode = (a: string[]) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1')
    let data = ''
    sock.setEncoding('utf8')
    sock.setTimeout(2000, () => sock.destroy())
    sock.on('error', () => resolve(false))
    sock.on('close', () => resolve(data.includes('+PONG')))
    sock.on('data', (d: string) => {
      data += d
      if (data.includes('+PONG') || data.includes('-')) sock.end()
    })
    sock.write((password ? encode(['AUTH', password]) : '') + encode(['PING']))
  })
}

export async function startRedisServer(opts: {password?: string} = {}): Promise<RedisServer> {
  const bin = redisServerPath()
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '']
  if (opts.password) args.push('--requirepass', opts.password)
  const child: ChildProcess = spawn(bin, args, {stdio: ['ignore', 'pipe', 'pipe']})
  let log = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      if (await ping(port, opts.password)) break
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`redis-server did not start on port ${port}: ${log.trim().split('\n').slice(-3).join(' | ')}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    port,
    url: (db = 0) => `redis://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${port}/${db}`,
    async command(db, ...a) {
      const client = createClient({url: `redis://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${port}/${db}`})
      await client.connect()
      try {
        return await client.sendCommand(a)
      } finally {
        await client.close()
      }
    },
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}
