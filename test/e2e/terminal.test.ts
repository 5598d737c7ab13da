/**
 * The built CLI in a real pseudo-terminal and through a pipe (#12 items 2, 3): tables fit the terminal,
 * dropping the least important columns first; a pipe gets every column. Needs `npm run build` and `script`.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync} from 'node:fs'
import path from 'node:path'

import {runBinInPty} from '../helpers/pty.js'
import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const KEYS = [{alias: 'openclaw', key: 'sk-test-openclaw-0000000001'}]
const fx = useTestServers(
  {srv: {flavor: 'new', logs: {generate: {count: 2500, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-10-31T00:00:00Z'), keys: KEYS, seed: 5}}}},
  {now: NOW},
)
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
  fx.srv.addKey({key: 'sk-test-openclaw-0000000001', key_alias: 'openclaw', max_budget: 50, budget_duration: '30d', spend: 41})
  fx.srv.addKey({key_alias: 'ci-bot', max_budget: 12345.678, budget_duration: '30d', spend: 20})
})

const env = () => fx.env(fx.srv)
const headerOf = (stdout: string) => stdout.split('\n').find((l) => l.includes('│') && /Key|Alias/.test(l)) ?? ''
const widest = (s: string) => Math.max(...s.trimEnd().split('\n').map((l) => [...l].length))

describe('tables in a terminal and in a pipe', () => {
  it('budget check --forecast | cat (cron mail) keeps Resets, Burn/day, At reset and Runs out', async () => {
    const r = await runBin(['budget', 'check', '--forecast'], {env: {...env(), COLUMNS: '60'}})
    expect(headerOf(r.stdout)).toMatch(/Key.*Spent.*Budget.*Used.*Resets.*Burn\/day.*At reset.*Runs out.*Verdict/)
  })

  it('keys list | cat keeps Left and Resets', async () => {
    const r = await runBin(['keys', 'list'], {env: {...env(), COLUMNS: '60'}})
    expect(r.exitCode).toBe(0)
    expect(headerOf(r.stdout)).toMatch(/Left.*Resets/)
  })

  it('in a 120-column terminal keys list keeps every column, and fits', async () => {
    const r = await runBinInPty(['keys', 'list'], {columns: 120, env: env()})
    expect(r.exitCode).toBe(0)
    expect(headerOf(r.stdout)).toMatch(/Alias.*Key.*Spent.*Budget.*Left.*Used.*Period.*Resets.*Expires.*Status/)
    expect(widest(r.stdout)).toBeLessThanOrEqual(120)
  })

  it('in a 60-column terminal budget check --forecast fits, dropping Burn/day and At reset first', async () => {
    const r = await runBinInPty(['budget', 'check', '--forecast'], {columns: 60, env: env()})
    const h = headerOf(r.stdout)
    expect(h).toMatch(/Key.*Spent.*Budget.*Used.*Verdict/)
    expect(h).not.toMatch(/Burn\/day|At reset/)
    expect(widest(r.stdout.split('\n').filter((l) => /[│┌└├]/.test(l)).join('\n'))).toBeLessThanOrEqual(60)
  })

  it('spend logs --format table in a 60-column terminal: fits, and the progress line never runs into the data (#12 item 11)', async () => {
    const r = await runBinInPty(['spend', 'logs', '--month', '2026-10', '--format', 'table'], {columns: 60, env: env()})
    expect(r.exitCode).toBe(0)
    // The terminal shows the last thing after a carriage return on each line.
    const shown = r.stdout.split('\n').map((l) => l.split('\r').at(-1)!.replace(/\u001b\[K/g, ''))
    const data = shown.filter((l) => /^2026-10-\d\d /.test(l))
    expect(data).toHaveLength(2500)
    for (const l of shown) expect([...l].length).toBeLessThanOrEqual(60)
    expect(r.stdout).toContain('exporting:') // the progress line was shown
    expect(r.stdout).not.toMatch(/rows\/s[^\r]/)
  })

  it('spend logs --tz Asia/Tokyo --format table: times and header in that zone (#12 item 10)', async () => {
    const r = await runBin(['spend', 'logs', '--month', '2026-10', '--tz', 'Asia/Tokyo', '--format', 'table'], {env: env()})
    expect(r.exitCode).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/^Time \(Asia\/Tokyo\)/)
  })
})
