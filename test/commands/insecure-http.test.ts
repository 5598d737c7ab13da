/** #11 item 4: plain http:// to a host that is not this machine: a warning once per run; login refuses. */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import KeysList from '../../src/commands/keys/list.js'
import {isInsecureUrl, isLoopbackHost} from '../../src/io/settings.js'
import {ROOT, runCommand} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {envFor, useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before these tests')
})

// A name that never resolves (RFC 2606): nothing leaves the machine, but it is not loopback.
const REMOTE = 'http://litellm.invalid:4000'
const WARNING = 'warning: litellm.invalid:4000 is reached over plain http://: the key crosses the network unencrypted. Use https:// for a proxy that is not on this machine.'

describe('plain http', () => {
  it('loopback is every spelling of this machine, nothing else', () => {
    for (const h of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'app.localhost']) expect(isLoopbackHost(h)).toBe(true)
    for (const h of ['litellm.example', '10.0.0.1', '192.0.2.2', '127.0.0.1.nip.io', 'localhost.evil.com', '[fd00::2]']) expect(isLoopbackHost(h)).toBe(false)
    expect(isInsecureUrl('https://litellm.example')).toBe(false)
    expect(isInsecureUrl('http://litellm.example')).toBe(true)
  })

  it('every command warns once on stderr when a key goes over http:// to another host', async () => {
    const r = await runCommand(KeysList, ['--timeout', '2'], envFor({url: REMOTE, masterKey: 'sk-remote-0000'}, fx.dir))
    expect(r.stderr.split('\n').filter((l) => l === WARNING)).toHaveLength(1)
    expect(r.exitCode).toBe(6)
    const json = await runCommand(KeysList, ['--timeout', '2', '--json'], envFor({url: REMOTE, masterKey: 'sk-remote-0000'}, fx.dir))
    expect(json.stderr).toContain(WARNING)
    expect(() => JSON.parse(json.stdout)).not.toThrow()
  })

  it('no warning for loopback', async () => {
    const r = await runCommand(KeysList, [], fx.env(fx.srv))
    expect(r.exitCode).toBe(0)
    expect(r.stderr).not.toContain('plain http')
  })

  it('login refuses a plain http:// URL to another host unless --allow-insecure-http, reading and sending nothing', async () => {
    const r = await runBin(['login', '--base-url', REMOTE], {stdin: 'sk-remote-master-1234\n', env: {KEYWARD_CONFIG_DIR: fx.dir, KEYWARD_DATA_DIR: fx.dir}})
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('Error: refusing to send the master key to litellm.invalid:4000 over plain http:// (unencrypted, and not this machine)')
    expect(r.stderr).toContain('--allow-insecure-http')
    expect(existsSync(path.join(fx.dir, 'config.json'))).toBe(false)
    const ok = await runBin(['login', '--base-url', REMOTE, '--allow-insecure-http', '--no-verify'], {stdin: 'sk-remote-master-1234\n', env: {KEYWARD_CONFIG_DIR: fx.dir, KEYWARD_DATA_DIR: fx.dir}})
    expect(ok.exitCode).toBe(0)
    expect(JSON.parse(await fs.readFile(path.join(fx.dir, 'config.json'), 'utf8')).profiles.default.baseUrl).toBe(REMOTE)
  })
})
