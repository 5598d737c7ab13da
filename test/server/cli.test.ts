/** Issue 12 item 17: `npm run server -- --help` helps; a wrong option is one clear line, exit 2, no stack. */
import {describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'

function server(args: string[]): Promise<{stdout: string; stderr: string; code: number | null}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'test', 'server', 'cli.ts'), ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({stdout, stderr, code})
    })
  })
}

describe('the test server as a tool', () => {
  it('--help prints the options and exits 0', async () => {
    const r = await server(['--help'])
    expect(r.code).toBe(0)
    for (const opt of ['--port', '--flavor', '--rows', '--master-key', '--month']) expect(r.stdout).toContain(opt)
    expect(r.stderr).toBe('')
  })

  it.each([
    [['--bogus'], /^test-server: Unknown option '--bogus' \(see: npm run server -- --help\)\n$/],
    [['--port'], /^test-server: Option '--port <value>' argument missing/],
    [['--flavor', 'ancient'], /^test-server: --flavor must be new or old, got ancient\n$/],
  ])('%j: one line, exit 2, no stack', async (args, message) => {
    const r = await server(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.stdout).toBe('')
  })
})
