/** src/api/undici.ts: the lean undici keyward uses, against the test server. */
import {describe, expect, it} from '@jest/globals'

import {Agent, closePool, request} from '../../src/api/undici.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})

describe('closePool', () => {
  it('closes a pool with an idle keep-alive socket without building a stack trace for it, then restores the limit', async () => {
    const agent = new Agent()
    const res = await request(`${fx.srv.url}/health/liveliness`, {dispatcher: agent})
    await res.body.text()
    expect(res.statusCode).toBe(200)
    // Every stack trace formatted while the pool closes, with the number of frames it had.
    const formatted: Array<{message: string; frames: number}> = []
    const before = Error.prepareStackTrace
    Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
      formatted.push({message: err.message, frames: frames.length})
      return `${err.name}: ${err.message}`
    }
    const limit = Error.stackTraceLimit
    try {
      await closePool(agent)
    } finally {
      Error.prepareStackTrace = before
    }
    // Node's streams read the stack of the error undici destroys the idle socket with…
    expect(formatted.map((f) => f.message)).toContain('The client is destroyed')
    // …which, made while the pool closes, has no frames to work out.
    expect(formatted.every((f) => f.frames === 0)).toBe(true)
    expect(Error.stackTraceLimit).toBe(limit)
    expect(agent.closed).toBe(true)
  })

  it('restores the limit and reports nothing when closing fails', async () => {
    const limit = Error.stackTraceLimit
    await expect(closePool({close: () => Promise.reject(new Error('no'))} as never)).resolves.toBeUndefined()
    expect(Error.stackTraceLimit).toBe(limit)
  })
})
