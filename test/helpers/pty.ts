/**
 * Run the built `bin/run.js` in a real pseudo-terminal of a given width, with util-linux `script`
 * (stdout is then a TTY, as in a user's terminal). Output comes back with `\r\n` turned into `\n`.
 */
import {spawn} from 'node:child_process'
import path from 'node:path'

import {ROOT} from './run-command.js'
import {pinnedEnv, type SpawnResult} from './spawn.js'

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export function runBinInPty(args: string[], opts: {columns: number; env?: Record<string, string | undefined>; timeoutMs?: number}): Promise<SpawnResult> {
  const cmd = [`stty cols ${opts.columns} rows 50`, [process.execPath, path.join(ROOT, 'bin', 'run.js'), ...args].map(quote).join(' ')].join('; ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {cwd: ROOT, env: {...pinnedEnv(opts.env), SHELL: '/bin/sh'}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      resolve({stdout: stdout.replace(/\r\n/g, '\n'), stderr, exitCode, signal})
    })
  })
}
