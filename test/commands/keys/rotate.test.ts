/** `keyward keys rotate`: Enterprise refusal (exit 6, nothing changed) and a licensed proxy. */
import {describe, expect, it} from '@jest/globals'

import KeysRotate from '../../../src/commands/keys/rotate.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
// The server's own sha256, not src/api/hash.js: the expected token must not come from the code under test.
import {hashKey, type TestServer} from '../../server/index.js'
import {count, keysWithAlias, NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import type {RotateResult} from '../../../src/contracts/keys.js'
import {useTestServers} from '../../helpers/test-server.js'

const fx = useTestServers({unlicensed: {flavor: 'new'}, licensed: {flavor: 'new', features: {regenerate: true}}}, {now: NOW})

const rotate = async (srv: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(
  await runCommand<RotateResult>(KeysRotate, argv, fx.env(srv, extra)),
)

describe('keys rotate', () => {
  it('on a proxy without an Enterprise licence: says so, exits 6, changes nothing', async () => {
    const {token} = fx.unlicensed.addKey({key_alias: 'r-ent', max_budget: 5, budget_duration: '30d'})
    const r = await rotate(fx.unlicensed, ['r-ent'])
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toMatch(/^Error: rotating keys is a LiteLLM Enterprise feature on this proxy, so the key was not rotated and nothing changed/m)
    expect(r.stdout).toBe('')
    expect(keysWithAlias(fx.unlicensed, 'r-ent')[0].token).toBe(token)
    const json = await rotate(fx.unlicensed, ['r-ent', '--json'])
    expect(json.exitCode).toBe(6)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {kind: 'enterprise_only', exitCode: 6}})
  })

  it('prints the new key once on stdout; the old one stops working', async () => {
    const {key: oldKey, token: oldHash} = fx.licensed.addKey({key_alias: 'r-ok', max_budget: 5, budget_duration: '30d'})
    fx.licensed.setSpend('r-ok', 2)
    const r = await rotate(fx.licensed, ['r-ok'])
    expect(r.exitCode).toBe(0)
    const sent = requestsTo(fx.licensed, 'POST', `/key/${oldHash}/regenerate`)
    expect(sent).toHaveLength(1)
    const newKey = r.result!.key
    expect((sent[0].body as {new_key: string}).new_key).toBe(newKey)
    expect(count(r.stdout, newKey)).toBe(1)
    expect(r.stderr).not.toContain(newKey)
    expect(r.stdout + r.stderr).not.toContain(oldKey)
    expect(r.stderr).toMatch(/no longer works/)
    expect(r.stderr).toContain('export LITELLM_API_KEY=<the key above>')
    const row = keysWithAlias(fx.licensed, 'r-ok')[0]
    expect(row.token).toBe(hashKey(newKey))
    expect(row.spend).toBe(2)
    expect(r.result).toMatchObject({rotated: true, previousHash: oldHash, gracePeriod: null, details: {alias: 'r-ok', spent: 2, budget: 5}})
    // As the title says: over HTTP, the old key is refused and the new one accepted.
    const infoWith = (k: string) => fetch(`${fx.licensed.url}/key/info`, {headers: {authorization: `Bearer ${k}`}}).then((res) => res.status)
    expect(await infoWith(oldKey)).toBe(401)
    expect(await infoWith(newKey)).toBe(200)
  })

  it('--grace is sent as grace_period; --quiet prints the key alone', async () => {
    const {token} = fx.licensed.addKey({key_alias: 'r-grace', max_budget: 5, budget_duration: '30d'})
    const r = await rotate(fx.licensed, ['r-grace', '--grace', '24h', '--quiet'])
    expect(r.exitCode).toBe(0)
    const body = requestsTo(fx.licensed, 'POST', `/key/${token}/regenerate`)[0].body as Record<string, unknown>
    expect(body.grace_period).toBe('24h')
    expect(r.stdout).toBe(`${body.new_key as string}\n`)
  })

  it('a lost answer is resolved by looking the new key up', async () => {
    fx.licensed.addKey({key_alias: 'r-lost', max_budget: 5, budget_duration: '30d'})
    fx.licensed.fault({path: /\/regenerate$/, method: 'POST', kind: 'reset', after: true})
    const r = await rotate(fx.licensed, ['r-lost'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/answer to the rotation was lost/)
    expect(keysWithAlias(fx.licensed, 'r-lost')[0].token).toBe(hashKey(r.result!.key))
    expect(count(r.stdout, r.result!.key)).toBe(1)
  })

  it('rejects a bad grace period before sending anything', async () => {
    const r = await rotate(fx.licensed, ['r-ok', '--grace', 'tomorrow'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/invalid grace period 'tomorrow'[\s\S]*--grace 24h/)
    expect(fx.licensed.requests).toHaveLength(0)
  })
})
