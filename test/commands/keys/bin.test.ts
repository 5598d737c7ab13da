/** The built CLI (`bin/run.js`) as a new user runs it: keys create / info / delete. Needs `npm run build`. */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../../helpers/run-command.js'
import {runBin} from '../../helpers/spawn.js'
import {type TestServer} from '../../server/index.js'
import {count, keysWithAlias, NOW, requestsTo} from './helpers.js'
import {useTestServers} from '../../helpers/test-server.js'

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
})
// Server and CLI share a pinned clock: with the real one, a run that straddles midnight on the 1st
// (or the month turning between the create and this test's own `new Date()`) would break the reset date.
const fx = useTestServers({new: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})
const env = (srv: TestServer) => fx.env(srv)
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+(\(|:\d+)/m)

describe.each([['new'], ['old']] as const)('keyward keys (built) on a %s proxy', (flavor) => {
  const srv = () => fx[flavor]

  it('create prints the key exactly once on stdout, the hint (without the key) on stderr; a second create exits 5', async () => {
    const r = await runBin(['keys', 'create', '--alias', 'openclaw', '--budget', '50'], {env: env(srv())})
    expect(r.exitCode).toBe(0)
    const gen = requestsTo(srv(), 'POST', '/key/generate')
    expect(gen).toHaveLength(1)
    expect(gen[0].body).toMatchObject({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
    expect(gen[0].body).not.toHaveProperty('spend')
    const key = (gen[0].body as {key: string}).key
    expect(count(r.stdout, key)).toBe(1)
    expect(r.stderr).not.toContain(key)
    expect(r.stderr).toContain('export LITELLM_API_KEY=<the key above>')
    expect(r.stderr).not.toMatch(/warning/i)

    const info = await runBin(['keys', 'info', 'openclaw'], {env: env(srv())})
    expect(info.exitCode).toBe(0)
    expect(info.stdout).not.toContain(key)
    // NOW is 2026-11-18 10:20 UTC: the new flavour resets on the 1st, the old one 30 days on.
    if (flavor === 'new') expect(info.stdout).toMatch(/^resets\s+2026-12-01 00:00 UTC \(in 13 days\)$/m)
    else expect(info.stdout).toMatch(/^resets\s+2026-12-18 10:20 UTC \(in 1 month\)$/m)

    const again = await runBin(['keys', 'create', '--alias', 'openclaw', '--budget', '50'], {env: env(srv())})
    expect(again.exitCode).toBe(5)
    expect(again.stdout).toBe('')
    expect(again.stderr).toMatch(/^Error: a key with alias 'openclaw' already exists/)
    expect(again.stderr).not.toContain(key)
    noStack(again.stderr)
    expect(keysWithAlias(srv(), 'openclaw')).toHaveLength(1)
  })
})

describe('keyward keys delete (built)', () => {
  it('in a pipe without --yes deletes nothing (exit 2), even when "y" is piped in', async () => {
    fx.new.addKey({key_alias: 'piped', max_budget: 1, budget_duration: '30d'})
    const before = fx.new.requests.length
    const r = await runBin(['keys', 'delete', 'piped'], {env: env(fx.new), stdin: 'y\n'})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: refusing to delete 'piped' without --yes/)
    expect(r.stdout).toBe('')
    noStack(r.stderr)
    expect(fx.new.requests.length).toBe(before)
    expect(keysWithAlias(fx.new, 'piped')).toHaveLength(1)
  })
})
