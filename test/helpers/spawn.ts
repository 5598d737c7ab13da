/** Run the built `bin/run.js` as a child process (async spawn: the test server lives in this process). */
import {spawn} from 'node:child_process'
import path from 'node:path'

import {ROOT} from './run-command.js'

export interface SpawnResult {
  stdout: string
  stderr: string
  exitCode: number | null
  signal: NodeJS.Signals | null
}

/** A pinned environment: only PATH and HOME from the parent, UTC, no colour, fixed width. */
export function pinnedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', NO_COLOR: '1', COLUMNS: '120', LANG: 'C.UTF-8'}
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export function runBin(
  args: string[],
  opts: {
    env?: Record<string, string | undefined>
    stdin?: string
    timeoutMs?: number
    cwd?: string
    bin?: string
    uid?: number
    gid?: number
    /** Node's own options, before the script (e.g. V8 flags). */
    nodeArgs?: string[]
  } = {},
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? path.join(ROOT, 'bin', 'run.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: pinnedEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      // As another user (a test run as root that needs file permissions to apply).
      ...(opts.uid === undefined ? {} : {uid: opts.uid, gid: opts.gid ?? opts.uid}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      resolve({stdout, stderr, exitCode, signal})
    })
    child.stdin.end(opts.stdin ?? '')
  })
}
