/**
 * #11 items 9 and 13: bad input is refused with exit 2 and one line, before any request is sent.
 * Each case ran a request (or several) before the fix, or was silently accepted.
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'

import KeysCreate from '../../src/commands/keys/create.js'
import KeysRotate from '../../src/commands/keys/rotate.js'
import KeysUpdate from '../../src/commands/keys/update.js'
import OpenclawConnect from '../../src/commands/openclaw/connect.js'
import {runCommand, type Env} from '../helpers/run-command.js'
import {startTestServer, type TestServer} from '../server/index.js'
import {envFor, NOW, tmpDir, withoutNodeWarnings} from './keys/helpers.js'

let srv: TestServer
let tmp: string
beforeAll(async () => {
  tmp = await tmpDir()
  srv = await startTestServer({flavor: 'new', now: () => NOW, features: {regenerate: true}})
  srv.addKey({key_alias: 'seeded', max_budget: 5, budget_duration: '30d'})
})
afterAll(async () => {
  await srv.close()
  await fs.rm(tmp, {recursive: true, force: true})
})
beforeEach(() => {
  srv.requests.length = 0
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
    const r = withoutNodeWarnings(await runCommand(Cmd as never, argv, envFor(srv, tmp, extra)))
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toMatch(message)
    expect(srv.requests).toEqual([])
  })
})

it('10 years is still accepted', async () => {
  const r = await runCommand(KeysCreate as never, ['--alias', 'ten-years', '--budget', '5', '--period', '3653d', '--expires', '3650d', '--rpm', '2147483647'], envFor(srv, tmp))
  expect(r.exitCode).toBe(0)
  expect(srv.keys().find((k) => k.key_alias === 'ten-years')).toMatchObject({budget_duration: '3653d', rpm_limit: 2147483647})
})
