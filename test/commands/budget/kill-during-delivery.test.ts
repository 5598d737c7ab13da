/**
 * #11 item 15: a budget check killed (kill -9) while an alert is in flight. The alert was recorded as
 * "delivering" before the POST; the next run takes the stale lock over, sends it again with the same
 * idempotency id (payload and Idempotency-Key header) and says so: at-least-once, never silently.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import BudgetCheck from '../../../src/commands/budget/check.js'
import {ROOT, runCommand} from '../../helpers/run-command.js'
import {pinnedEnv} from '../../helpers/spawn.js'
import {json, startHostileServer, type HostileServer} from '../../helpers/hostile-server.js'
import {useTestServers} from '../../helpers/test-server.js'

const NOW = '2026-11-20T12:00:00Z'
const fx = useTestServers({srv: {flavor: 'new'}}, {now: new Date(NOW)})
let hook: HostileServer
let hang = true
const bodies: Array<{id: string; header: string | undefined; body: {id?: string; blocks?: Array<{type: string; elements?: Array<{text: string}>}>}}> = []

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  fx.srv.addKey({key_alias: 'ci-bot', max_budget: 100, budget_duration: '30d', spend: 85})
  const collect = (req: import('node:http').IncomingMessage, done: (text: string) => void) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => (text += d))
    req.on('end', () => done(text))
  }
  // While `hang`, takes the alert and never answers; then answers 200.
  hook = await startHostileServer((req, res) =>
    collect(req, (text) => {
      bodies.push({id: hang ? 'first' : 'second', header: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(text)})
      if (!hang) json(res, 200, {ok: true})
    }),
  )
})
afterAll(() => hook.close())

const env = () => fx.env(fx.srv, {KEYWARD_NOW: NOW})

describe.each(['generic', 'slack'] as const)('kill -9 during a %s delivery', (format) => {
  it('the next run re-sends with the same id and says an earlier delivery was interrupted', async () => {
    bodies.length = 0
    const state = path.join(fx.dir, `${format}-state.json`)
    // The same target id for both runs: the webhook URL is what identifies a target.
    const url = format === 'slack' ? `slack+${hook.url}/services/T0/B0/x` : `${hook.url}/hook`
    hang = true
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'budget', 'check', '--state', state, '--notify', url], {env: pinnedEnv(env()), stdio: ['ignore', 'pipe', 'pipe']})
    let childErr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (childErr += d))
    const closed = new Promise((r) => child.on('close', r))
    for (let i = 0; i < 200 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(childErr).toBe('')
    expect(bodies).toHaveLength(1)
    // Recorded before the POST left.
    const mid = JSON.parse(await fs.readFile(state, 'utf8'))
    expect(Object.values(mid.keys as Record<string, {delivering?: Record<string, Record<string, string>>}>)[0]!.delivering).toBeDefined()
    child.kill('SIGKILL')
    await closed

    // The same target (its id comes from the URL), now answering.
    hang = false
    const r = await runCommand(BudgetCheck, ['--state', state, '--notify', url], env())
    expect(r.stderr).toContain('took over a stale lock')
    expect(r.stderr).toMatch(new RegExp(`an earlier run was stopped while delivering threshold_crossed 80% for ci-bot to .* sending it again with the same id ${bodies[0]!.header}`))
    expect(bodies).toHaveLength(2)
    const after = JSON.parse(await fs.readFile(state, 'utf8'))
    expect(Object.values(after.keys as Record<string, {delivering?: unknown}>)[0]!.delivering).toBeUndefined()
    expect(bodies[1]!.header).toBe(bodies[0]!.header)
    expect(bodies[0]!.header).toMatch(/^[0-9a-f]{32}$/)
    if (format === 'generic') expect(bodies[1]!.body.id).toBe(bodies[0]!.header)
    else expect(JSON.stringify(bodies[1]!.body.blocks)).toContain(`keyward alert ${bodies[0]!.header}`)
  })
})
