/** #11 item 16: a redirect is named for what it is, never followed, never "try again in a moment". */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import KeysList from '../../src/commands/keys/list.js'
import {runCommand} from '../helpers/run-command.js'
import {startHostileServer, type HostileServer} from '../helpers/hostile-server.js'
import {envFor} from '../helpers/test-server.js'

let moved: HostileServer
let tmp: string
beforeAll(async () => {
  moved = await startHostileServer((req, res) => {
    const relative = req.url?.includes('relative')
    res.writeHead(req.url?.startsWith('/rel') ? 302 : 301, {location: req.url?.startsWith('/rel') ? '/login?next=%2F' : `https://litellm.example.com${relative ? '' : req.url}`, 'content-type': 'text/html'})
    res.end('<html><body>Moved</body></html>')
  })
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-redirect-'))
})
afterAll(async () => {
  await moved.close()
  await fs.rm(tmp, {recursive: true, force: true})
})

describe('a redirecting proxy', () => {
  it('says where it redirected and that keyward does not follow it; exit 6; one request', async () => {
    moved.seen.length = 0
    const r = await runCommand(KeysList, [], envFor({url: moved.url, masterKey: 'sk-redirect-0000'}, tmp))
    expect(r.exitCode).toBe(6)
    expect(r.stderr.split('\n')[0]).toBe('Error: the proxy redirected GET /key/list to https://litellm.example.com (HTTP 301); keyward does not follow redirects with the master key')
    expect(r.stderr).toContain('--base-url https://litellm.example.com')
    expect(r.stderr).not.toContain('Try again in a moment')
    // Not retried: a redirect is not a passing failure.
    expect(moved.seen.filter((s) => s.url.startsWith('/key/list'))).toHaveLength(1)
  })

  it('a redirect on the same host names the path; --json has kind redirect', async () => {
    const r = await runCommand(KeysList, ['--json'], envFor({url: `${moved.url}/rel`, masterKey: 'sk-redirect-0000'}, tmp))
    expect(r.exitCode).toBe(6)
    const error = JSON.parse(r.stdout).error
    expect(error).toMatchObject({kind: 'redirect', status: 302, exitCode: 6})
    expect(error.message).toBe('the proxy redirected GET /key/list to /login on the same host (HTTP 302); keyward does not follow redirects with the master key')
  })
})
