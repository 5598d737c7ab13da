/** The `openclaw connect` workflow against the test server, with OpenClaw's files in a temporary folder. */
import {describe, expect, it} from '@jest/globals'
import {createHash} from 'node:crypto'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {LiteLLMClient} from '../../src/api/client.js'
import {connectOpenClaw, type ConnectContext} from '../../src/workflows/openclaw-connect.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
const NOW = new Date()
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const generates = () => fx.srv.requests.filter((r) => r.method === 'POST' && r.path === '/key/generate')

function context(lines: string[] = []): ConnectContext {
  const client = (key: string) => new LiteLLMClient({baseUrl: fx.srv.url, apiKey: key, timeoutMs: 5000})
  return {
    admin: client(fx.srv.masterKey),
    clientFor: client,
    baseUrl: fx.srv.url,
    env: {PATH: ''},
    now: NOW,
    bin: 'keyward',
    notes: {warn: (l) => void lines.push(`warn: ${l}`), note: (l) => void lines.push(`note: ${l}`)},
  }
}

let n = 0
async function folder(): Promise<{config: string; env: string}> {
  const dir = path.join(fx.dir, `oc-${++n}`)
  await fs.mkdir(dir)
  return {config: path.join(dir, 'openclaw.json'), env: path.join(dir, '.env')}
}

describe('connectOpenClaw', () => {
  it('mints a key sent as 30d, writes it to .env and the provider to the config; a second run changes nothing', async () => {
    const f = await folder()
    const {result, uncertain} = await connectOpenClaw(context(), {alias: 'wf-mint', budget: 7, config: f.config})
    expect(uncertain).toBe(false)
    expect(result).toMatchObject({minted: true, keySource: 'minted', configChanged: true, envChanged: true, budget: 7, period: 'monthly', backupPath: null})
    const key = /^LITELLM_API_KEY=(\S+)$/m.exec(await fs.readFile(f.env, 'utf8'))![1]!
    const row = fx.srv.keys().find((k) => k.key_alias === 'wf-mint')!
    expect(row).toMatchObject({token: sha256(key), budget_duration: '30d', max_budget: 7})
    expect(await fs.readFile(f.config, 'utf8')).toContain(fx.srv.url)

    const again = await connectOpenClaw(context(), {alias: 'wf-mint', config: f.config})
    expect(again.result).toMatchObject({minted: false, keySource: 'existing', changed: false})
    expect(generates()).toHaveLength(1)
  })

  it('--dry-run: the diff, nothing minted, no file written', async () => {
    const f = await folder()
    const {result} = await connectOpenClaw(context(), {alias: 'wf-dry', config: f.config, dryRun: true})
    expect(result).toMatchObject({keySource: 'would-mint', minted: false, dryRun: true, budget: 50, period: 'monthly'})
    expect(result.diff).toMatch(/^--- \/dev\/null/)
    expect(generates()).toHaveLength(0)
    expect(await fs.readdir(path.dirname(f.config))).toEqual([])
  })

  it('a config path through a file: a usage error before anything is minted', async () => {
    const f = await folder()
    const blocker = path.join(path.dirname(f.config), 'not-a-folder')
    await fs.writeFile(blocker, '')
    const config = path.join(blocker, 'openclaw.json')
    await expect(connectOpenClaw(context(), {alias: 'wf-blocked', config})).rejects.toMatchObject({kind: 'usage', message: expect.stringMatching(/not a folder; nothing was minted/)})
    expect(generates()).toHaveLength(0)
  })

  it('the alias exists and OpenClaw holds no working key for it: a conflict, nothing changed', async () => {
    fx.srv.addKey({key_alias: 'wf-taken', max_budget: 5})
    const f = await folder()
    await expect(connectOpenClaw(context(), {alias: 'wf-taken', config: f.config})).rejects.toMatchObject({kind: 'conflict'})
    expect(await fs.readdir(path.dirname(f.config))).toEqual([])
  })
})
