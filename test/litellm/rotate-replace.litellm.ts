/**
 * #15 against a real LiteLLM proxy (run by test/litellm/run.mjs): `status` reads the real version and
 * checks it against the advisories, `keys rotate` is refused without a licence (and suggests --replace),
 * `keys rotate --replace` works with open-source endpoints, also when its first run is cut off. Rows are
 * checked in LiteLLM's own PostgreSQL.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {createHash} from 'node:crypto'
import {existsSync, promises as fs} from 'node:fs'
import {createServer, request as httpRequest, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {http, realProxy, sql, type RealProxy, json} from './real-proxy.js'

let proxy: RealProxy
let tmp: string
const run = Date.now().toString(36)
const alias = (name: string) => `kwr-${run}-${name}`
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const today = () => new Date().toISOString().slice(0, 10)

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  proxy = realProxy()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-rotate-'))
})
afterAll(async () => {
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const kw = (args: string[], url = proxy.url): Promise<SpawnResult> =>
  runBin(args, {env: envFor({url, masterKey: proxy.masterKey}, tmp), timeoutMs: 120_000})
type Row = {token: string; key_alias: string | null; spend: number; max_budget: number | null; expires: Date | null; blocked: boolean | null; models: string[]}
const rows = (prefix: string) =>
  sql<Row>(proxy.databaseUrl, 'SELECT token, key_alias, spend, max_budget, expires, blocked, models FROM "LiteLLM_VerificationToken" WHERE key_alias = $1 OR key_alias LIKE $2 ORDER BY key_alias', [prefix, `${prefix}-%`])

/**
 * In front of the real proxy: forwards everything, but for the `cutAt`-th POST /key/update it lets the
 * proxy apply the request and then drops the connection, as a network cut would.
 */
async function cuttingProxy(cutAt: number): Promise<{url: string; close: () => Promise<void>}> {
  const target = new URL(proxy.url)
  let updates = 0
  const server: Server = createServer((req, res) => {
    const cut = req.method === 'POST' && req.url === '/key/update' && ++updates === cutAt
    const up = httpRequest({host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers}, (answer) => {
      if (cut) {
        answer.resume()
        answer.on('end', () => req.socket.destroy())
        return
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    up.on('error', () => req.socket.destroy())
    req.pipe(up)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))}
}

describe('status: security advisories', () => {
  it('reads the real version (from /health/readiness/details) and finds no advisory for it; --strict exits 0', async () => {
    const r = await kw(['status', '--strict', '--json', '--timeout', '120'])
    expect(r.exitCode).toBe(0)
    const s = json(r)
    expect(s).toMatchObject({version: proxy.version, versionSource: 'readiness/details', advisories: []})
    const openapi = await http(proxy, 'GET', '/openapi.json', proxy.masterKey)
    // The fallback source agrees: LiteLLM puts its release in the OpenAPI document's info.version.
    expect(openapi.body.info.version).toBe(proxy.version)
  })
})

describe('keys rotate --replace', () => {
  it('plain keys rotate is Enterprise-only on this proxy: exit 6, nothing changed, --replace suggested', async () => {
    const name = alias('ent')
    expect((await kw(['keys', 'create', '--alias', name, '--budget', '5', '--json'])).exitCode).toBe(0)
    const before = await rows(name)
    const r = await kw(['keys', 'rotate', name])
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toMatch(/Enterprise feature/)
    expect(r.stderr).toContain(`keys rotate "${name}" --replace`)
    expect(await rows(name)).toEqual(before)
  })

  it('replaces a key: one new key holds the alias with the same settings and the spend carried; the old one expires after --grace', async () => {
    const name = alias('full')
    const created = json(await kw(['keys', 'create', '--alias', name, '--budget', '10', '--period', '30d', '--models', 'gpt-4o-mini', '--json']))
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_VerificationToken" SET spend = 4 WHERE token = $1', [created.details.hash])
    const started = Date.now()
    const r = await kw(['keys', 'rotate', name, '--replace', '--grace', '1h', '--json'])
    expect(r.exitCode).toBe(0)
    const out = json(r)
    expect(out).toMatchObject({rotated: 'replaced', alias: name, previousHash: created.details.hash, carriedSpend: 7, graceShare: 3})
    const [now, old] = await rows(name)
    expect(now).toMatchObject({key_alias: name, token: sha256(out.key), spend: 7, max_budget: 10, models: ['gpt-4o-mini']})
    expect(old).toMatchObject({key_alias: `${name}-rotated-${today()}`, token: created.details.hash, max_budget: 7})
    expect(Math.abs(old.expires!.getTime() - (started + 3600_000))).toBeLessThan(120_000)
    expect((await rows(name)).length).toBe(2)
    // Both secrets are accepted during the grace period.
    expect((await http(proxy, 'GET', '/key/info', out.key)).status).toBe(200)
    expect((await http(proxy, 'GET', '/key/info', created.key)).status).toBe(200)
  })

  it.each([
    ['renaming the old key', 1, []],
    ['giving the new key the alias', 2, ['--grace', '2h']],
  ])('cut off after %s, then run again: exactly one new key holds the alias and one old key is blocked or expiring', async (_step, cutAt, grace) => {
    const name = alias(`cut${cutAt}`)
    const created = json(await kw(['keys', 'create', '--alias', name, '--budget', '5', '--json']))
    const cutter = await cuttingProxy(cutAt)
    let first: SpawnResult
    try {
      first = await kw(['keys', 'rotate', name, '--replace', ...grace], cutter.url)
    } finally {
      await cutter.close()
    }
    expect(first.exitCode).toBe(6)
    expect(first.stdout).toBe('')
    expect(first.stderr).toMatch(/Run the same command again to finish it/)
    const second = await kw(['keys', 'rotate', name, '--replace', ...grace, '--json'])
    expect(second.exitCode).toBe(0)
    const out = json(second)
    expect(out.resumed).toBe(true)
    const all = await rows(name)
    expect(all.map((x) => x.key_alias)).toEqual([name, `${name}-rotated-${today()}`])
    expect(all[0].token).toBe(sha256(out.key))
    expect(all[1].token).toBe(created.details.hash)
    if (grace.length === 0) {
      expect(all[1].blocked).toBe(true)
      expect((await http(proxy, 'GET', '/key/info', created.key)).status).toBe(401)
    } else {
      expect(all[1].blocked).not.toBe(true)
      expect(all[1].expires!.getTime() - Date.now()).toBeGreaterThan(3600_000)
      expect(all[1].expires!.getTime() - Date.now()).toBeLessThanOrEqual(2 * 3600_000)
      expect((await http(proxy, 'GET', '/key/info', created.key)).status).toBe(200)
    }
    expect((await http(proxy, 'GET', '/key/info', out.key)).status).toBe(200)
  })
})
