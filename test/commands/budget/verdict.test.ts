/** Issue 12 item 4: the table's verdict, the JSON's verdict and the exit code come from one decision. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import BudgetCheck from '../../../src/commands/budget/check.js'
import {runCommand} from '../../helpers/run-command.js'
import type {TestServer} from '../../server/index.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {BudgetCheckResult} from '../../../src/contracts/budget.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const fx = useTestServers({old: {flavor: 'old'}, srv: {flavor: 'new'}}, {now: NOW})

beforeAll(() => {
  fx.old.addKey({key_alias: 'openclaw', max_budget: 20, budget_duration: 'monthly', spend: 1})
  fx.srv.addKey({key_alias: 'gone', max_budget: 5, budget_duration: '30d', spend: 5, blocked: true})
  fx.srv.addKey({key_alias: 'fine', max_budget: 50, budget_duration: '30d', spend: 1})
})

const run = (s: TestServer, argv: string[]) => runCommand<BudgetCheckResult>(BudgetCheck, argv, fx.env(s, {KEYWARD_NOTIFY: undefined}))
const verdictCell = (stdout: string, alias: string) => stdout.split('\n').find((l) => l.includes(` ${alias} `))?.split('│').at(-2)?.trim()

describe('one decision for verdict and exit code', () => {
  it('a "monthly" budget that resets daily: not "ok" in the table or the JSON, exit 10', async () => {
    const table = await run(fx.old, [])
    const json = await run(fx.old, ['--json'])
    expect(table.exitCode).toBe(10)
    expect(json.exitCode).toBe(10)
    const k = json.result!.keys.find((c) => c.alias === 'openclaw')!
    expect(k.verdict).toBe('resets-daily')
    expect(k.exitCode).toBe(10)
    expect(verdictCell(table.stdout, 'openclaw')).toBe('resets daily')
    expect(json.result!.summary).toMatchObject({ok: 0, resetsDaily: 1})
  })

  it('a blocked, exhausted key: EXHAUSTED and exit 11, as documented', async () => {
    const table = await run(fx.srv, [])
    const json = await run(fx.srv, ['--json'])
    expect(json.result!.keys.find((c) => c.alias === 'gone')).toMatchObject({verdict: 'exhausted', exitCode: 11})
    expect(verdictCell(table.stdout, 'gone')).toBe('EXHAUSTED')
    expect(table.exitCode).toBe(11)
    expect(json.exitCode).toBe(11)
    expect(json.result!.exitCode).toBe(11)
  })

  it('every key: the exit code is the worst of the verdicts shown', async () => {
    const json = await run(fx.srv, ['--json'])
    const byVerdict = {ok: 0, 'no-budget': 0, threshold: 10, forecast: 10, 'resets-daily': 10, exhausted: 11} as Record<string, number>
    for (const k of json.result!.keys) expect(k.exitCode).toBe(byVerdict[k.verdict])
    expect(json.exitCode).toBe(Math.max(...json.result!.keys.map((k) => byVerdict[k.verdict])))
  })
})
