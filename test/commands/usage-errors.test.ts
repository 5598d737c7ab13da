/** Issue 12 item 12: usage errors name what is missing, point at the command's own help, and guess typos. */
import {describe, expect, it} from '@jest/globals'

import KeysDelete from '../../src/commands/keys/delete.js'
import KeysList from '../../src/commands/keys/list.js'
import Status from '../../src/commands/status.js'
import {runCommand, type Env} from '../helpers/run-command.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
const env = (extra: Env = {}): Env => fx.env(fx.srv, extra)

describe('usage errors', () => {
  it('keys delete without its argument names it and the command\'s help', async () => {
    const r = await runCommand(KeysDelete, [], env())
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: missing argument <key>: the key to delete/m)
    expect(r.stderr).toContain('keyward keys delete --help')
    expect(fx.srv.requests).toHaveLength(0)
  })

  it('--json: the same error as JSON, naming the argument', async () => {
    const r = await runCommand(KeysDelete, ['--json'], env())
    expect(r.exitCode).toBe(2)
    const e = JSON.parse(r.stdout) as {error: {message: string; suggestions: string[]}}
    expect(e.error.message).toMatch(/missing argument <key>/)
    expect(e.error.suggestions.join('\n')).toContain('keyward keys delete --help')
  })

  it('a mistyped flag gets "did you mean --sort"', async () => {
    const r = await runCommand(KeysList, ['--sortt', 'spent'], env())
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: unknown flag --sortt/m)
    expect(r.stderr).toContain('Did you mean --sort?')
    expect(r.stderr).toContain('keyward keys list --help')
  })

  it('KEYWARD_TIMEOUT=abc is refused like --timeout abc, before any request', async () => {
    const flag = await runCommand(Status, ['--timeout', 'abc'], env())
    const fromEnv = await runCommand(Status, [], env({KEYWARD_TIMEOUT: 'abc'}))
    expect(flag.exitCode).toBe(2)
    expect(fromEnv.exitCode).toBe(2)
    expect(fromEnv.stderr).toMatch(/^Error: invalid KEYWARD_TIMEOUT 'abc': use a number of seconds/m)
    expect(fx.srv.requests).toHaveLength(0)
    const ok = await runCommand(Status, [], env({KEYWARD_TIMEOUT: '2.5'}))
    expect(ok.exitCode).toBe(0)
  })
})
