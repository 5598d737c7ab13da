/** Issue 12 item 16: keys create warns about an unlimited key, and checks --models against /v1/models. */
import {describe, expect, it} from '@jest/globals'

import KeysCreate from '../../../src/commands/keys/create.js'
import {runCommand} from '../../helpers/run-command.js'
import {useTestServers} from '../../helpers/test-server.js'
import {NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import type {CreateResult} from '../../../src/contracts/keys.js'

const fx = useTestServers({srv: {flavor: 'new'}}, {now: NOW})
const create = async (argv: string[]) => withoutNodeWarnings(await runCommand<CreateResult>(KeysCreate, argv, fx.env(fx.srv)))

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
    expect(requestsTo(fx.srv, 'GET', '/v1/models')).toHaveLength(1)
    expect(requestsTo(fx.srv, 'POST', '/key/generate')).toHaveLength(0)
  })

  it('--force skips the check; served models and special names pass it', async () => {
    const forced = await create(['--alias', 'forced-models', '--budget', '5', '--models', 'nosuchmodel', '--force'])
    expect(forced.exitCode).toBe(0)
    expect(requestsTo(fx.srv, 'GET', '/v1/models')).toHaveLength(0)
    const good = await create(['--alias', 'good-models', '--budget', '5', '--models', 'gpt-4o,all-team-models'])
    expect(good.exitCode).toBe(0)
    expect(requestsTo(fx.srv, 'POST', '/key/generate')).toHaveLength(2)
  })
})
