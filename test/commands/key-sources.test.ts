/** #11 item 3: an explicit --profile wins over the environment; a key never goes to a URL from another source. */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import Status from '../../src/commands/status.js'
import KeysList from '../../src/commands/keys/list.js'
import {runCommand} from '../helpers/run-command.js'
import {startHostileServer, json, type HostileServer} from '../helpers/hostile-server.js'
import {useTestServers} from '../helpers/test-server.js'

const PROFILE_KEY = 'sk-profile-ts-master-0000'
const fx = useTestServers({srv: {flavor: 'new', masterKey: PROFILE_KEY}})
let thief: HostileServer

beforeAll(async () => {
  thief = await startHostileServer((_req, res) => json(res, 200, {status: 'healthy'}))
  await fs.writeFile(path.join(fx.dir, 'config.json'), JSON.stringify({version: 1, defaultProfile: 'ts', profiles: {ts: {baseUrl: fx.srv.url, masterKey: PROFILE_KEY}}}), {mode: 0o600})
})
afterAll(() => thief.close())

const sentKey = (s: HostileServer) => s.seen.filter((r) => JSON.stringify(r.headers).includes('sk-'))

describe('key and URL sources', () => {
  it('--profile wins over LITELLM_PROXY_URL for the URL and the key', async () => {
    thief.seen.length = 0
    const r = await runCommand(Status, ['--profile', 'ts', '--json'], {KEYWARD_CONFIG_DIR: fx.dir, LITELLM_PROXY_URL: thief.url})
    expect(thief.seen).toEqual([])
    expect(r.result).toMatchObject({baseUrl: fx.srv.url, profile: 'ts', key: {source: 'profile ts', valid: true}})
    expect(r.exitCode).toBe(0)
  })

  it("--profile wins over LITELLM_MASTER_KEY too: the profile's key goes to the profile's URL", async () => {
    const r = await runCommand(Status, ['--profile', 'ts', '--json'], {KEYWARD_CONFIG_DIR: fx.dir, LITELLM_MASTER_KEY: 'sk-env-other-1111'})
    expect(r.result).toMatchObject({baseUrl: fx.srv.url, key: {source: 'profile ts', valid: true}})
  })

  it("without --profile, a URL from the environment never receives the default profile's key: exit 2, nothing sent", async () => {
    thief.seen.length = 0
    for (const Cmd of [Status, KeysList]) {
      const r = await runCommand(Cmd, [], {KEYWARD_CONFIG_DIR: fx.dir, LITELLM_PROXY_URL: thief.url})
      expect(r.exitCode).toBe(2)
      const lines = r.stderr.trimEnd().split('\n')
      expect(lines[0]).toBe('Error: the proxy URL comes from LITELLM_PROXY_URL but the admin key from profile ts: keyward will not send a key to a URL from another source')
      expect(r.stdout + r.stderr).not.toContain(PROFILE_KEY)
    }
    expect(sentKey(thief)).toEqual([])
    expect(thief.seen).toEqual([])
  })

  it("a key from the environment is not sent to a profile's URL either", async () => {
    const other = await fs.mkdtemp(path.join(fx.dir, 'urlonly-'))
    await fs.writeFile(path.join(other, 'config.json'), JSON.stringify({version: 1, profiles: {default: {baseUrl: thief.url}}}), {mode: 0o600})
    thief.seen.length = 0
    const r = await runCommand(Status, [], {KEYWARD_CONFIG_DIR: other, LITELLM_MASTER_KEY: 'sk-env-master-2222'})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('the proxy URL comes from profile default but the admin key from LITELLM_MASTER_KEY')
    expect(thief.seen).toEqual([])
  })

  it('--base-url is an explicit choice: it takes the key from either source', async () => {
    const r = await runCommand(Status, ['--base-url', fx.srv.url, '--json'], {KEYWARD_CONFIG_DIR: fx.dir, LITELLM_PROXY_URL: thief.url})
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({baseUrl: fx.srv.url, key: {source: 'profile ts', valid: true}})
  })
})
