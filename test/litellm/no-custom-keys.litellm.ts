/**
 * A hardened real LiteLLM proxy that refuses client-chosen key values (disable_custom_api_keys: in
 * general_settings on 1.108, a UI setting in LiteLLM_UISettings on 1.94): keys create and keys rotate
 * --replace still mint keys (the proxy generates the secret) and the key printed works. This file starts
 * its own proxy of the suite's version with that setting (startOwnProxy), beside the suite's.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {createHash} from 'node:crypto'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {chatBody, http, sql, startOwnProxy, type OwnProxy, type RealProxy, json} from './real-proxy.js'

let own: OwnProxy | undefined
let proxy: RealProxy
let tmp: string
const run = Date.now().toString(36)
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const REFUSAL = 'Custom API key values are disabled by your administrator. Keys must be auto-generated.'

/** Where each version reads the setting: 1.108 from general_settings, 1.94 from its UI settings. */
const older = (v: string) => {
  const [a, b] = v.split('.').map(Number)
  return a! < 1 || (a === 1 && b! < 108)
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-nocustom-'))
  const version = process.env.KEYWARD_LITELLM_VERSION ?? ''
  own = await startOwnProxy({general: {disable_custom_api_keys: true}, ...(older(version) ? {ui: {disable_custom_api_keys: true}} : {})})
  proxy = own.proxy
}, 900_000)
afterAll(async () => {
  await own?.stop()
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
}, 120_000)

const kw = (args: string[]): Promise<SpawnResult> =>
  runBin(args, {env: envFor(proxy, tmp), timeoutMs: 120_000})
const tokens = (alias: string) => sql<{token: string; metadata: Record<string, unknown>}>(proxy.databaseUrl, 'SELECT token, metadata FROM "LiteLLM_VerificationToken" WHERE key_alias = $1', [alias])

/** The key works: it reads its own row, and the proxy serves it a (mock) completion. */
async function works(key: string, alias: string): Promise<void> {
  const info = await http(proxy, 'GET', '/key/info', key)
  expect(info.status).toBe(200)
  expect(info.body.info.key_alias).toBe(alias)
  const chat = await http(proxy, 'POST', '/chat/completions', key, chatBody('gpt-4o-mini'))
  expect(chat.status).toBe(200)
}

describe('a proxy with disable_custom_api_keys', () => {
  it('refuses a key value with 403 and mints nothing (what keyward recognises)', async () => {
    const alias = `nck-${run}-raw`
    const r = await http(proxy, 'POST', '/key/generate', proxy.masterKey, {key_alias: alias, key: `sk-${'a'.repeat(32)}`})
    expect(r.status).toBe(403)
    // HTTPException(403, detail={"error": ...}) through handle_exception_on_proxy, as the test server answers it;
    // param is the string "None" on 1.94.3 and null on 1.108.0 (openai_error_param)
    const param = older(proxy.version) ? 'None' : null
    expect(r.body).toEqual({error: {message: `{'error': '${REFUSAL}'}`, type: 'internal_server_error', param, code: '403'}})
    expect(await tokens(alias)).toEqual([])
  })

  it('keys create --alias x --budget 5: the proxy generates the secret; printed once, it works, no marker left', async () => {
    const alias = `nck-${run}-create`
    const r = await kw(['keys', 'create', '--alias', alias, '--budget', '5', '--json'])
    expect(r.exitCode).toBe(0)
    const out = json(r)
    expect(out.created).toBe(true)
    const key = out.key as string
    expect(r.stderr).not.toContain(key)
    const rows = await tokens(alias)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token).toBe(sha256(key))
    expect(rows[0]!.metadata).not.toHaveProperty('keyward_create_id')
    await works(key, alias)
  })

  it('keys rotate x: regenerate is Enterprise-only here, refused before the key value is looked at (exit 6, nothing changed)', async () => {
    const alias = `nck-${run}-rot`
    const made = json(await kw(['keys', 'create', '--alias', alias, '--budget', '5', '--json']))
    const r = await kw(['keys', 'rotate', alias])
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toContain('Enterprise')
    expect((await tokens(alias))[0]!.token).toBe(sha256(made.key))
  })

  it('keys rotate x --replace: the new key gets the proxy\'s secret, printed once; it works and holds the alias', async () => {
    const alias = `nck-${run}-rr`
    const made = json(await kw(['keys', 'create', '--alias', alias, '--budget', '5', '--json']))
    const r = await kw(['keys', 'rotate', alias, '--replace', '--json'])
    expect(r.exitCode).toBe(0)
    const out = json(r)
    const key = out.key as string
    expect(key).not.toBe(made.key)
    const rows = await tokens(alias)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token).toBe(sha256(key))
    expect(rows[0]!.metadata).not.toHaveProperty('keyward_create_id')
    await works(key, alias)
    // the old secret is blocked
    expect((await http(proxy, 'POST', '/chat/completions', made.key, chatBody('gpt-4o-mini'))).status).not.toBe(200)
  })
})
