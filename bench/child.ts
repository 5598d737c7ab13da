// What the spend benchmarks share: run one child under GNU time (or poll /proc) for its wall time and peak
// RSS, and start the test server in its own process.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TIME = '/usr/bin/time'

export interface Run {
  wallMs: number
  peakRssMb: number
  exitCode: number | null
  stderr: string
  stdout: string
}

/** Peak RSS of a child: GNU time's %M when present, else the last VmHWM read from /proc while it runs. */
export async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const useTime = existsSync(TIME)
  const tmp = useTime ? path.join(os.tmpdir(), `keyward-bench-time-${process.pid}-${Date.now()}`) : ''
  const started = performance.now()
  const child = useTime ? spawn(TIME, ['-f', '%M', '-o', tmp, cmd, ...args], {cwd: ROOT, env}) : spawn(cmd, args, {cwd: ROOT, env})
  let hwmKb = 0
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
          if (m) hwmKb = Math.max(hwmKb, Number(m[1]))
        } catch {
          // exited
        }
      }, 20)
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const wallMs = performance.now() - started
  if (poll) clearInterval(poll)
  if (useTime) {
    hwmKb = Number((await readFile(tmp, 'utf8')).trim().split('\n').pop())
    await rm(tmp, {force: true})
  }
  return {wallMs, peakRssMb: hwmKb / 1024, exitCode, stderr, stdout}
}

export async function startServer(rows: number): Promise<{child: ChildProcess; url: string; masterKey: string}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/cli.ts', '--rows', String(rows), '--port', '0'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
  child.stderr!.resume()
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({input: child.stdout!})
    rl.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`test server exited with ${code}`)))
  })
  const {url, masterKey} = JSON.parse(line) as {url: string; masterKey: string}
  return {child, url, masterKey}
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
