/** Issue 12 item 16: keys create warns about an unlimited key, and checks --models against /v1/models. */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import KeysCreate from '../../../src/commands/keys/create.js'
import {runCommand} from '../../helpers/run-command.js'
import type {Env} from '../../helpers/run-command.js'
import {startTestServer, type TestServer} from '../../server/index.js'
import {envFor as serverEnv} from '../../helpers/test-server.js'
import {NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import type {CreateResult} from '../../../src/contracts/keys.js'

const tmpDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'keyward-test-'))
const envFor = (srv: TestServer, dir: string, extra: Env = {}): Env => serverEnv(srv, dir, {KEYWARD_NOW: NOW.toISOString(), ...extra})

let tmp: string
let srv: TestServer
beforeAll(async () => {
  tmp = await tmpDir()
  srv = await startTestServer({flavor: 'new', now: () => NOW})
})
afterAll(async () => {
  await srv.close()
  await fs.rm(tmp, {recursive: true, force: true})
})
beforeEach(() => {
  srv.requests.length = 0
})
const create = async (argv: string[]) => withoutNodeWarnings(await runCommand<CreateResult>(KeysCreate, argv, envFor(srv, tmp)))

describe('keys create checks', () => {
  it('without --budget: created, with a warning on stderr that the key is unlimited', async () => {
    const r = await create(['--alias', 'no-limit'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/^warning: no --budget: 'no-limit' can spend without limit/m)
    expect(r.result!.warnings.join('\n')).toMatch(/without limit/)
    const json = await create(['--alias', 'no-limit-2', '--json'])
    expect(json.stderr).toMatch(/without limit/)
    expect(() => JSON.parse(json.stdout)).not.toThrow()
  })

  it('with --budget: no such warning', async () => {
    const r = await create(['--alias', 'limited', '--budget', '5'])
    expect(r.stderr).not.toMatch(/without limit/)
  })

  it('--models nosuchmodel is refused (exit 2) with the models the proxy serves, nothing created', async () => {
    const r = await create(['--alias', 'bad-models', '--budget', '5', '--models', 'gpt-4o,nosuchmodel'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: the proxy does not serve 'nosuchmodel'/m)
    expect(r.stderr).toContain('gpt-4o')
    expect(r.stderr).toContain('--force')
    expect(requestsTo(srv, 'GET', '/v1/models')).toHaveLength(1)
    expect(requestsTo(srv, 'POST', '/key/generate')).toHaveLength(0)
  })

  it('--force skips the check; served models and special names pass it', async () => {
    const forced = await create(['--alias', 'forced-models', '--budget', '5', '--models', 'nosuchmodel', '--force'])
    expect(forced.exitCode).toBe(0)
    expect(requestsTo(srv, 'GET', '/v1/models')).toHaveLength(0)
    const good = await create(['--alias', 'good-models', '--budget', '5', '--models', 'gpt-4o,all-team-models'])
    expect(good.exitCode).toBe(0)
    expect(requestsTo(srv, 'POST', '/key/generate')).toHaveLength(2)
  })
})
