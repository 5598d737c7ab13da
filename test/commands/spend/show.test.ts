import {beforeAll, describe, expect, it} from '@jest/globals'

import SpendLogsShow from '../../../src/commands/spend/logs/show.js'
import type {ShowRequestResult} from '../../../src/contracts/spend-debug.js'
import {requestDetails} from '../../../src/domain/spend-request.js'
import {renderRequest} from '../../../src/output/spend-request.js'
import {runCommand} from '../../helpers/run-command.js'
import {useTestServers} from '../../helpers/test-server.js'
import {hashKey, type SpendLogSeedRow, type TestServer} from '../../server/index.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEY = 'sk-test-openclaw-0000000001'
const LONG = 'x'.repeat(5000)
const ROWS: SpendLogSeedRow[] = [
  {
    request_id: 'chatcmpl-stored',
    startTime: '2026-11-20T10:00:00.000Z',
    endTime: '2026-11-20T10:00:02.500Z',
    completionStartTime: '2026-11-20T10:00:00.400Z',
    api_key: hashKey(KEY),
    model: 'gpt-4o-mini',
    model_group: 'gpt-4o-mini',
    prompt_tokens: 12,
    completion_tokens: 34,
    spend: 0.00123,
    request_tags: ['agent'],
    user: 'alice',
    metadata: {user_api_key_alias: 'openclaw'},
    messages: [{role: 'user', content: `hello \u001b]0;pwned\u0007 ${LONG}`}],
    response: {choices: [{message: {role: 'assistant', content: 'Hi from the model'}}]},
    proxy_server_request: {model: 'gpt-4o-mini'},
  },
  {
    request_id: 'chatcmpl-failed',
    startTime: '2026-11-20T11:00:00.000Z',
    endTime: '2026-11-20T11:00:00.200Z',
    api_key: hashKey(KEY),
    model: 'gpt-4o',
    status: 'failure',
    metadata: {
      user_api_key_alias: 'openclaw',
      error_information: {error_class: 'RateLimitError', error_message: 'litellm.RateLimitError: slow \u001b[31mdown\u001b[0m', error_code: '429', llm_provider: 'openai'},
    },
  },
  // LiteLLM 1.108.0's shape: `messages` stays {} and the prompt is in the request body it kept;
  // completionStartTime equals endTime when the answer was not streamed.
  {
    request_id: 'chatcmpl-1108',
    startTime: '2026-11-20T10:30:00.000Z',
    endTime: '2026-11-20T10:30:00.448Z',
    completionStartTime: '2026-11-20T10:30:00.448Z',
    messages: {},
    response: {choices: [{message: {role: 'assistant', content: 'Hello from a mock'}}]},
    proxy_server_request: {model: 'gpt-4o-mini', messages: [{role: 'user', content: 'hi there'}]},
  },
]

describe('spend logs show', () => {
  const fx = useTestServers({new: {flavor: 'new', logs: {rows: ROWS}}, old: {flavor: 'old', logs: {rows: ROWS}}, nolegacy: {flavor: 'new', logs: {rows: ROWS}, features: {legacySpendLogs: false}}}, {now: NOW})
  beforeAll(() => {
    for (const srv of [fx.new, fx.old, fx.nolegacy]) srv.addKey({key: KEY, key_alias: 'openclaw', max_budget: 50})
  })
  const show = (srv: TestServer, args: string[]) => runCommand<ShowRequestResult>(SpendLogsShow, args, fx.env(srv))
  const spendLogCalls = (srv: TestServer) => srv.requests.filter((r) => r.path.startsWith('/spend/'))

  it.each(['new', 'old'] as const)('finds a request by id with one request to the proxy (%s flavour) and shows it sanitised', async (flavor) => {
    const srv = fx[flavor]
    const res = await show(srv, ['chatcmpl-stored'])
    expect(res.exitCode).toBe(0)
    const calls = spendLogCalls(srv)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({path: '/spend/logs', query: {request_id: 'chatcmpl-stored'}})
    expect(calls[0]!.query.start_date).toBeUndefined()
    expect(res.stdout).toMatch(/Key:\s+openclaw \(sk-\.\.\./)
    expect(res.stdout).toMatch(/Model asked:\s+gpt-4o-mini/)
    expect(res.stdout).toMatch(/Tokens:\s+12 in, 34 out, 46 total/)
    expect(res.stdout).toMatch(/First token:\s+400 ms after the start/)
    expect(res.stdout).toMatch(/Latency:\s+2\.50 s/)
    expect(res.stdout).toContain('user: hello \\e]0;pwned\\u0007')
    expect(res.stdout).toContain('Hi from the model')
    expect(res.stdout).not.toContain('\u001b')
    expect(res.result!.request.payload!.messages).toEqual(ROWS[0]!.messages)
  })

  it('shows a failure: error type, message and status code', async () => {
    const res = await show(fx.new, ['chatcmpl-failed'])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).toMatch(/Status:\s+FAILED/)
    expect(res.stdout).toMatch(/Error:\s+RateLimitError \(HTTP 429\)/)
    expect(res.stdout).toContain('litellm.RateLimitError: slow \\e[31mdown\\e[0m')
    expect(res.stdout).toContain('did not store this request\'s messages')
    expect(res.stdout).toContain('store_prompts_in_spend_logs: true')
    expect(res.result!.request.error).toEqual({type: 'RateLimitError', message: 'litellm.RateLimitError: slow \u001b[31mdown\u001b[0m', statusCode: '429', provider: 'openai'})
    expect(res.result!.request.payloadStored).toBe(false)
  })

  it('without the legacy lookup: one filtered page of /spend/logs/v2 in a bounded window, then /spend/logs/ui/{id}', async () => {
    const res = await show(fx.nolegacy, ['chatcmpl-stored', '--at', '2026-11-20T10:05:00Z'])
    expect(res.exitCode).toBe(0)
    const calls = spendLogCalls(fx.nolegacy)
    expect(calls.map((c) => c.path)).toEqual(['/spend/logs', '/spend/logs/v2', '/spend/logs/ui/chatcmpl-stored'])
    expect(calls[1]!.query).toMatchObject({request_id: 'chatcmpl-stored', start_date: '2026-11-20 09:50:00', end_date: '2026-11-20 10:20:00', page: '1'})
    expect(res.result).toMatchObject({via: 'spend-logs-v2', request: {requestId: 'chatcmpl-stored', payloadStored: true}})
    expect(res.stdout).toContain('Hi from the model')
  })

  it('reads the prompt from the kept request body when the messages column is empty (LiteLLM 1.108.0)', async () => {
    const res = await show(fx.new, ['chatcmpl-1108'])
    expect(res.exitCode).toBe(0)
    expect(res.stdout).toContain('user: hi there')
    expect(res.stdout).toContain('Hello from a mock')
    expect(res.stdout).toMatch(/First token:\s+- \(not streamed\)/)
  })

  it('a terminal gets long messages shortened, with a note; --full shows all', () => {
    const d = requestDetails({...ROWS[0]!, startTime: '2026-11-20T10:00:00.000Z'} as never)
    const short = renderRequest(d, {full: false})
    expect(short).toMatch(/… [\d,]+ more characters \(--full shows all, --json gives it raw\)/)
    expect(short.length).toBeLessThan(3000)
    const full = renderRequest(d, {full: true})
    expect(full).toContain(LONG)
    expect(full).not.toContain('more characters')
  })

  it('an unknown id is exit 4 with a hint about the batch writer', async () => {
    const res = await show(fx.new, ['chatcmpl-nope'])
    expect(res.exitCode).toBe(4)
    expect(res.stderr).toContain("no request 'chatcmpl-nope'")
    expect(res.stderr).toContain('proxy_batch_write_at')
  })

  it('--json carries the payload raw', async () => {
    const res = await show(fx.new, ['chatcmpl-stored', '--json'])
    expect(res.exitCode).toBe(0)
    const doc = JSON.parse(res.stdout) as ShowRequestResult
    expect(doc.request.payload!.messages).toEqual(ROWS[0]!.messages)
    expect(doc.request.keyAlias).toBe('openclaw')
  })
})
