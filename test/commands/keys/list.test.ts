/** `keyward keys list`: paging, sort, filter, CSV, JSON, compact columns. */
import {beforeAll, describe, expect, it} from '@jest/globals'

import KeysDelete from '../../../src/commands/keys/delete.js'
import KeysList from '../../../src/commands/keys/list.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {asTerminal} from '../../helpers/tty.js'
import type {TestServer} from '../../server/index.js'
import {NOW, withoutNodeWarnings} from './helpers.js'
import type {ListResult} from '../../../src/contracts/keys.js'
import {useTestServers} from '../../helpers/test-server.js'

// wide: one key with a big budget (added by its test).
const fx = useTestServers({srv: {flavor: 'new'}, big: {flavor: 'old'}, wide: {flavor: 'new'}}, {now: NOW})

beforeAll(() => {
  fx.srv.addKey({key_alias: 'alpha', max_budget: 50, budget_duration: '30d'})
  fx.srv.setSpend('alpha', 10)
  fx.srv.addKey({key_alias: 'bravo', max_budget: 20, budget_duration: '7d'})
  fx.srv.setSpend('bravo', 25)
  fx.srv.addKey({key_alias: 'charlie', blocked: true, team_id: 'team-x'})
  fx.srv.setSpend('charlie', 3)
  fx.srv.addKey({key_alias: '=HYPERLINK("x")', max_budget: 5, budget_duration: '1d', expires: '2026-10-01T00:00:00+00:00'})
  for (let i = 0; i < 205; i++) fx.big.addKey({key_alias: `k${String(i).padStart(3, '0')}`, max_budget: 1, budget_duration: '30d'})
})

const list = async (s: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(await runCommand<ListResult>(KeysList, argv, fx.env(s, extra)))

describe('keys list', () => {
  it('pages /key/list (full objects, size 100) to the end', async () => {
    const r = await list(fx.big, ['--json'])
    expect(r.exitCode).toBe(0)
    const parsed = JSON.parse(r.stdout) as ListResult
    expect(parsed.keys).toHaveLength(205)
    expect(parsed.totals).toEqual({keys: 205, spent: 0, budget: 205})
    const pages = fx.big.requests.filter((q) => q.path === '/key/list')
    expect(pages.map((q) => q.query.page)).toEqual(['1', '2', '3'])
    for (const q of pages) expect(q.query).toMatchObject({size: '100', return_full_object: 'true'})
    expect(parsed.keys[0].alias).toBe('k000')
    expect(parsed.keys[204].alias).toBe('k204')
  })

  it('refuses a virtual key in LITELLM_MASTER_KEY (it would list only its own keys), exit 3', async () => {
    const {key} = fx.srv.addKey({key_alias: 'not-the-master', max_budget: 1, budget_duration: '30d'})
    try {
      const r = await list(fx.srv, ['--json'], {LITELLM_MASTER_KEY: key})
      expect(r.exitCode).toBe(3)
      const err = JSON.parse(r.stdout) as {error: {kind: string; message: string}}
      expect(err.error.kind).toBe('auth')
      expect(err.error.message).toContain('not the proxy master key')
      expect(r.stdout + r.stderr).not.toContain(key)
      // The first page is asked for alongside the check (a read), but nothing of it is shown.
      for (const alias of ['alpha', 'bravo', 'charlie', 'HYPERLINK']) expect(r.stdout + r.stderr).not.toContain(alias)
      expect(fx.srv.requests.filter((q) => q.method !== 'GET')).toEqual([])
      expect(fx.srv.requests.filter((q) => q.path === '/key/list').map((q) => q.query.page)).toEqual(['1'])
    } finally {
      await runCommand(KeysDelete, ['not-the-master', '--yes'], fx.env(fx.srv))
    }
  })

  it('asks for the first page while the master-key check is still out (one round trip, not two)', async () => {
    // /key/info is held back 3 s: the first page must be asked for before it answers.
    fx.srv.fault({path: '/key/info', kind: 'slow', delayMs: 3000})
    const run = list(fx.srv, ['--json'])
    const deadline = Date.now() + 2500
    const arrived = () => ['/key/info', '/key/list'].every((p) => fx.srv.requests.some((q) => q.path === p))
    while (!arrived() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const seenWhileChecking = fx.srv.requests.map((q) => q.path)
    const r = await run
    expect(seenWhileChecking).toEqual(expect.arrayContaining(['/key/info', '/key/list']))
    expect(r.exitCode).toBe(0)
    expect((JSON.parse(r.stdout) as ListResult).keys.map((k) => k.alias)).toEqual(['=HYPERLINK("x")', 'alpha', 'bravo', 'charlie'])
    // Page 1 is not asked for twice.
    expect(fx.srv.requests.filter((q) => q.path === '/key/list')).toHaveLength(1)
  })

  it('shows a table with a Total row, sorted by alias by default', async () => {
    const r = await list(fx.srv, [])
    expect(r.exitCode).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[1]).toMatch(/Alias.*Key.*Spent.*Budget.*Left.*Used.*Period.*Resets.*Expires.*Status/)
    const order = ['=HYPERLINK("x")', 'alpha', 'bravo', 'charlie']
    const rows = lines.filter((l) => order.some((a) => l.includes(`│ ${a} `)))
    expect(rows.map((l) => order.find((a) => l.includes(`│ ${a} `)))).toEqual(order)
    expect(r.stdout).toMatch(/│ alpha .*\$10\.00 │ +\$50\.00 │ +\$40\.00 │ +20\.0% │ monthly │ 2026-12-01 +│ never +│ active/)
    expect(r.stdout).toMatch(/│ bravo .*\$25\.00 │ +\$20\.00 │ +-\$5\.00 │ +125\.0% │ weekly .*│ over-budget/)
    expect(r.stdout).toMatch(/│ charlie .*\$3\.00 │ +- │ +- │ +- │ - .*│ blocked/)
    expect(r.stdout).toMatch(/│ =HYPERLINK\("x"\) .*│ 2026-10-01 +│ expired/)
    expect(r.stdout).toMatch(/│ Total \(4\) .*\$38\.00 │ +\$75\.00 │/)
  })

  it('sorts, filters by text and status, and reverses', async () => {
    const bySpent = await list(fx.srv, ['--sort', 'spent', '--json'])
    expect((JSON.parse(bySpent.stdout) as ListResult).keys.map((k) => k.alias)).toEqual(['bravo', 'alpha', 'charlie', '=HYPERLINK("x")'])
    const rev = await list(fx.srv, ['--sort', 'spent', '--reverse', '--json'])
    expect((JSON.parse(rev.stdout) as ListResult).keys.map((k) => k.alias)).toEqual(['=HYPERLINK("x")', 'charlie', 'alpha', 'bravo'])
    const filtered = await list(fx.srv, ['--filter', 'TEAM-X', '--json'])
    expect((JSON.parse(filtered.stdout) as ListResult).keys.map((k) => k.alias)).toEqual(['charlie'])
    const status = await list(fx.srv, ['--status', 'over-budget', '--status', 'expired', '--json'])
    const parsed = JSON.parse(status.stdout) as ListResult
    expect(parsed.keys.map((k) => k.alias)).toEqual(['=HYPERLINK("x")', 'bravo'])
    expect(parsed.totals).toEqual({keys: 2, spent: 25, budget: 25})
    const none = await list(fx.srv, ['--filter', 'zzz', '--json'])
    expect(JSON.parse(none.stdout)).toEqual({keys: [], totals: {keys: 0, spent: 0, budget: 0}})
    const noneHuman = await list(fx.srv, ['--filter', 'zzz'])
    expect(noneHuman.stdout).toBe('No keys.\n')
  })

  it('--csv writes RFC 4180 rows, formula-safe', async () => {
    const r = await list(fx.srv, ['--csv', '--sort', 'alias'])
    expect(r.exitCode).toBe(0)
    const rows = r.stdout.split('\r\n')
    expect(rows[0]).toBe('alias,key_name,hash,spent,budget,remaining,pct_used,period,budget_duration,resets_at,expires,status,soft_budget,team_id,user_id,limited_by,limited_by_remaining')
    expect(rows[1]).toMatch(/^"'=HYPERLINK\(""x""\)",sk-\.\.\.\S{4},[0-9a-f]{64},0,5,5,0,daily,1d,2026-11-19T00:00:00.000Z,2026-10-01T00:00:00.000Z,expired,,,,,$/)
    expect(rows[3]).toMatch(/^bravo,sk-\.\.\.\S{4},[0-9a-f]{64},25,20,-5,125,weekly,7d,2026-11-23T00:00:00.000Z,,over-budget,,,,,$/)
    expect(rows.at(-1)).toBe('')
    expect(rows).toHaveLength(6)
  })

  it('keeps only the essential columns on a narrow terminal', async () => {
    const r = await asTerminal(60, () => list(fx.srv, []))
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[1]).toMatch(/Alias.*Spent.*Budget.*Used.*Status/)
    expect(lines[1]).not.toMatch(/Left|Resets|Expires/)
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60)
  })

  it('a big budget at 120 columns: values shortened, columns dropped one at a time, least important first (#12 item 2)', async () => {
    fx.wide.addKey({key_alias: 'research-team-assistant', max_budget: 12345.678, budget_duration: '30d', expires: '2027-06-30T00:00:00+00:00'})
    fx.wide.setSpend('research-team-assistant', 4321.5)
    const header = async (cols: number) => (await asTerminal(cols, () => list(fx.wide, []))).stdout.split('\n')[1]
    const order = ['Key', 'Expires', 'Left', 'Period', 'Resets']
    expect(await header(120)).toMatch(/Alias.*Key.*Spent.*Budget.*Left.*Used.*Period.*Resets.*Expires.*Status/)
    // Narrower and narrower: the columns go in that order, never several at once.
    let lost = 0
    for (let cols = 119; cols >= 50; cols--) {
      const h = await header(cols)
      const missing = order.filter((c) => !new RegExp(`│ *${c} *│`).test(h))
      expect(missing).toEqual(order.slice(0, missing.length))
      expect(missing.length - lost).toBeLessThanOrEqual(1)
      lost = missing.length
    }
    expect(lost).toBe(order.length)
  })

  it('piped (stdout not a terminal): every column, whatever $COLUMNS says (#12 item 3)', async () => {
    const r = await list(fx.srv, [], {COLUMNS: '60'})
    expect(r.stdout.split('\n')[1]).toMatch(/Alias.*Key.*Spent.*Budget.*Left.*Used.*Period.*Resets.*Expires.*Status/)
  })

  it('rejects an unknown sort field or status before sending anything', async () => {
    const bad = await list(fx.srv, ['--sort', 'colour'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toMatch(/cannot sort by 'colour'[\s\S]*for example: --sort spent/)
    const badStatus = await list(fx.srv, ['--status', 'sleepy'])
    expect(badStatus.exitCode).toBe(2)
    expect(fx.srv.requests).toHaveLength(0)
  })
})
