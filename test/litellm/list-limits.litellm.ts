/**
 * #15 item 1 against a real LiteLLM proxy (run by test/litellm/run.mjs): `keys list` says when a key's team
 * budget is the tighter limit, reading the team once. Spend is set in LiteLLM's own tables, as its spend
 * writer would.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin, type SpawnResult} from '../helpers/spawn.js'
import {envFor} from '../helpers/test-server.js'
import {http, realProxy, sql, type RealProxy, json} from './real-proxy.js'

let proxy: RealProxy
let tmp: string
const run = Date.now().toString(36)
const team = `kwl-${run}-team`

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  proxy = realProxy()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-real-list-'))
  const t = await http(proxy, 'POST', '/team/new', proxy.masterKey, {team_id: team, team_alias: 'List team', max_budget: 100, budget_duration: '30d'})
  expect(t.status).toBe(200)
})
afterAll(async () => {
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const kw = (args: string[]): Promise<SpawnResult> =>
  runBin(args, {env: envFor(proxy, tmp), timeoutMs: 120_000})

describe('keys list: the tighter team budget', () => {
  it('a key with $40 of its own left in a team with $12 left is limited by the team; one with $5 left is not', async () => {
    for (const [alias, budget] of [[`${team}-big`, '50'], [`${team}-small`, '5']]) {
      expect((await kw(['keys', 'create', '--alias', alias, '--budget', budget, '--team', team, '--json'])).exitCode).toBe(0)
    }
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_VerificationToken" SET spend = 10 WHERE key_alias = $1', [`${team}-big`])
    await sql(proxy.databaseUrl, 'UPDATE "LiteLLM_TeamTable" SET spend = 88 WHERE team_id = $1', [team])

    const r = await kw(['keys', 'list', '--filter', team, '--json'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).not.toContain('could not read')
    type Row = {alias: string; remaining: number; limitedBy: {kind: string; id: string; remaining: number} | null}
    const by = Object.fromEntries((json(r).keys as Row[]).map((k) => [k.alias, k]))
    expect(by[`${team}-big`]).toMatchObject({remaining: 40, limitedBy: {kind: 'team', id: team, name: 'List team', remaining: 12, budget: 100, spent: 88}})
    expect(by[`${team}-small`]).toMatchObject({remaining: 5, limitedBy: null})

    const table = await kw(['keys', 'list', '--filter', team])
    expect(table.stdout).toMatch(new RegExp(`│ ${team}-big .*│ active\\* +│`))
    expect(table.stdout).toContain(`* team budget: $12.00 left (team ${team}, $88.00 of $100.00): the tighter limit for ${team}-big`)
  })
})
