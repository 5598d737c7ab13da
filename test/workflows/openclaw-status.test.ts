/** The `openclaw status` workflow against the test server: which key OpenClaw uses, and its budget. */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {LiteLLMClient} from '../../src/api/client.js'
import {openClawStatus, type OpenClawStatusContext} from '../../src/workflows/openclaw-status.js'
import {useTestServers} from '../helpers/test-server.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const fx = useTestServers({srv: {flavor: 'new'}}, {now: NOW})

const context = (env: Record<string, string | undefined> = {}): OpenClawStatusContext => ({
  clientFor: (key, baseUrl) => new LiteLLMClient({baseUrl: baseUrl ?? fx.srv.url, apiKey: key, timeoutMs: 5000}),
  baseUrl: fx.srv.url,
  env: {PATH: '', ...env},
  now: NOW,
  bin: 'keyward',
})

let n = 0
async function openclaw(envKey?: string): Promise<string> {
  const dir = path.join(fx.dir, `st-${++n}`)
  await fs.mkdir(dir)
  const config = path.join(dir, 'openclaw.json')
  await fs.writeFile(config, `{models: {providers: {litellm: {baseUrl: "${fx.srv.url}/v1", apiKey: "\${LITELLM_API_KEY}", api: "openai-completions", models: [{id: "gpt-4o"}]}}}}`)
  if (envKey) await fs.writeFile(path.join(dir, '.env'), `LITELLM_API_KEY=${envKey}\n`)
  return config
}

describe('openClawStatus', () => {
  it("reads the key from OpenClaw's .env and shows its budget against the proxy OpenClaw points at", async () => {
    const {key} = fx.srv.addKey({key_alias: 'st-ok', max_budget: 40, budget_duration: '30d'})
    fx.srv.setSpend('st-ok', 10)
    const {result, exitCode} = await openClawStatus(context(), {config: await openclaw(key)})
    expect(exitCode).toBe(0)
    expect(result.key).toMatchObject({source: '.env', valid: true, alias: 'st-ok', variable: 'LITELLM_API_KEY'})
    expect(result.budget).toMatchObject({spent: 10, budget: 40, remaining: 30})
    expect(result.checkedAt).toBe(fx.srv.url)
    expect(result.problems).toEqual([])
  })

  it('a different key in the environment wins; the .env one is checked too and the sentence says which has budget', async () => {
    const used = fx.srv.addKey({key_alias: 'st-spent', max_budget: 5})
    fx.srv.setSpend('st-spent', 5)
    const ignored = fx.srv.addKey({key_alias: 'st-full', max_budget: 5})
    const {result, exitCode} = await openClawStatus(context({LITELLM_API_KEY: used.key}), {config: await openclaw(ignored.key)})
    expect(exitCode).toBe(0)
    expect(result.key).toMatchObject({source: 'environment', alias: 'st-spent'})
    expect(result.otherKeys).toEqual([expect.objectContaining({source: '.env', alias: 'st-full', valid: true, remaining: 5})])
    expect(result.problems.at(-1)).toMatch(/Only the ignored one has budget: unset \$LITELLM_API_KEY\.$/)
  })

  it('no config: exit 4; a rejected key: exit 3', async () => {
    expect((await openClawStatus(context(), {config: path.join(fx.dir, 'none', 'openclaw.json')})).exitCode).toBe(4)
    const rejected = await openClawStatus(context(), {config: await openclaw('sk-not-a-key-on-this-proxy-0000')})
    expect(rejected.exitCode).toBe(3)
    expect(rejected.result.key.valid).toBe(false)
  })
})
