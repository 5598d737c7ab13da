/**
 * A proxy with `disable_custom_api_keys` (the test server's `disableCustomApiKeys`, answering as LiteLLM's
 * `_check_custom_key_allowed` does): keyward's own secret is refused with 403, so the proxy generates it.
 * keys create, keys rotate, keys rotate --replace and openclaw connect still work; a lost answer never
 * leaves two keys, nor a key nobody knows about.
 */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import KeysCreate from '../../../src/commands/keys/create.js'
import KeysRotate from '../../../src/commands/keys/rotate.js'
import Connect from '../../../src/commands/openclaw/connect.js'
import {LiteLLMClient} from '../../../src/api/client.js'
import {createKeySafely} from '../../../src/workflows/key-create.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
// The server's own sha256: the expected token must not come from the code under test.
import {hashKey, type TestServer} from '../../server/index.js'
import {keysWithAlias, NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import {envFor as openclawEnv} from '../openclaw/helpers.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {CreateResult, ReplaceResult, RotateResult} from '../../../src/contracts/keys.js'
import type {ConnectResult} from '../../../src/contracts/openclaw.js'

const fx = useTestServers({srv: {flavor: 'new', features: {disableCustomApiKeys: true, regenerate: true}}}, {now: NOW})

const SK = /sk-[A-Za-z0-9_-]{20,}/g
const REFUSED = "{'error': 'Custom API key values are disabled by your administrator. Keys must be auto-generated.'}"
const run = async <T>(cmd: Parameters<typeof runCommand>[0], argv: string[], extra: Env = {}) =>
  withoutNodeWarnings(await runCommand<T>(cmd, argv, fx.env(fx.srv, extra)))
const generates = () => requestsTo(fx.srv, 'POST', '/key/generate').map((r) => r.body as Record<string, any>)
const accepted = (srv: TestServer, k: string) => fetch(`${srv.url}/key/info`, {headers: {authorization: `Bearer ${k}`}}).then((res) => res.status)
const once = (text: string, needle: string) => text.split(needle).length - 1

describe('the test server with disableCustomApiKeys', () => {
  it('refuses a key value with LiteLLM\'s 403 and mints nothing; without one it generates the secret', async () => {
    const post = (body: unknown) => fetch(`${fx.srv.url}/key/generate`, {method: 'POST', headers: {authorization: `Bearer ${fx.srv.masterKey}`, 'content-type': 'application/json'}, body: JSON.stringify(body)})
    const refused = await post({key_alias: 'srv-custom', key: 'sk-my-own-secret-0123456789abcdef'})
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({error: {message: REFUSED, type: 'internal_server_error', param: 'None', code: '403'}})
    expect(keysWithAlias(fx.srv, 'srv-custom')).toEqual([])
    const made = await post({key_alias: 'srv-custom'})
    expect(made.status).toBe(200)
    const {key} = (await made.json()) as {key: string}
    expect(keysWithAlias(fx.srv, 'srv-custom')[0]!.token).toBe(hashKey(key))
  })
})

describe('keys create on a proxy that generates secrets itself', () => {
  it('falls back to a proxy-generated secret: printed once, it is the key; one 403, one key, said once on stderr', async () => {
    const r = await run<CreateResult>(KeysCreate, ['--alias', 'nc-create', '--budget', '5'])
    expect(r.exitCode).toBe(0)
    const key = r.result!.key!
    expect(once(r.stdout, key)).toBe(1)
    expect(r.stderr).not.toMatch(SK)
    expect(once(r.stderr, 'disable_custom_api_keys')).toBe(1)
    const [first, second] = generates()
    expect(generates()).toHaveLength(2)
    expect(first!.key).toMatch(/^sk-/)
    expect(second!.key).toBeUndefined()
    expect(second!.metadata.keyward_create_id).toMatch(/^kwc-[0-9a-f]{24}$/)
    const rows = keysWithAlias(fx.srv, 'nc-create')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token).toBe(hashKey(key))
    expect(rows[0]).toMatchObject({max_budget: 5, budget_duration: '30d'})
    // The marker did its job once the secret was in hand: removed, in the proxy and in what is shown.
    expect(rows[0]!.metadata).toEqual({})
    expect(r.stdout).not.toContain('keyward_create_id')
    expect(await accepted(fx.srv, key)).toBe(200)
  })

  it('remembers the refusal for the rest of the run: a second create sends no key and gets no 403', async () => {
    const client = new LiteLLMClient({baseUrl: fx.srv.url, apiKey: fx.srv.masterKey, timeoutMs: 10_000})
    const notes: string[] = []
    const a = await createKeySafely(client, {key_alias: 'nc-run-a', max_budget: 1}, {onNote: (l) => notes.push(l)})
    const b = await createKeySafely(client, {key_alias: 'nc-run-b', max_budget: 1}, {onNote: (l) => notes.push(l)})
    expect(generates().map((g) => g.key === undefined)).toEqual([false, true, true])
    expect(notes.filter((n) => n.includes('disable_custom_api_keys'))).toHaveLength(1)
    expect(keysWithAlias(fx.srv, 'nc-run-a')[0]!.token).toBe(hashKey(a.key))
    expect(keysWithAlias(fx.srv, 'nc-run-b')[0]!.token).toBe(hashKey(b.key))
    expect(a.generated && b.generated).toBe(true)
  })

  it('a lost answer: the key the proxy minted (secret unknown) is found by its marker and deleted; exit 6, nothing printed; a rerun works', async () => {
    // The proxy mints the key, then the connection drops before its answer arrives.
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'reset', after: true, skip: 1})
    const r = await run<CreateResult>(KeysCreate, ['--alias', 'nc-lost', '--budget', '5'])
    expect(r.exitCode).toBe(6)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('nothing usable was minted')
    expect(r.stderr).toContain('Run the same command again')
    expect(keysWithAlias(fx.srv, 'nc-lost')).toEqual([])
    expect(requestsTo(fx.srv, 'POST', '/key/delete')).toHaveLength(1)
    const again = await run<CreateResult>(KeysCreate, ['--alias', 'nc-lost', '--budget', '5', '--quiet'])
    expect(again.exitCode).toBe(0)
    expect(keysWithAlias(fx.srv, 'nc-lost')[0]!.token).toBe(hashKey(again.stdout.trim()))
  })

  it('a first create lost before it reached the proxy, the resend refused with the 403: the proxy generates the secret; one key', async () => {
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'reset'})
    const r = await run<CreateResult>(KeysCreate, ['--alias', 'nc-resend', '--budget', '5', '--quiet'])
    expect(r.exitCode).toBe(0)
    expect(generates().map((g) => g.key === undefined)).toEqual([false, false, true])
    const rows = keysWithAlias(fx.srv, 'nc-resend')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token).toBe(hashKey(r.stdout.trim()))
  })

  it('a lost answer and a failing check: names the alias and the marker to delete by hand; exit 6', async () => {
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'reset', after: true, skip: 1})
    // the first /key/list is the alias check before the create; every one after the loss fails
    fx.srv.fault({path: '/key/list', method: 'GET', kind: 'status503', times: 20, skip: 1})
    const r = await run<CreateResult>(KeysCreate, ['--alias', 'nc-unsure', '--budget', '5', '--json'])
    expect(r.exitCode).toBe(6)
    const [row] = keysWithAlias(fx.srv, 'nc-unsure')
    const marker = (row!.metadata as Record<string, string>).keyward_create_id!
    const error = JSON.parse(r.stdout).error
    expect(error.message).toContain("a key 'nc-unsure' may have been minted whose secret nobody will ever see")
    expect(error.suggestions.join('\n')).toContain(`keyward_create_id=${marker}`)
    expect(error.suggestions.join('\n')).toContain('keys delete "nc-unsure" --yes')
    expect(r.stdout).not.toMatch(SK)
  })
})

describe('keys rotate on a proxy that generates secrets itself', () => {
  it('retries without new_key after the 403 (which changed nothing); the new secret is printed once and works', async () => {
    const {key: oldKey, token: oldHash} = fx.srv.addKey({key_alias: 'nc-rot', max_budget: 5, budget_duration: '30d'})
    const r = await run<RotateResult>(KeysRotate, ['nc-rot'])
    expect(r.exitCode).toBe(0)
    const key = r.result!.key
    expect(once(r.stdout, key)).toBe(1)
    const sent = requestsTo(fx.srv, 'POST', `/key/${oldHash}/regenerate`).map((q) => q.body as Record<string, unknown>)
    expect(sent.map((b) => typeof b.new_key)).toEqual(['string', 'undefined'])
    expect(keysWithAlias(fx.srv, 'nc-rot')[0]!.token).toBe(hashKey(key))
    expect(await accepted(fx.srv, key)).toBe(200)
    expect(await accepted(fx.srv, oldKey)).toBe(401)
  })

  it('a lost answer: says the key was rotated, its new secret unknown, and to rotate again; exit 6; rotating again works', async () => {
    const {key: oldKey, token: oldHash} = fx.srv.addKey({key_alias: 'nc-rot-lost', max_budget: 5, budget_duration: '30d'})
    fx.srv.fault({path: `/key/${oldHash}/regenerate`, method: 'POST', kind: 'reset', after: true, skip: 1})
    const r = await run<RotateResult>(KeysRotate, ['nc-rot-lost'])
    expect(r.exitCode).toBe(6)
    expect(r.stdout).not.toMatch(SK)
    expect(r.stderr).toContain('the key was rotated (the old secret no longer works)')
    expect(r.stderr).toContain('nobody knows it')
    expect(r.stderr).toContain('keyward keys rotate "nc-rot-lost"')
    expect(await accepted(fx.srv, oldKey)).toBe(401)
    const again = await run<RotateResult>(KeysRotate, ['nc-rot-lost', '--quiet'])
    expect(again.exitCode).toBe(0)
    expect(keysWithAlias(fx.srv, 'nc-rot-lost')[0]!.token).toBe(hashKey(again.stdout.trim()))
  })

  it('a lost answer the proxy never applied: says it was not rotated so far; exit 6', async () => {
    const {key: oldKey, token: oldHash} = fx.srv.addKey({key_alias: 'nc-rot-not', max_budget: 5, budget_duration: '30d'})
    fx.srv.fault({path: `/key/${oldHash}/regenerate`, method: 'POST', kind: 'reset', skip: 1})
    const r = await run<RotateResult>(KeysRotate, ['nc-rot-not'])
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toContain('the old key still exists, so it was not rotated so far')
    expect(await accepted(fx.srv, oldKey)).toBe(200)
  })
})

describe('keys rotate --replace on a proxy that generates secrets itself', () => {
  it('the new key gets the proxy\'s secret, which is printed once, works and holds the alias; the record is gone', async () => {
    const {key: oldKey} = fx.srv.addKey({key_alias: 'nc-rr', max_budget: 10, budget_duration: '30d', metadata: {owner: 'ci'}})
    const r = await run<ReplaceResult>(KeysRotate, ['nc-rr', '--replace'])
    expect(r.exitCode).toBe(0)
    const key = r.result!.key
    expect(once(r.stdout, key)).toBe(1)
    expect(keysWithAlias(fx.srv, 'nc-rr')[0]!.token).toBe(hashKey(key))
    expect(keysWithAlias(fx.srv, 'nc-rr')[0]!.metadata).toEqual({owner: 'ci'})
    expect(r.result!.newHash).toBe(hashKey(key))
    expect(await accepted(fx.srv, key)).toBe(200)
    expect(await accepted(fx.srv, oldKey)).toBe(401)
    expect((await fs.readdir(path.join(fx.dir, 'rotations')).catch(() => [])).filter((n) => n.endsWith('.json'))).toEqual([])
  })

  it('a lost answer while minting: the unusable new key is deleted, exit 6; the same command then finishes with one new key', async () => {
    fx.srv.addKey({key_alias: 'nc-rr-lost', max_budget: 10, budget_duration: '30d'})
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'reset', after: true, skip: 1})
    const r = await run<ReplaceResult>(KeysRotate, ['nc-rr-lost', '--replace'])
    expect(r.exitCode).toBe(6)
    expect(r.stdout).not.toMatch(SK)
    expect(keysWithAlias(fx.srv, 'nc-rr-lost-rotating')).toEqual([])
    const again = await run<ReplaceResult>(KeysRotate, ['nc-rr-lost', '--replace', '--quiet'])
    expect(again.exitCode).toBe(0)
    const key = again.stdout.trim()
    expect(keysWithAlias(fx.srv, 'nc-rr-lost')[0]!.token).toBe(hashKey(key))
    expect(fx.srv.keys().filter((k) => k.key_alias?.startsWith('nc-rr-lost'))).toHaveLength(2) // the new key and the old, renamed
  })

  it('a lost answer and a failing check while minting: the next run finds the key by the rotation\'s marker, deletes it and mints once more', async () => {
    fx.srv.addKey({key_alias: 'nc-rr-orphan', max_budget: 10, budget_duration: '30d'})
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'reset', after: true, skip: 1})
    // /key/list: the alias, the free rotated alias and the temporary alias are checked first; every check after the loss fails
    fx.srv.fault({path: '/key/list', method: 'GET', kind: 'status503', times: 20, skip: 3})
    const r = await run<ReplaceResult>(KeysRotate, ['nc-rr-orphan', '--replace'])
    expect(r.exitCode).toBe(6)
    const [orphan] = keysWithAlias(fx.srv, 'nc-rr-orphan-rotating')
    const marker = (orphan!.metadata as Record<string, string>).keyward_create_id!
    expect(r.stderr).toContain(`keyward_create_id=${marker}`)
    fx.srv.clearFaults()
    const again = await run<ReplaceResult>(KeysRotate, ['nc-rr-orphan', '--replace', '--quiet'])
    expect(again.exitCode).toBe(0)
    expect(again.stderr).toContain('minted by an earlier run')
    expect(fx.srv.keys().some((k) => k.token === orphan!.token)).toBe(false)
    expect(keysWithAlias(fx.srv, 'nc-rr-orphan')[0]!.token).toBe(hashKey(again.stdout.trim()))
    expect(fx.srv.keys().filter((k) => k.key_alias?.startsWith('nc-rr-orphan'))).toHaveLength(2)
  })
})

describe('openclaw connect on a proxy that generates secrets itself', () => {
  it('mints the key with the proxy\'s secret and writes that one to .env', async () => {
    const h = path.join(fx.dir, 'home-nc')
    await fs.mkdir(path.join(h, '.openclaw'), {recursive: true, mode: 0o700})
    const r = withoutNodeWarnings(await runCommand<ConnectResult>(Connect, [], openclawEnv(fx.srv, h)))
    expect(r.exitCode).toBe(0)
    expect(r.result!.minted).toBe(true)
    const env = await fs.readFile(path.join(h, '.openclaw', '.env'), 'utf8')
    const key = /^LITELLM_API_KEY=(\S+)$/m.exec(env)![1]!
    expect(keysWithAlias(fx.srv, 'openclaw')[0]!.token).toBe(hashKey(key))
    expect(await accepted(fx.srv, key)).toBe(200)
    expect(once(r.stderr, 'disable_custom_api_keys')).toBe(1)
  })
})
