/** `keyward openclaw status` against the test server, in-process, with a temporary HOME. */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import Connect from '../../../src/commands/openclaw/connect.js'
import Status from '../../../src/commands/openclaw/status.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {envFor as sharedEnv} from './helpers.js'
import {forgetRequests, useTestServers} from '../../helpers/test-server.js'
import type {TestServer} from '../../server/index.js'
import type {OpenClawStatusResult} from '../../../src/contracts/openclaw.js'

/** Server and CLI share a pinned clock: with the real one, a run across midnight on the 1st lets the
 * proxy's reset job zero the spend set below between `connect` and `status`. */
const NOW = new Date('2026-11-18T10:20:00Z')

const fx = useTestServers({srv: {flavor: 'new'}, other: {flavor: 'new'}}, {now: NOW})

let n = 0
async function newHome(): Promise<string> {
  const h = path.join(fx.dir, `home-${++n}`)
  await fs.mkdir(h)
  return h
}

const envFor = (s: TestServer, h: string, extra: Env = {}): Env => sharedEnv(s, h, {KEYWARD_NOW: NOW.toISOString(), ...extra})

describe('openclaw status', () => {
  it("shows the provider, the primary model, and the key's budget after connect", async () => {
    const h = await newHome()
    expect((await runCommand(Connect, ['--alias', 'oc-status', '--budget', '40'], envFor(fx.srv, h))).exitCode).toBe(0)
    fx.srv.setSpend('oc-status', 12.5)
    const key = /^LITELLM_API_KEY=(\S+)$/m.exec(await fs.readFile(path.join(h, '.openclaw', '.env'), 'utf8'))![1]!

    // No admin key needed: status reads with OpenClaw's own key.
    const r = await runCommand<OpenClawStatusResult>(Status, [], envFor(fx.srv, h, {LITELLM_MASTER_KEY: undefined}))
    expect(r.exitCode).toBe(0)
    const res = r.result!
    expect(res).toMatchObject({connected: true, configFound: true, primary: 'litellm/claude-opus-4-6', checkedAt: fx.srv.url})
    expect(res.provider).toEqual({baseUrl: fx.srv.url, api: 'openai-completions', apiKey: '${LITELLM_API_KEY}', models: ['claude-opus-4-6', 'gpt-4o', 'gemini-2.5-pro']})
    expect(res.key).toMatchObject({variable: 'LITELLM_API_KEY', source: '.env', valid: true, alias: 'oc-status'})
    expect(res.budget).toMatchObject({spent: 12.5, budget: 40, remaining: 27.5, period: 'monthly', status: 'active'})
    expect(fx.srv.keys().find((k) => k.key_alias === 'oc-status')!.budget_reset_at).toBe('2026-12-01T00:00:00+00:00')
    expect(res.budget!.resetAt).toBe('2026-12-01T00:00:00.000Z')
    expect(r.stdout).toContain('$12.50 of $40.00')
    expect(r.stdout).toContain('$27.50')
    expect(r.stdout).toContain('works')
    expect(r.stdout + r.stderr).not.toContain(key)

    const j = await runCommand(Status, ['--json'], envFor(fx.srv, h))
    expect(JSON.parse(j.stdout).budget.remaining).toBe(27.5)
  })

  it("checks the key against the proxy OpenClaw points at, not keyward's", async () => {
    const h = await newHome()
    expect((await runCommand(Connect, ['--alias', 'oc-where'], envFor(fx.srv, h))).exitCode).toBe(0)
    forgetRequests(fx.other)
    // keyward is pointed elsewhere; OpenClaw's config still says srv.
    const r = await runCommand<OpenClawStatusResult>(Status, [], envFor(fx.other, h, {LITELLM_MASTER_KEY: undefined}))
    expect(r.exitCode).toBe(0)
    expect(r.result?.checkedAt).toBe(fx.srv.url)
    expect(r.result?.key.valid).toBe(true)
    expect(fx.other.requests).toHaveLength(0)
  })

  it('falls back to LITELLM_API_KEY from the environment, and exits 3 when the key is rejected', async () => {
    const h = await newHome()
    await fs.mkdir(path.join(h, '.openclaw'))
    const cfg = `{models: {providers: {litellm: {baseUrl: "${fx.srv.url}/v1", apiKey: "\${LITELLM_API_KEY}", api: "openai-completions", models: []}}}}`
    await fs.writeFile(path.join(h, '.openclaw', 'openclaw.json'), cfg)
    const {key} = fx.srv.addKey({key_alias: 'oc-env', max_budget: 5, budget_duration: '30d', spend: 5})
    const ok = await runCommand<OpenClawStatusResult>(Status, ['--json'], envFor(fx.srv, h, {LITELLM_API_KEY: key}))
    expect(ok.exitCode).toBe(0)
    const res = JSON.parse(ok.stdout) as OpenClawStatusResult
    expect(res.key).toMatchObject({source: 'environment', valid: true})
    expect(res.budget).toMatchObject({spent: 5, budget: 5, remaining: 0, status: 'over-budget'})
    expect(res.checkedAt).toBe(fx.srv.url)

    const bad = await runCommand<OpenClawStatusResult>(Status, [], envFor(fx.srv, h, {LITELLM_API_KEY: 'sk-nope-nope-nope-0000'}))
    expect(bad.exitCode).toBe(3)
    expect(bad.result?.key.valid).toBe(false)
    expect(bad.stdout).toContain('rejected')
    expect(bad.stdout + bad.stderr).not.toContain('sk-nope-nope-nope-0000')
  })

  it('exits 4 without a config, and 2 for a config that does not parse', async () => {
    const h = await newHome()
    const none = await runCommand<OpenClawStatusResult>(Status, [], envFor(fx.srv, h))
    expect(none.exitCode).toBe(4)
    expect(none.result).toMatchObject({configFound: false, connected: false})
    expect(none.stdout).toContain('openclaw connect')

    await fs.mkdir(path.join(h, '.openclaw'))
    await fs.writeFile(path.join(h, '.openclaw', 'openclaw.json'), '{\n  agents: {defaults: }\n}\n')
    const broken = await runCommand(Status, [], envFor(fx.srv, h))
    expect(broken.exitCode).toBe(2)
    expect(broken.stderr).toMatch(/line 2, column \d+/)
  })
})
