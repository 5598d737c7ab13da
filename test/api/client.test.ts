/**
 * LiteLLMClient over real HTTP: the LiteLLM-compatible test server for auth, retries, faults and timeouts;
 * a tiny ad-hoc node:http server where an exact error body is needed (litellm-api.md §2).
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {z} from 'zod'

import {backoffMs, LiteLLMClient, parseRetryAfter, type ClientOptions} from '../../src/api/client.js'
import {normaliseError, unwrapMessage} from '../../src/api/error-body.js'
import {KeywardError} from '../../src/core/errors.js'
import {KeyInfoSchema, KeyListSchema} from '../../src/core/wire.js'
import {ExitCode} from '../../src/core/exit-codes.js'
import {freePort} from '../helpers/free-port.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
let sleeps: number[]
let debugLines: string[]

function client(over: Partial<ClientOptions> = {}): LiteLLMClient {
  return new LiteLLMClient({
    baseUrl: fx.srv.url,
    apiKey: fx.srv.masterKey,
    timeoutMs: 5000,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    onDebug: (l) => void debugLines.push(l),
    ...over,
  })
}

const hits = (method: string, path: string) => fx.srv.requests.filter((r) => r.method === method && r.path === path).length

async function failure(p: Promise<unknown>): Promise<KeywardError> {
  try {
    await p
  } catch (error) {
    expect(error).toBeInstanceOf(KeywardError)
    return error as KeywardError
  }
  throw new Error('expected the request to fail')
}

beforeEach(() => {
  sleeps = []
  debugLines = []
})

describe('requests', () => {
  it('sends Authorization: Bearer <key> and parses the JSON answer through the schema', async () => {
    fx.srv.addKey({key_alias: 'bearer-check', max_budget: 5})
    const res = await client().get('/key/list', {return_full_object: 'true', key_alias: 'bearer-check'}, KeyListSchema)
    expect(res.keys).toHaveLength(1)
    const req = fx.srv.requests.at(-1)!
    expect(req.headers.authorization).toBe(`Bearer ${fx.srv.masterKey}`)
    expect(req.query).toMatchObject({return_full_object: 'true', key_alias: 'bearer-check'})
    expect(req.headers['user-agent']).toBe('keyward')
  })

  it('sends the key in a custom header when one is configured (litellm_key_header_name)', async () => {
    await client({keyHeader: 'X-LiteLLM-Api-Key'}).get('/key/list', undefined, KeyListSchema)
    const req = fx.srv.requests.at(-1)!
    expect(req.headers['x-litellm-api-key']).toBe(`Bearer ${fx.srv.masterKey}`)
    expect(req.headers.authorization).toBeUndefined()
  })

  it('sends no key on public routes (auth: false)', async () => {
    const res = await client().request('GET', '/health/liveliness', {auth: false})
    expect(res.body).toBe("I'm alive!")
    expect(fx.srv.requests.at(-1)!.headers.authorization).toBeUndefined()
  })

  it('keeps a path prefix and drops trailing slashes in the base URL; encodes the query', () => {
    const c = new LiteLLMClient({baseUrl: 'http://proxy.example:4000/litellm//', timeoutMs: 1000})
    expect(c.baseUrl).toBe('http://proxy.example:4000/litellm')
    expect(c.url('/key/info', {key: 'a b&c', skip: undefined, none: null, models: ['x', 'y'], n: 2, flag: true})).toBe(
      'http://proxy.example:4000/litellm/key/info?key=a+b%26c&models=x&models=y&n=2&flag=true',
    )
  })

  it('POSTs JSON with a content type', async () => {
    const res = await client().request('POST', '/key/generate', {body: {key_alias: 'post-json', max_budget: 1}})
    expect((res.body as {key_alias: string}).key_alias).toBe('post-json')
    const req = fx.srv.requests.at(-1)!
    expect(req.headers['content-type']).toBe('application/json')
    expect(req.body).toEqual({key_alias: 'post-json', max_budget: 1})
  })
})

describe('retries', () => {
  it('retries a GET on 503 with backoff and jitter, then succeeds (3 requests, 2 waits)', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'status503', times: 2})
    const res = await client().get('/key/list', undefined, KeyListSchema)
    expect(Array.isArray(res.keys)).toBe(true)
    expect(hits('GET', '/key/list')).toBe(3)
    // random() = 0.5: half the cap plus half of the other half; the cap doubles per attempt.
    expect(sleeps).toEqual([188, 375])
    expect(debugLines.some((l) => /-> 503; retrying in 188 ms \(attempt 2 of 3\)/.test(l))).toBe(true)
  })

  it('gives up after 3 tries and reports a server error (exit 6)', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'status503', times: 5})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(hits('GET', '/key/list')).toBe(3)
    expect(sleeps).toHaveLength(2)
    expect(err.kind).toBe('server')
    expect(err.status).toBe(503)
    expect(err.exitCode).toBe(ExitCode.PROXY)
    expect(err.message).toContain('DB not connected')
  })

  it.each(['status502', 'status504'] as const)('retries a gateway page (%s) and names it when it persists', async (kind) => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind, times: 3})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(hits('GET', '/key/list')).toBe(3)
    expect(err.kind).toBe('server')
    expect(err.message).toMatch(/unavailable: HTTP 50[24] from a gateway \(GET \/key\/list\)/)
  })

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'status429', retryAfter: 7})
    await client().get('/key/list', undefined, KeyListSchema)
    expect(hits('GET', '/key/list')).toBe(2)
    expect(sleeps).toEqual([7000])
  })

  it('does not wait for a Retry-After longer than a minute: fails at once as rate limited', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'status429', retryAfter: 3600})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(hits('GET', '/key/list')).toBe(1)
    expect(sleeps).toEqual([])
    expect(err.status).toBe(429)
    expect(err.message).toMatch(/^rate limited by the proxy \(GET \/key\/list\): Rate limit exceeded/)
  })

  it('retries a GET after a connection reset', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'reset', times: 1})
    const res = await client().get('/key/list', undefined, KeyListSchema)
    expect(Array.isArray(res.keys)).toBe(true)
    expect(hits('GET', '/key/list')).toBe(2)
    expect(sleeps).toHaveLength(1)
  })

  it('reports repeated resets as a network error (exit 6)', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'reset', times: 3})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(hits('GET', '/key/list')).toBe(3)
    expect(err.kind).toBe('network')
    expect(err.exitCode).toBe(ExitCode.PROXY)
    expect(err.message).toContain(`cannot reach the proxy at ${fx.srv.url}`)
  })

  it('never retries POST /key/generate: one attempt on a 503, and no key is created', async () => {
    fx.srv.fault({method: 'POST', path: '/key/generate', kind: 'status503', times: 3})
    const err = await failure(client().post('/key/generate', {key_alias: 'once-503'}, z.object({key: z.string()})))
    expect(hits('POST', '/key/generate')).toBe(1)
    expect(sleeps).toEqual([])
    expect(err.kind).toBe('server')
    expect(fx.srv.keys().some((k) => k.key_alias === 'once-503')).toBe(false)
  })

  it('never retries POST /key/generate on a reset either (the key may have been made)', async () => {
    fx.srv.fault({method: 'POST', path: '/key/generate', kind: 'reset', after: true, times: 3})
    const err = await failure(client().post('/key/generate', {key_alias: 'once-reset'}, z.object({key: z.string()})))
    expect(hits('POST', '/key/generate')).toBe(1)
    expect(err.kind).toBe('network')
    // The proxy did create it before the connection dropped: exactly one key, never two.
    expect(fx.srv.keys().filter((k) => k.key_alias === 'once-reset')).toHaveLength(1)
  })

  it('never retries a 429 on POST', async () => {
    fx.srv.fault({method: 'POST', path: '/key/generate', kind: 'status429', retryAfter: 1})
    await failure(client().request('POST', '/key/generate', {body: {key_alias: 'once-429'}}))
    expect(hits('POST', '/key/generate')).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('does not retry client errors (401, 404)', async () => {
    const err = await failure(client({apiKey: 'sk-not-a-real-key-0000'}).get('/key/list', undefined, KeyListSchema))
    expect(err.kind).toBe('auth')
    expect(hits('GET', '/key/list')).toBe(1)
    const nf = await failure(client().get('/key/info', {key: 'sk-missing-key-1234'}, KeyInfoSchema))
    expect(nf.kind).toBe('not_found')
    expect(nf.exitCode).toBe(ExitCode.NOT_FOUND)
    expect(hits('GET', '/key/info')).toBe(1)
  })

  it('can be told not to retry a GET', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'status503', times: 3})
    await failure(client().get('/key/list', undefined, KeyListSchema, {retry: false}))
    expect(hits('GET', '/key/list')).toBe(1)
  })
})

describe('backoff and Retry-After parsing', () => {
  it('backs off exponentially with jitter between half the cap and the cap, capped at 4 s', () => {
    expect(backoffMs(1, () => 0)).toBe(125)
    expect(backoffMs(1, () => 0.999999)).toBe(250)
    expect(backoffMs(2, () => 0)).toBe(250)
    expect(backoffMs(3, () => 0.999999)).toBe(1000)
    expect(backoffMs(10, () => 0.999999)).toBe(4000)
    expect(backoffMs(10, () => 0)).toBe(2000)
  })

  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-03T10:00:00Z')
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter(['2', '9'], now)).toBe(2000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Tue, 03 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Tue, 03 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe('timeouts and network failures', () => {
  it('abandons a request after the timeout (no retry) and says how long it waited', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'slow', delayMs: 3000})
    const started = Date.now()
    const err = await failure(client({timeoutMs: 300}).get('/key/list', undefined, KeyListSchema))
    expect(Date.now() - started).toBeLessThan(2500)
    expect(err.kind).toBe('timeout')
    expect(err.exitCode).toBe(ExitCode.PROXY)
    expect(err.message).toBe(`GET /key/list timed out after 0.3 s (proxy ${fx.srv.url})`)
    expect(err.suggestions.join('\n')).toContain('--timeout')
    expect(hits('GET', '/key/list')).toBe(1)
  })

  it('accepts a per-request timeout override', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'slow', delayMs: 3000})
    const err = await failure(client({timeoutMs: 30_000}).get('/key/list', undefined, KeyListSchema, {timeoutMs: 200}))
    expect(err.kind).toBe('timeout')
    expect(err.message).toContain('0.2 s')
  })

  it('reports a refused connection as a network error after one try', async () => {
    const port = await freePort()
    const c = client({baseUrl: `http://127.0.0.1:${port}`})
    const err = await failure(c.get('/key/list', undefined, KeyListSchema))
    expect(err.kind).toBe('network')
    expect(err.exitCode).toBe(ExitCode.PROXY)
    expect(err.message).toContain(`cannot reach the proxy at http://127.0.0.1:${port}: ECONNREFUSED`)
  })

  it('turns an outer abort into "interrupted"', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'slow', delayMs: 3000})
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 100)
    const err = await failure(client().get('/key/list', undefined, KeyListSchema, {signal: ac.signal}))
    expect(err.kind).toBe('interrupted')
  })
})

describe('answers that are not LiteLLM', () => {
  it('an HTML page (captive portal, 200) is "not a LiteLLM proxy", not retried', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'html'})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(err.kind).toBe('not_litellm')
    expect(err.exitCode).toBe(ExitCode.PROXY)
    expect(err.message).toBe(`not a LiteLLM proxy: got an HTML page from ${fx.srv.url} (GET /key/list, HTTP 200)`)
    expect(hits('GET', '/key/list')).toBe(1)
  })

  it('plain text is "not a LiteLLM proxy" and says what content type came', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'nonjson'})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(err.kind).toBe('not_litellm')
    expect(err.message).toContain('not a LiteLLM proxy: got a non-JSON answer (text/plain; charset=utf-8)')
  })

  it('JSON cut off mid-way is reported as such', async () => {
    fx.srv.fault({method: 'GET', path: '/key/list', kind: 'truncated'})
    const err = await failure(client().get('/key/list', undefined, KeyListSchema))
    expect(err.kind).toBe('not_litellm')
    expect(err.exitCode).toBe(ExitCode.PROXY)
    expect(err.message).toContain('got a malformed or cut-off JSON answer')
  })
})

describe('response validation', () => {
  it('is lenient to unknown fields and strict about required ones, naming the endpoint', async () => {
    const fake = await adHoc()
    try {
      fake.reply = {status: 200, body: {key: 'sk-...abcd', info: {spend: 1, brand_new_field: {x: 1}}, extra: true}}
      const ok = await fake.client().get('/key/info', {key: 'x'}, KeyInfoSchema)
      expect(ok.info.spend).toBe(1)
      fake.reply = {status: 200, body: {info: {spend: 1}}}
      const err = await failure(fake.client().get('/key/info', {key: 'x'}, KeyInfoSchema))
      expect(err.kind).toBe('schema')
      expect(err.exitCode).toBe(ExitCode.PROXY)
      expect(err.message).toMatch(/^unexpected answer from GET \/key\/info: key: /)
      fake.reply = {status: 200, body: {keys: 'nope'}}
      const err2 = await failure(fake.client().get('/key/list', undefined, KeyListSchema))
      expect(err2.message).toMatch(/^unexpected answer from GET \/key\/list: keys: /)
    } finally {
      await fake.close()
    }
  })
})

describe('error shapes (litellm-api.md §2)', () => {
  let fake: AdHoc
  beforeAll(async () => {
    fake = await adHoc()
  })
  afterAll(async () => {
    await fake.close()
  })

  const proxyErr = (status: number, type: string, message: string, param: string | null = 'None') => ({
    status,
    body: {error: {message, type, param, code: String(status)}},
  })

  const cases: Array<{name: string; reply: Reply; kind: string; exit: number; message: string; type?: string; param?: string}> = [
    {
      name: 'no key: 401 auth_error',
      reply: proxyErr(401, 'auth_error', 'Authentication Error, No api key passed in.'),
      kind: 'auth',
      exit: ExitCode.AUTH,
      message: 'Authentication Error, No api key passed in.',
      type: 'auth_error',
    },
    {
      name: 'unknown key: 401 token_not_found_in_db',
      reply: proxyErr(401, 'token_not_found_in_db', 'Authentication Error, Invalid proxy server token passed.'),
      kind: 'auth',
      exit: ExitCode.AUTH,
      message: 'Authentication Error, Invalid proxy server token passed.',
      type: 'token_not_found_in_db',
    },
    {
      name: 'role may not: 403',
      reply: proxyErr(403, 'auth_error', 'User does not have permission'),
      kind: 'forbidden',
      exit: ExitCode.AUTH,
      message: 'User does not have permission',
    },
    {
      name: 'not found: 404 not_found_error',
      reply: proxyErr(404, 'not_found_error', 'Key not found in database', 'key'),
      kind: 'not_found',
      exit: ExitCode.NOT_FOUND,
      message: 'Key not found in database',
      param: 'key',
    },
    {
      name: 'duplicate alias: 400 bad_request_error, param key_alias',
      reply: proxyErr(400, 'bad_request_error', "Key with alias 'ci-bot' already exists. Unique key aliases across all keys are required.", 'key_alias'),
      kind: 'conflict',
      exit: ExitCode.CONFLICT,
      message: "Key with alias 'ci-bot' already exists. Unique key aliases across all keys are required.",
      param: 'key_alias',
    },
    {
      name: 'Enterprise-only (v1.96): 403 with a wrapped message',
      reply: proxyErr(403, 'auth_error', "{'error': 'This feature is only available for LiteLLM Enterprise users: tags. Go to https://www.litellm.ai/enterprise'}"),
      kind: 'enterprise_only',
      exit: ExitCode.PROXY,
      message: 'This feature is only available for LiteLLM Enterprise users: tags. Go to https://www.litellm.ai/enterprise',
    },
    {
      name: 'Enterprise-only (older): 500 premium users',
      reply: proxyErr(500, 'internal_server_error', 'Only premium users can add tags to keys. You must be a LiteLLM Enterprise user to use this feature.'),
      kind: 'enterprise_only',
      exit: ExitCode.PROXY,
      message: 'Only premium users can add tags to keys. You must be a LiteLLM Enterprise user to use this feature.',
    },
    {
      name: "validation: wrapped dict repr with single quotes",
      reply: proxyErr(400, 'internal_server_error', "{'error': 'max_budget cannot be negative. Received: -1.0'}"),
      kind: 'validation',
      exit: ExitCode.USAGE,
      message: 'max_budget cannot be negative. Received: -1.0',
    },
    {
      name: 'validation: wrapped dict repr with double quotes (the text has an apostrophe)',
      reply: proxyErr(400, 'internal_server_error', `{'error': "Invalid budget_duration 'monthly'. Use e.g. 30d"}`),
      kind: 'validation',
      exit: ExitCode.USAGE,
      message: "Invalid budget_duration 'monthly'. Use e.g. 30d",
    },
    {
      name: 'validation: wrapped repr with escaped quotes (both kinds in the text)',
      reply: proxyErr(400, 'internal_server_error', `{'error': 'it\\'s "bad"'}`),
      kind: 'validation',
      exit: ExitCode.USAGE,
      message: `it's "bad"`,
    },
    {
      name: 'FastAPI 422 list',
      reply: {
        status: 422,
        body: {detail: [{type: 'less_than_equal', loc: ['query', 'size'], msg: 'Input should be less than or equal to 100', input: '500'}]},
      },
      kind: 'validation',
      exit: ExitCode.USAGE,
      message: 'size: Input should be less than or equal to 100',
      type: 'validation_error',
    },
    {
      name: 'unwrapped endpoint: {"detail": {"error": ...}}',
      reply: {status: 400, body: {detail: {error: 'start_date and end_date are required'}}},
      kind: 'validation',
      exit: ExitCode.USAGE,
      message: 'start_date and end_date are required',
    },
    {
      name: 'detail as a plain string',
      reply: {status: 500, body: {detail: 'Internal failure in spend tracking'}},
      kind: 'server',
      exit: ExitCode.PROXY,
      message: 'Internal failure in spend tracking',
    },
    {
      name: 'no database: 500 wrapped',
      reply: proxyErr(500, 'internal_server_error', "{'error': 'DB not connected. See https://docs.litellm.ai/docs/proxy/virtual_keys'}"),
      kind: 'server',
      exit: ExitCode.PROXY,
      message: 'DB not connected. See https://docs.litellm.ai/docs/proxy/virtual_keys',
      type: 'internal_server_error',
    },
    {
      name: 'an error page in HTML on 401 (SSO in front of the proxy)',
      reply: {status: 401, body: '<html><body>Login required</body></html>', contentType: 'text/html'},
      kind: 'not_litellm',
      exit: ExitCode.PROXY,
      message: 'not a LiteLLM proxy: got an HTML page from',
    },
  ]

  it.each(cases)('$name', async ({reply, kind, exit, message, type, param}) => {
    fake.reply = reply
    const err = await failure(fake.client().get('/key/info', {key: 'x'}, KeyInfoSchema, {retry: false}))
    expect(err.kind).toBe(kind)
    expect(err.exitCode).toBe(exit)
    if (kind === 'not_litellm') expect(err.message.startsWith(message)).toBe(true)
    else expect(err.message).toBe(message)
    expect(err.status).toBe(reply.status)
    expect(err.endpoint).toBe('GET /key/info')
    if (type) expect(err.type).toBe(type)
    if (param) expect(err.param).toBe(param)
    else expect(err.param).toBeUndefined() // "None" is no param
    expect(err.toJSON()).toMatchObject({kind, exitCode: exit, status: reply.status, endpoint: 'GET /key/info'})
  })

  it('a POST that fails with a duplicate alias is a conflict (exit 5)', async () => {
    fake.reply = proxyErr(400, 'bad_request_error', "Key with alias 'x' already exists.", 'key_alias')
    const err = await failure(fake.client().post('/key/generate', {key_alias: 'x'}, z.object({key: z.string()})))
    expect(err.kind).toBe('conflict')
    expect(fake.seen.filter((s) => s.method === 'POST')).toHaveLength(1)
  })
})

describe('unwrapping LiteLLM messages', () => {
  it('unwraps the Python dict repr, undoing its escapes in one pass', () => {
    expect(unwrapMessage("{'error': 'max_budget cannot be negative. Received: -1.0'}")).toBe('max_budget cannot be negative. Received: -1.0')
    expect(unwrapMessage(`{'error': "Invalid budget_duration 'monthly'."}`)).toBe("Invalid budget_duration 'monthly'.")
    expect(unwrapMessage(String.raw`{'error': 'path C:\\tmp\\ and it\'s'}`)).toBe(String.raw`path C:\tmp\ and it's`)
    expect(unwrapMessage("  {'error': 'padded'}  ")).toBe('padded')
    // Anything else is passed through verbatim.
    expect(unwrapMessage('Key not found in database')).toBe('Key not found in database')
    expect(unwrapMessage("{'error': 'unterminated}")).toBe("{'error': 'unterminated}")
  })

  it('normalises every shape to {status, type, param, message}', () => {
    expect(normaliseError(400, {error: {message: 'm', type: 'bad_request_error', param: 'key_alias', code: '400'}})).toEqual({
      status: 400,
      type: 'bad_request_error',
      param: 'key_alias',
      message: 'm',
    })
    expect(normaliseError(401, {error: {message: 'm', type: 'auth_error', param: null, code: '401'}}).param).toBeUndefined()
    expect(normaliseError(400, {error: "{'error': 'flat'}"})).toEqual({status: 400, message: 'flat'})
    expect(normaliseError(404, {detail: 'Not Found'})).toEqual({status: 404, message: 'Not Found'})
    expect(normaliseError(422, {detail: [{loc: ['body', 'keys'], msg: 'Field required'}, {loc: ['query', 'size'], msg: 'too big'}]})).toEqual({
      status: 422,
      type: 'validation_error',
      message: 'keys: Field required; size: too big',
    })
    expect(normaliseError(500, {detail: {message: 'inner'}})).toEqual({status: 500, message: 'inner'})
    expect(normaliseError(502, null)).toEqual({status: 502, message: 'HTTP 502'})
    expect(normaliseError(500, 'Internal Server Error')).toEqual({status: 500, message: 'Internal Server Error'})
  })
})

describe('secrets stay out of errors and debug output', () => {
  it('redacts keys the proxy echoes back in its error text', async () => {
    const fake = await adHoc()
    const secret = 'sk-VerySecretMasterKey-0123456789'
    try {
      fake.reply = (headers) => proxyErr401(`Authentication Error, Malformed API Key passed in. Passed in: ${String(headers.authorization)}`)
      const err = await failure(fake.client({apiKey: secret}).get('/key/list', undefined, KeyListSchema))
      expect(err.kind).toBe('auth')
      expect(err.message).not.toContain(secret)
      expect(err.message).toContain('sk-...6789')
      expect(JSON.stringify(err.toJSON())).not.toContain(secret)
    } finally {
      await fake.close()
    }
  })

  it('debug lines never hold the master key nor a key in the query string', async () => {
    const virtual = fx.srv.addKey({key_alias: 'debug-check'})
    fx.srv.fault({method: 'GET', path: '/key/info', kind: 'status503', times: 1})
    await client().get('/key/info', {key: virtual.key}, KeyInfoSchema)
    expect(debugLines.length).toBeGreaterThanOrEqual(3)
    const all = debugLines.join('\n')
    expect(all).not.toContain(fx.srv.masterKey)
    expect(all).not.toContain(virtual.key)
    expect(all).toContain(`key=sk-...${virtual.key.slice(-4)}`)
  })

  it('redacts a master key that does not look like sk-… from debug output too', async () => {
    const odd = 'custom-master-secret-value'
    const fake = await adHoc()
    try {
      fake.reply = {status: 200, body: {keys: []}}
      const lines: string[] = []
      await fake.client({apiKey: odd, onDebug: (l) => void lines.push(l)}).get('/key/list', {note: odd}, KeyListSchema)
      expect(lines.length).toBeGreaterThan(0)
      expect(lines.join('\n')).not.toContain(odd)
      expect(fake.seen.at(-1)!.headers.authorization).toBe(`Bearer ${odd}`)
    } finally {
      await fake.close()
    }
  })
})

// --- helpers -------------------------------------------------------------------------------------

type Reply = {status: number; body: unknown; contentType?: string; headers?: Record<string, string>}
type AdHoc = {
  url: string
  reply: Reply | ((headers: IncomingHttpHeaders) => Reply)
  seen: Array<{method: string; url: string; headers: IncomingHttpHeaders}>
  client: (over?: Partial<ClientOptions>) => LiteLLMClient
  close: () => Promise<void>
}

function proxyErr401(message: string): Reply {
  return {status: 401, body: {error: {message, type: 'auth_error', param: 'None', code: '401'}}}
}

/** A one-route HTTP server answering whatever `reply` says. */
async function adHoc(): Promise<AdHoc> {
  const state: AdHoc = {
    url: '',
    reply: {status: 200, body: {}},
    seen: [],
    client: (over = {}) => client({baseUrl: state.url, ...over}),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      state.seen.push({method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers})
      const r = typeof state.reply === 'function' ? state.reply(req.headers) : state.reply
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
      res.writeHead(r.status, {'content-type': r.contentType ?? 'application/json', ...r.headers})
      res.end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

