/** The built CLI (`bin/run.js`) as a new user runs it: keys create / info / delete. Needs `npm run build`. */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../../helpers/run-command.js'
import {runBin} from '../../helpers/spawn.js'
import {startTestServer, type TestServer} from '../../server/index.js'
import {count, keysWithAlias, requestsTo, tmpDir} from './helpers.js'

let newSrv: TestServer
let oldSrv: TestServer
let tmp: string

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'commands', 'keys', 'create.js'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
  ;[newSrv, oldSrv] = await Promise.all([startTestServer({flavor: 'new'}), startTestServer({flavor: 'old'})])
  tmp = await tmpDir()
})
afterAll(async () => {
  await Promise.all([newSrv.close(), oldSrv.close()])
  await fs.rm(tmp, {recursive: true, force: true})
})

const env = (srv: TestServer) => ({KEYWARD_CONFIG_DIR: tmp, KEYWARD_DATA_DIR: tmp, LITELLM_PROXY_URL: srv.url, LITELLM_MASTER_KEY: srv.masterKey})
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+(\(|:\d+)/m)
const firstOfNextMonth = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10)

describe.each([['new'], ['old']] as const)('keyward keys (built) on a %s proxy', (flavor) => {
  const srv = () => (flavor === 'new' ? newSrv : oldSrv)

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
    if (flavor === 'new') expect(info.stdout).toMatch(new RegExp(`^resets\\s+${firstOfNextMonth(new Date())} 00:00 UTC \\(in `, 'm'))
    else expect(info.stdout).toMatch(/^resets\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in (1 month|30 days)\)$/m)

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
    newSrv.addKey({key_alias: 'piped', max_budget: 1, budget_duration: '30d'})
    const before = newSrv.requests.length
    const r = await runBin(['keys', 'delete', 'piped'], {env: env(newSrv), stdin: 'y\n'})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: refusing to delete 'piped' without --yes/)
    expect(r.stdout).toBe('')
    noStack(r.stderr)
    expect(newSrv.requests.length).toBe(before)
    expect(keysWithAlias(newSrv, 'piped')).toHaveLength(1)
  })
})
