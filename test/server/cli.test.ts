/** Issue 12 item 17: `npm run server -- --help` helps; a wrong option is one clear line, exit 2, no stack. */
import {describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {pinnedEnv} from '../helpers/spawn.js'

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

describe('npm run server, then keyward against it', () => {
  it('the demo keys belong to teams the server knows: keys list compares budgets without a warning and marks the team-limited key', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'test', 'server', 'cli.ts'), '--port', '0', '--rows', '10'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d
          if (out.includes('\n')) resolve(out.split('\n')[0]!)
        })
        child.on('error', reject)
        child.on('close', (code) => reject(new Error(`the server exited (${code})`)))
      })
      const {url, masterKey} = JSON.parse(first) as {url: string; masterKey: string}
      const run = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'keys', 'list', '--json', 'alias,limitedBy'], {
        cwd: ROOT,
        env: {...pinnedEnv({LITELLM_PROXY_URL: url, LITELLM_MASTER_KEY: masterKey, KEYWARD_CONFIG_DIR: mkdtempSync(path.join(os.tmpdir(), 'keyward-cli-'))})},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      run.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      run.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      const code = await new Promise<number | null>((resolve) => run.on('close', resolve))
      expect(stderr).toBe('')
      expect(code).toBe(0)
      // --json FIELDS prints the list itself, each key with only those fields.
      const keys = JSON.parse(stdout) as Array<{alias: string; limitedBy: {kind: string} | null}>
      expect(keys.filter((k) => k.limitedBy).map((k) => [k.alias, k.limitedBy!.kind])).toEqual([['data-pipeline', 'team']])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
