/**
 * Names every JavaScript object inherits (`constructor`, `toString`, `__proto__`, `hasOwnProperty`)
 * given to a word-valued flag: refused as bad input (exit 2) before any request (issue 19). Before
 * the fix, `--period constructor` minted a key whose budget never resets.
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import BudgetCheck from '../../src/commands/budget/check.js'
import KeysAudit from '../../src/commands/keys/audit.js'
import KeysCreate from '../../src/commands/keys/create.js'
import KeysList from '../../src/commands/keys/list.js'
import KeysUpdate from '../../src/commands/keys/update.js'
import Logout from '../../src/commands/logout.js'
import OpenclawConnect from '../../src/commands/openclaw/connect.js'
import SpendLogs from '../../src/commands/spend/logs.js'
import SpendReport from '../../src/commands/spend/report.js'
import Status from '../../src/commands/status.js'
import {runCommand} from '../helpers/run-command.js'
import type {Env} from '../helpers/run-command.js'
import {startTestServer, type TestServer} from '../server/index.js'
import {envFor as serverEnv} from '../helpers/test-server.js'
import {NOW, withoutNodeWarnings} from './keys/helpers.js'

const tmpDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'keyward-test-'))
const envFor = (srv: TestServer, dir: string, extra: Env = {}): Env => serverEnv(srv, dir, {KEYWARD_NOW: NOW.toISOString(), ...extra})

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']

type Case = [string, {run(argv: string[], config: never): Promise<unknown>}, (word: string) => string[], number?]
const CASES: Case[] = [
  ['keys create --period', KeysCreate, (w) => ['--alias', 'x', '--budget', '5', '--period', w]],
  ['keys update --period', KeysUpdate, (w) => ['seeded', '--budget', '5', '--period', w]],
  ['openclaw connect --period', OpenclawConnect, (w) => ['--period', w, '--yes']],
  ['keys list --sort', KeysList, (w) => ['--sort', w]],
  ['keys list --status', KeysList, (w) => ['--status', w]],
  ['keys audit --ignore', KeysAudit, (w) => ['--ignore', w]],
  ['spend report --by', SpendReport, (w) => ['--by', w]],
  ['spend report --format', SpendReport, (w) => ['--format', w]],
  ['spend logs --columns', SpendLogs, (w) => ['--columns', w]],
  ['spend logs --status', SpendLogs, (w) => ['--status', w]],
  ['spend logs --format', SpendLogs, (w) => ['--format', w]],
  ['budget check --threshold', BudgetCheck, (w) => ['--threshold', w]],
  ['status --profile', Status, (w) => ['--profile', w]],
  // A profile that does not exist is 'not found' for logout (exit 4); `__proto__` is not a profile name (2).
  ['logout --profile', Logout, (w) => ['--profile', w], 4],
]

let srv: TestServer
let tmp: string
beforeAll(async () => {
  tmp = await tmpDir()
  srv = await startTestServer({flavor: 'new', now: () => NOW})
  srv.addKey({key_alias: 'seeded', max_budget: 10, budget_duration: '30d'})
})
afterAll(async () => {
  await srv.close()
  await fs.rm(tmp, {recursive: true, force: true})
})
beforeEach(() => {
  srv.requests.length = 0
})

describe.each(CASES)('%s', (_name, cmd, argv, code = 2) => {
  it.each(INHERITED)('%s: refused, one line, nothing sent', async (word) => {
    const r = withoutNodeWarnings(await runCommand(cmd as never, argv(word), envFor(srv, tmp, {HOME: tmp})))
    expect(r.exitCode).toBe(word === '__proto__' ? 2 : code)
    expect(srv.requests).toEqual([])
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^Error: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('keys create --period constructor', () => {
  it('through the built bin: exit 2 and the proxy receives nothing', async () => {
    const {spawn} = await import('node:child_process')
    // Asynchronously: the test server answers from this process's event loop.
    const child = spawn(process.execPath, ['bin/run.js', 'keys', 'create', '--alias', 'never', '--budget', '5', '--period', 'constructor'], {
      env: {...process.env, ...envFor(srv, tmp)} as NodeJS.ProcessEnv,
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const r = {status, stderr}
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("invalid period 'constructor'")
    expect(srv.requests).toEqual([])
    expect(srv.keys().filter((k) => k.key_alias === 'never')).toEqual([])
  })
})
