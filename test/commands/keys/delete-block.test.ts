/** `keyward keys delete`, `keys block`, `keys unblock`. */
import {describe, expect, it} from '@jest/globals'

import KeysBlock from '../../../src/commands/keys/block.js'
import KeysDelete from '../../../src/commands/keys/delete.js'
import type {BlockResult, DeleteResult} from '../../../src/contracts/keys.js'
import KeysUnblock from '../../../src/commands/keys/unblock.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {keysWithAlias, NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import {useTestServers, forgetRequests} from '../../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'old'}}, {now: NOW})

const run = async <R>(
  cmd: Parameters<typeof runCommand>[0],
  argv: string[],
  extra: Env = {},
) => withoutNodeWarnings(await runCommand<R>(cmd, argv, fx.env(fx.srv, extra)))

describe('keys delete', () => {
  it('without --yes and without a terminal refuses (exit 2) and sends nothing', async () => {
    fx.srv.addKey({key_alias: 'd-keep', max_budget: 1, budget_duration: '30d'})
    const r = await run<DeleteResult>(KeysDelete, ['d-keep'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: refusing to delete 'd-keep' without --yes: not on a terminal[^\n]*Nothing was deleted/m)
    expect(r.stderr).toMatch(/for example: keyward keys delete d-keep --yes|keys delete d-keep --yes/)
    expect(fx.srv.requests).toHaveLength(0)
    expect(keysWithAlias(fx.srv, 'd-keep')).toHaveLength(1)
  })

  it('--yes deletes by hash and reports it', async () => {
    const {token} = fx.srv.addKey({key_alias: 'd-gone', max_budget: 1, budget_duration: '30d'})
    const r = await run<DeleteResult>(KeysDelete, ['d-gone', '--yes'])
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({deleted: true, alias: 'd-gone', hash: token})
    expect(requestsTo(fx.srv, 'POST', '/key/delete')[0].body).toEqual({keys: [token]})
    expect(r.stdout).toMatch(/^Deleted key 'd-gone' \(sk-\.\.\.\S{4}\)\.$/m)
    expect(keysWithAlias(fx.srv, 'd-gone')).toHaveLength(0)
    const again = await run<DeleteResult>(KeysDelete, ['d-gone', '--yes', '--json'])
    expect(again.exitCode).toBe(4)
    expect(JSON.parse(again.stdout)).toMatchObject({error: {kind: 'not_found', exitCode: 4}})
  })
})

describe('keys block / unblock', () => {
  it('blocks, reports an already-blocked key, and unblocks', async () => {
    const {token} = fx.srv.addKey({key_alias: 'b-key', max_budget: 1, budget_duration: '30d'})
    const b = await run<BlockResult>(KeysBlock, ['b-key'])
    expect(b.exitCode).toBe(0)
    expect(b.result).toEqual({alias: 'b-key', keyName: expect.stringMatching(/^sk-\.\.\./), hash: token, blocked: true, changed: true})
    expect(requestsTo(fx.srv, 'POST', '/key/block')[0].body).toEqual({key: token})
    expect(b.stdout).toMatch(/is now blocked/)
    expect(keysWithAlias(fx.srv, 'b-key')[0].blocked).toBe(true)

    forgetRequests(fx.srv)
    const twice = await run<BlockResult>(KeysBlock, ['b-key'])
    expect(twice.result!.changed).toBe(false)
    expect(twice.stdout).toMatch(/was already blocked; nothing changed/)
    expect(requestsTo(fx.srv, 'POST', '/key/block')).toHaveLength(0)

    const u = await run<BlockResult>(KeysUnblock, ['b-key', '--json'])
    expect(u.exitCode).toBe(0)
    expect(JSON.parse(u.stdout)).toMatchObject({alias: 'b-key', blocked: false, changed: true})
    expect(requestsTo(fx.srv, 'POST', '/key/unblock')[0].body).toEqual({key: token})
    expect(keysWithAlias(fx.srv, 'b-key')[0].blocked).toBe(false)
  })

  it('an unknown key exits 4', async () => {
    const r = await run<BlockResult>(KeysBlock, ['nope'])
    expect(r.exitCode).toBe(4)
    expect(requestsTo(fx.srv, 'POST', '/key/block')).toHaveLength(0)
  })
})
