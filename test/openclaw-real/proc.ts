/**
 * Child processes for the real-client test: each runs in its own process group with a deadline, and
 * every one still running is killed (the whole group) by killAll(), so nothing outlives the test.
 */
import {spawn, type ChildProcess} from 'node:child_process'

export interface ProcResult {
  stdout: string
  stderr: string
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  ms: number
}

const live = new Set<ChildProcess>()

/** SIGKILL the child's process group (the child leads it: spawned detached); a gone group is fine. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // ESRCH: nothing left in the group.
  }
}

export function run(cmd: string, args: readonly string[], opts: {env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number; stdin?: string}): Promise<ProcResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true})
    live.add(child)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, opts.timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      live.delete(child)
      reject(e)
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      // The command is done: anything it left behind in its group goes too.
      killGroup(child)
      live.delete(child)
      resolve({stdout, stderr, exitCode, signal, timedOut, ms: Date.now() - started})
    })
    child.stdin!.end(opts.stdin ?? '')
  })
}

/** Kill every child (and its group) that is still running. */
export function killAll(): void {
  for (const child of live) killGroup(child)
  live.clear()
}

/** One line for a failed expectation: the command, how it ended, and the tail of its output. */
export function describeRun(what: string, r: ProcResult): string {
  const tail = (s: string) => s.split('\n').slice(-25).join('\n')
  return `${what}: exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''} after ${r.ms} ms\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`
}
