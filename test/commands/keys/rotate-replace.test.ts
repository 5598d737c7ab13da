/** `keyward keys rotate --replace` (#15 item 3): rotation with open-source endpoints, resumable at every step. */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import KeysRotate from '../../../src/commands/keys/rotate.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
// The server's own sha256, not src/api/hash.js: the expected token must not come from the code under test.
import {hashKey, type Fault, type TestServer} from '../../server/index.js'
import {count, keysWithAlias, NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import type {ReplaceResult} from '../../../src/contracts/keys.js'
import {useTestServers} from '../../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}}, {now: NOW})
const DAY = NOW.toISOString().slice(0, 10)

const rotate = async (argv: string[], extra: Env = {}) => withoutNodeWarnings(await runCommand<ReplaceResult>(KeysRotate, argv, fx.env(fx.srv, extra)))
const accepted = (srv: TestServer, k: string) => fetch(`${srv.url}/key/info`, {headers: {authorization: `Bearer ${k}`}}).then((res) => res.status)
const rotationFiles = async () => (await fs.readdir(path.join(fx.dir, 'rotations')).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))
/** Keys whose alias is the alias or one derived from it. */
const family = (alias: string) => fx.srv.keys().filter((k) => k.key_alias === alias || k.key_alias?.startsWith(`${alias}-`))

describe('keys rotate --replace', () => {
  it('mints a new key with the same settings, moves the alias, keeps the old one for --grace and carries its spend', async () => {
    const {key: oldKey, token: oldHash} = fx.srv.addKey({key_alias: 'rr-a', max_budget: 10, budget_duration: '30d', models: ['gpt-4o-mini'], metadata: {owner: 'ci'}, team_id: 'team-x', rpm_limit: 7, soft_budget: 8})
    fx.srv.setSpend('rr-a', 4)
    const r = await rotate(['rr-a', '--replace', '--grace', '24h'])
    expect(r.exitCode).toBe(0)
    const newKey = r.result!.key
    expect(count(r.stdout, newKey)).toBe(1)
    expect(r.stderr).not.toContain(newKey)
    expect(r.stdout + r.stderr).not.toContain(oldKey)
    expect(requestsTo(fx.srv, 'POST', `/key/${oldHash}/regenerate`)).toEqual([])
    // Exactly one key holds the alias: the new one, with the old one's settings.
    const [now] = keysWithAlias(fx.srv, 'rr-a')
    expect(keysWithAlias(fx.srv, 'rr-a')).toHaveLength(1)
    expect(now.token).toBe(hashKey(newKey))
    expect(now).toMatchObject({max_budget: 10, budget_duration: '30d', models: ['gpt-4o-mini'], metadata: {owner: 'ci'}, team_id: 'team-x', rpm_limit: 7})
    expect(now.litellm_budget_table?.soft_budget).toBe(8)
    // Spent 4 of 10: the old key may spend half of the 6 left (3) more; the new key starts at 7.
    expect(now.spend).toBe(7)
    const [old] = keysWithAlias(fx.srv, `rr-a-rotated-${DAY}`)
    expect(old.token).toBe(oldHash)
    expect(old.max_budget).toBe(7)
    expect(Date.parse(old.expires!)).toBe(NOW.getTime() + 24 * 3600_000)
    expect(keysWithAlias(fx.srv, 'rr-a-rotating')).toEqual([])
    expect(r.result).toMatchObject({rotated: 'replaced', alias: 'rr-a', previousHash: oldHash, previousAlias: `rr-a-rotated-${DAY}`, previousBlocked: false, gracePeriod: '24h', carriedSpend: 7, graceShare: 3, resumed: false})
    // Both secrets work during the grace period.
    expect(await accepted(fx.srv, newKey)).toBe(200)
    expect(await accepted(fx.srv, oldKey)).toBe(200)
    expect(await rotationFiles()).toEqual([])
  })

  it('without --grace the old key is blocked and the new one carries exactly the old spend', async () => {
    const {key: oldKey} = fx.srv.addKey({key_alias: 'rr-b', max_budget: 5, budget_duration: '1d'})
    fx.srv.setSpend('rr-b', 1.5)
    const r = await rotate(['rr-b', '--replace', '--json'])
    expect(r.exitCode).toBe(0)
    const json = JSON.parse(r.stdout) as ReplaceResult
    expect(json).toMatchObject({previousBlocked: true, previousExpires: null, carriedSpend: 1.5, graceShare: 0})
    expect(keysWithAlias(fx.srv, 'rr-b')[0]).toMatchObject({token: hashKey(json.key), spend: 1.5, max_budget: 5})
    expect(await accepted(fx.srv, oldKey)).toBe(401)
    expect(await accepted(fx.srv, json.key)).toBe(200)
  })

  it('--grace-budget sets what the old key may still spend; it needs --replace and --grace (exit 2, nothing sent)', async () => {
    fx.srv.addKey({key_alias: 'rr-c', max_budget: 20, budget_duration: '30d'})
    fx.srv.setSpend('rr-c', 2)
    const bad = await rotate(['rr-c', '--replace', '--grace-budget', '1'])
    expect(bad.exitCode).toBe(2)
    expect(fx.srv.requests).toEqual([])
    const r = await rotate(['rr-c', '--replace', '--grace', '2h', '--grace-budget', '1', '--json'])
    expect(r.exitCode).toBe(0)
    expect(keysWithAlias(fx.srv, `rr-c-rotated-${DAY}`)[0].max_budget).toBe(3)
    expect(keysWithAlias(fx.srv, 'rr-c')[0].spend).toBe(3)
  })

  it('rotating twice on the same day names the second old key -2', async () => {
    fx.srv.addKey({key_alias: 'rr-d', max_budget: 5})
    expect((await rotate(['rr-d', '--replace', '--grace', '1h', '--json'])).exitCode).toBe(0)
    const second = await rotate(['rr-d', '--replace', '--json'])
    expect(second.exitCode).toBe(0)
    expect(second.result!.previousAlias).toBe(`rr-d-rotated-${DAY}-2`)
    expect(family('rr-d').map((k) => k.key_alias).sort()).toEqual(['rr-d', `rr-d-rotated-${DAY}`, `rr-d-rotated-${DAY}-2`])
  })

  it('a key without an alias is refused before anything changes', async () => {
    const {token} = fx.srv.addKey({max_budget: 5})
    const r = await rotate([token, '--replace'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/has no alias/)
    expect(fx.srv.requests.filter((q) => q.method === 'POST')).toEqual([])
  })

  // Each case stops the first run at one step (a lost or refused answer); the second run must finish it.
  const stops: Array<[string, Fault[]]> = [
    ['the mint is lost and so is the check after it', [{method: 'POST', path: '/key/generate', kind: 'reset'}, {method: 'GET', path: '/key/list', kind: 'status503', times: 3, skip: 2}]],
    ['the mint happened but its answer and the check were lost', [{method: 'POST', path: '/key/generate', kind: 'reset', after: true}, {method: 'GET', path: '/key/list', kind: 'status503', times: 3, skip: 2}]],
    ['the old key was renamed but the answer was lost', [{method: 'POST', path: '/key/update', kind: 'reset', after: true}]],
    ['renaming the old key was refused', [{method: 'POST', path: '/key/update', kind: 'status503'}]],
    ['the new key got the alias but the answer was lost', [{method: 'POST', path: '/key/update', kind: 'reset', after: true, skip: 1}]],
    ['giving the new key the alias was refused', [{method: 'POST', path: '/key/update', kind: 'status503', skip: 1}]],
    ['blocking the old key was lost', [{method: 'POST', path: '/key/block', kind: 'reset', after: true}]],
  ]
  it.each(stops.map(([name, faults], i) => [name, faults, i] as const))('stopped when %s: a second run finishes with exactly one new key holding the alias', async (_name, faults, i) => {
    const alias = `rr-stop-${i}`
    const {key: oldKey, token: oldHash} = fx.srv.addKey({key_alias: alias, max_budget: 10, budget_duration: '30d'})
    fx.srv.setSpend(alias, 2)
    for (const f of faults) fx.srv.fault(f)
    const first = await rotate([alias, '--replace'], {KEYWARD_RETRIES: '1'})
    expect(first.exitCode).toBe(6)
    expect(first.stdout).toBe('')
    expect(first.stderr).toMatch(/Run the same command again to finish it/)
    // The secret waits in a file only the user can read.
    const files = await rotationFiles()
    expect(files).toEqual([`${oldHash}.json`])
    const stat = await fs.stat(path.join(fx.dir, 'rotations', files[0]))
    expect(stat.mode & 0o777).toBe(0o600)
    const saved = JSON.parse(await fs.readFile(path.join(fx.dir, 'rotations', files[0]), 'utf8')) as {secret: string}
    fx.srv.clearFaults()

    const second = await rotate([alias, '--replace'])
    expect(second.exitCode).toBe(0)
    expect(second.stderr).toMatch(/Finishing the rotation of/)
    const newKey = second.result!.key
    expect(newKey).toBe(saved.secret)
    expect(count(second.stdout, newKey)).toBe(1)
    // Exactly one new key (holding the alias) and the old one, renamed and blocked.
    const keys = family(alias)
    expect(keys.map((k) => k.key_alias).sort()).toEqual([alias, `${alias}-rotated-${DAY}`])
    expect(keysWithAlias(fx.srv, alias)[0].token).toBe(hashKey(newKey))
    expect(keysWithAlias(fx.srv, alias)[0].spend).toBe(2)
    expect(keysWithAlias(fx.srv, `${alias}-rotated-${DAY}`)[0]).toMatchObject({token: oldHash, blocked: true})
    expect(await accepted(fx.srv, oldKey)).toBe(401)
    expect(await rotationFiles()).toEqual([])
  })

  it('without --replace on an unlicensed proxy, the refusal suggests --replace', async () => {
    fx.srv.addKey({key_alias: 'rr-ent', max_budget: 5})
    const r = await rotate(['rr-ent', '--grace', '1h'])
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toContain('keys rotate "rr-ent" --replace --grace 1h')
  })
})
