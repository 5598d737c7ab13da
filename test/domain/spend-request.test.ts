import {describe, expect, it} from '@jest/globals'

import {errorOf, errorTypeOf, isEmptyPayload, messagesOf, requestDetails, shorten} from '../../src/domain/spend-request.js'

const base = {request_id: 'r1', startTime: '2026-11-20T10:00:00.000Z', endTime: '2026-11-20T10:00:02.000Z'}

describe('spend-request', () => {
  it('reads LiteLLM error_information (object or JSON text metadata)', () => {
    const info = {error_class: 'RateLimitError', error_message: 'slow down', error_code: '429', llm_provider: 'openai'}
    expect(errorOf({...base, metadata: {error_information: info}})).toEqual({type: 'RateLimitError', message: 'slow down', statusCode: '429', provider: 'openai'})
    expect(errorOf({...base, metadata: JSON.stringify({error_information: info})})?.type).toBe('RateLimitError')
    expect(errorOf({...base, metadata: {error_information: null}})).toBeNull()
    expect(errorTypeOf({...base, metadata: {error_information: {error_code: '500'}}})).toBe('HTTP 500')
    expect(errorTypeOf({...base, metadata: {}})).toBe('(no error details)')
  })

  it('an empty payload column is {} or "{}" (store_prompts_in_spend_logs off)', () => {
    for (const v of [null, undefined, {}, '{}', '', [], 'null']) expect(isEmptyPayload(v)).toBe(true)
    for (const v of [[{role: 'user'}], {a: 1}, 'text']) expect(isEmptyPayload(v)).toBe(false)
  })

  it('the prompt comes from proxy_server_request when messages is empty', () => {
    expect(messagesOf({messages: {}, proxy_server_request: {messages: [{role: 'user', content: 'hi'}]}})).toEqual([{role: 'user', content: 'hi'}])
    expect(messagesOf({messages: [{role: 'user', content: 'a'}], proxy_server_request: {messages: [{role: 'user', content: 'b'}]}})).toEqual([{role: 'user', content: 'a'}])
  })

  it('time to first token only for a streamed success; latency from request_duration_ms, else end - start', () => {
    expect(requestDetails({...base, completionStartTime: '2026-11-20T10:00:00.300Z'})).toMatchObject({ttftMs: 300, latencyMs: 2000})
    expect(requestDetails({...base, completionStartTime: base.endTime}).ttftMs).toBeNull()
    expect(requestDetails({...base, status: 'failure', completionStartTime: '2026-11-20T10:00:00.300Z'}).ttftMs).toBeNull()
    expect(requestDetails({...base, request_duration_ms: 1234}).latencyMs).toBe(1234)
    // Timestamps without a zone are UTC.
    expect(requestDetails({...base, startTime: '2026-11-20T10:00:00', endTime: '2026-11-20T10:00:01'}).latencyMs).toBe(1000)
  })

  it('shorten keeps at most so many lines and characters and counts the rest', () => {
    expect(shorten('abc', 10, 5)).toEqual({text: 'abc', omittedChars: 0})
    expect(shorten('a\nb\nc\nd', 100, 2)).toEqual({text: 'a\nb', omittedChars: 4})
    expect(shorten('x'.repeat(50), 10, 5)).toEqual({text: 'x'.repeat(10), omittedChars: 40})
  })
})
