/**
 * #11 items 9 and 13: bad input is refused with exit 2 and one line, before any request is sent.
 * Each case ran a request (or several) before the fix, or was silently accepted.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'

import BudgetCheck from '../../src/commands/budget/check.js'
import KeysCreate from '../../src/commands/keys/create.js'
import KeysDelete from '../../src/commands/keys/delete.js'
import KeysInfo from '../../src/commands/keys/info.js'
import KeysList from '../../src/commands/keys/list.js'
import SpendLogs from '../../src/commands/spend/logs.js'
import Status from '../../src/commands/status.js'
import KeysRotate from '../../src/commands/keys/rotate.js'
import KeysUpdate from '../../src/commands/keys/update.js'
import OpenclawConnect from '../../src/commands/openclaw/connect.js'
import {runCommand, type Env} from '../helpers/run-command.js'
import {NOW, withoutNodeWarnings} from './keys/helpers.js'
import {useTestServers} from '../helpers/test-server.js'
import path from 'node:path'

const fx = useTestServers({srv: {flavor: 'new', features: {regenerate: true}}}, {now: NOW})
beforeAll(() => {
  fx.srv.addKey({key_alias: 'seeded', max_budget: 5, budget_duration: '30d'})
})

type Cmd = {run(argv: string[], config: never): Promise<unknown>}
type Case = [string, Cmd, string[], RegExp, Env?]

const HUGE = '99999999999999999999d'
const BOUNDS: Case[] = [
  ['keys create --period huge', KeysCreate, ['--alias', 'b1', '--budget', '5', '--period', HUGE], /^Error: invalid period '99999999999999999999d': it must be at most 10 years \(3653d\)$/],
  ['keys create --period 3654d', KeysCreate, ['--alias', 'b1', '--budget', '5', '--period', '3654d'], /at most 10 years/],
  ['keys create --expires huge', KeysCreate, ['--alias', 'b1', '--expires', HUGE], /^Error: invalid expiry '99999999999999999999d': it must be at most 10 years \(3653d\)$/],
  ['keys create --expires 600w', KeysCreate, ['--alias', 'b1', '--expires', '600w'], /at most 10 years/],
  ['keys create --rpm 2^31', KeysCreate, ['--alias', 'b1', '--rpm', '2147483648'], /^Error: invalid value '2147483648' for --rpm: it must be at most 2147483647$/],
  ['keys create --tpm huge', KeysCreate, ['--alias', 'b1', '--tpm', '99999999999999999999'], /--tpm/],
  ['keys update --period huge', KeysUpdate, ['seeded', '--period', HUGE], /at most 10 years/],
  ['keys update --expires huge', KeysUpdate, ['seeded', '--expires', '999999999h'], /at most 10 years/],
  ['keys rotate --grace huge', KeysRotate, ['seeded', '--grace', HUGE], /^Error: invalid grace period '99999999999999999999d': it must be at most 10 years/],
  ['openclaw connect --period huge', OpenclawConnect, ['--period', HUGE, '--yes'], /at most 10 years/],
]

describe.each(BOUNDS)('%s', (_name, Cmd, argv, message, extra) => {
  it('exits 2 with one line, nothing sent', async () => {
    const r = withoutNodeWarnings(await runCommand(Cmd as never, argv, fx.env(fx.srv, extra)))
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toMatch(message)
    expect(fx.srv.requests).toEqual([])
  })
})

it('10 years is still accepted', async () => {
  const r = await runCommand(KeysCreate as never, ['--alias', 'ten-years', '--budget', '5', '--period', '3653d', '--expires', '3650d', '--rpm', '2147483647'], fx.env(fx.srv))
  expect(r.exitCode).toBe(0)
  expect(fx.srv.keys().find((k) => k.key_alias === 'ten-years')).toMatchObject({budget_duration: '3653d', rpm_limit: 2147483647})
})

// Item 13: each of these was refused only after requests, silently ignored, or sent.
const INPUT: Array<[string, Cmd, string[] | (() => string[]), RegExp, Env?]> = [
  ['budget check --state <a folder>', BudgetCheck, () => ['--state', fx.dir], /^Error: cannot use .* as the alert state file: it is a folder$/],
  ['KEYWARD_LOCK_TIMEOUT=abc', BudgetCheck, [], /^Error: invalid KEYWARD_LOCK_TIMEOUT 'abc': use seconds$/, {KEYWARD_LOCK_TIMEOUT: 'abc'}],
  ['KEYWARD_TIMEOUT=abc', KeysList, [], /^Error: invalid KEYWARD_TIMEOUT 'abc': use a number of seconds above 0, at most 3600$/, {KEYWARD_TIMEOUT: 'abc'}],
  ['KEYWARD_TIMEOUT=0', Status, [], /invalid KEYWARD_TIMEOUT '0'/, {KEYWARD_TIMEOUT: '0'}],
  ['KEYWARD_NOW=garbage', KeysList, [], /^Error: invalid KEYWARD_NOW 'garbage': use an ISO 8601 time such as 2026-11-18T10:20:00Z$/, {KEYWARD_NOW: 'garbage'}],
  ['KEYWARD_NOW=12', BudgetCheck, [], /invalid KEYWARD_NOW '12'/, {KEYWARD_NOW: '12'}],
  ['keys create --alias U+202E', KeysCreate, ['--alias', 'gpt\u202eevil'], /^Error: the alias contains invisible or direction-changing characters \(\\u202e\)/],
  ['keys update --new-alias U+200B', KeysUpdate, ['seeded', '--new-alias', 'open\u200bclaw'], /invisible or direction-changing/],
  ['keys create --team with ESC', KeysCreate, ['--alias', 'x1', '--team', 'ops\u001b[2J'], /^Error: the --team value contains control characters/],
  ['keys create --user with U+200F', KeysCreate, ['--alias', 'x1', '--user', 'bob\u200f'], /^Error: the --user value contains invisible/],
  ['keys create --metadata " =v"', KeysCreate, ['--alias', 'x1', '--metadata', ' =v'], /^Error: invalid metadata ' =v': use key=value \(the key cannot be blank\)$/],
  ['keys create --metadata with ESC key', KeysCreate, ['--alias', 'x1', '--metadata', 'a\u001bb=v'], /metadata key contains control characters/],
  ['keys info a\\nb', KeysInfo, ['a\nb'], /^Error: the key name contains control characters/],
  ['keys delete with ESC', KeysDelete, ['x\u001b]52;c;eA==\u0007', '--yes'], /^Error: the key name contains control characters/],
  ['budget check --key a\\nb', BudgetCheck, ['--key', 'a\nb'], /^Error: the key name contains control characters/],
  ['status --profile constructor', Status, ['--profile', 'constructor'], /^Error: no profile named 'constructor'/],
  ['status --profile __proto__', Status, ['--profile', '__proto__'], /^Error: (no profile named|invalid profile name) '__proto__'/],
]

describe.each(INPUT)('%s', (_name, Cmd, argv, message, extra) => {
  it('exits 2 with one line, nothing sent', async () => {
    const r = withoutNodeWarnings(await runCommand(Cmd as never, typeof argv === 'function' ? argv() : argv, fx.env(fx.srv, extra)))
    expect(r.stderr.split('\n')[0]).toMatch(message)
    expect(r.exitCode).toBe(2)
    expect(fx.srv.requests).toEqual([])
    // One line of error (then "Try this:" suggestions, if any).
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.slice(1).every((l) => l === 'Try this:' || l.startsWith('  '))).toBe(true)
  })
})

describe('spend logs --output -', () => {
  it('means stdout, not a file named "-"', async () => {
    const cwd = process.cwd()
    const dir = await fs.mkdtemp(path.join(fx.dir, 'dash-'))
    process.chdir(dir)
    try {
      const r = withoutNodeWarnings(await runCommand(SpendLogs as never, ['--since', '2026-11-01', '--output', '-'], fx.env(fx.srv)))
      expect(r.exitCode).toBe(0)
      expect(r.stdout.split('\r\n')[0]).toMatch(/^request_id,/)
      expect(await fs.readdir(dir)).toEqual([])
    } finally {
      process.chdir(cwd)
    }
  })
})
