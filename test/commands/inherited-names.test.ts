/**
 * Names every JavaScript object inherits (`constructor`, `toString`, `__proto__`, `hasOwnProperty`)
 * given to a word-valued flag: refused as bad input (exit 2) before any request (issue 19). Before
 * the fix, `--period constructor` minted a key whose budget never resets.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'

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
import {useTestServers} from '../helpers/test-server.js'
import {NOW, withoutNodeWarnings} from './keys/helpers.js'

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

const fx = useTestServers({srv: {flavor: 'new'}}, {now: NOW})
beforeAll(() => {
  fx.srv.addKey({key_alias: 'seeded', max_budget: 10, budget_duration: '30d'})
})

describe.each(CASES)('%s', (_name, cmd, argv, code = 2) => {
  it.each(INHERITED)('%s: refused, one line, nothing sent', async (word) => {
    const r = withoutNodeWarnings(await runCommand(cmd as never, argv(word), fx.env(fx.srv, {HOME: fx.dir})))
    expect(r.exitCode).toBe(word === '__proto__' ? 2 : code)
    expect(fx.srv.requests).toEqual([])
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
      env: {...process.env, ...fx.env(fx.srv)} as NodeJS.ProcessEnv,
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const r = {status, stderr}
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("invalid period 'constructor'")
    expect(fx.srv.requests).toEqual([])
    expect(fx.srv.keys().filter((k) => k.key_alias === 'never')).toEqual([])
  })
})
