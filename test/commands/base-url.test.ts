/** Issue 12 item 1: an OpenAI-style base URL (…/v1), a server that is not LiteLLM, an empty 404. */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import KeysList from '../../src/commands/keys/list.js'
import Status from '../../src/commands/status.js'
import {runCommand, type Env} from '../helpers/run-command.js'
import {envFor, useTestServers} from '../helpers/test-server.js'
import type {StatusResult} from '../../src/contracts/status.js'

const fx = useTestServers({srv: {flavor: 'new'}})
/** Answers every request with an empty 404 (a plain web server, a wrong port). */
let empty404: http.Server
/** A FastAPI-style app that is not LiteLLM: `{"detail":"Not Found"}` for every path. */
let otherApi: http.Server
const urlOf = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`

async function listen(handler: http.RequestListener): Promise<http.Server> {
  const s = http.createServer(handler)
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return s
}

beforeAll(async () => {
  fx.srv.addKey({key_alias: 'alpha', max_budget: 5, budget_duration: '30d'})
  empty404 = await listen((_req, res) => res.writeHead(404).end())
  otherApi = await listen((_req, res) => res.writeHead(404, {'content-type': 'application/json'}).end('{"detail":"Not Found"}'))
})
afterAll(async () => {
  await Promise.all([empty404, otherApi].map((s) => new Promise((r) => s.close(r))))
})

/** The test server's master key, sent to `url`. */
const env = (url: string, extra: Env = {}): Env => envFor({url, masterKey: fx.srv.masterKey}, fx.dir, extra)

describe('a base URL ending in /v1', () => {
  it('status strips it, says so once on stderr, and is ok', async () => {
    const r = await runCommand<StatusResult>(Status, [], env(`${fx.srv.url}/v1`))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({baseUrl: fx.srv.url, verdict: 'ok'})
    expect(r.stderr.match(/\/v1/g)).toHaveLength(2) // the URL given and the word "/v1" in one line
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(`using ${fx.srv.url}`)
  })

  it('keys list with --base-url …/v1/ works, and --json keeps stdout pure', async () => {
    const r = await runCommand(KeysList, ['--base-url', `${fx.srv.url}/v1/`, '--json'], env(fx.srv.url))
    expect(r.exitCode).toBe(0)
    expect(() => JSON.parse(r.stdout)).not.toThrow()
    expect(r.stderr).toMatch(/\/v1/)
    expect(fx.srv.requests.every((q) => !q.path.startsWith('/v1/key'))).toBe(true)
  })
})

describe('not a LiteLLM proxy: exit 6 everywhere', () => {
  it('status against an empty-404 server says "not a LiteLLM proxy", exit 6', async () => {
    const r = await runCommand<StatusResult>(Status, [], env(urlOf(empty404)))
    expect(r.exitCode).toBe(6)
    expect(r.result?.problems.join('\n')).toMatch(/not a LiteLLM proxy/)
  })

  it('status against another FastAPI app (JSON 404 for every path) is exit 6, not 4', async () => {
    const r = await runCommand<StatusResult>(Status, [], env(urlOf(otherApi)))
    expect(r.exitCode).toBe(6)
    expect(r.result?.problems.join('\n')).toMatch(/not a LiteLLM proxy/)
  })

  it('keys list against an empty 404: not a LiteLLM proxy, exit 6, with a suggestion about the URL', async () => {
    const r = await runCommand(KeysList, [], env(urlOf(empty404)))
    expect(r.exitCode).toBe(6)
    expect(r.stderr).toMatch(/^Error: not a LiteLLM proxy: .*empty HTTP 404/m)
    expect(r.stderr).toMatch(/Try this:\n.*LITELLM_PROXY_URL/)
    expect(r.stderr).not.toMatch(/Error: HTTP 404/)
  })

  it('keys list against a JSON route-404: names the route and suggests the proxy root URL', async () => {
    const r = await runCommand(KeysList, [], env(`${urlOf(otherApi)}/api`))
    expect(r.exitCode).toBe(4)
    expect(r.stderr).toMatch(/GET \/key\/list/)
    expect(r.stderr).toMatch(/root URL/)
  })
})
