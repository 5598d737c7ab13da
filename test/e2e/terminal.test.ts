/**
 * The built CLI in a real pseudo-terminal and through a pipe (#12 items 2, 3): tables fit the terminal,
 * dropping the least important columns first; a pipe gets every column. Needs `npm run build` and `script`.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {runBinInPty} from '../helpers/pty.js'
import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {startTestServer, type TestServer} from '../server/index.js'

const NOW = new Date('2026-11-20T12:00:00Z')
let srv: TestServer
let tmp: string

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
  srv = await startTestServer({flavor: 'new', now: () => NOW})
  srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d', spend: 41})
  srv.addKey({key_alias: 'ci-bot', max_budget: 12345.678, budget_duration: '30d', spend: 20})
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-tty-'))
})
afterAll(async () => {
  await srv.close()
  await fs.rm(tmp, {recursive: true, force: true})
})

const env = () => ({KEYWARD_CONFIG_DIR: tmp, KEYWARD_DATA_DIR: tmp, LITELLM_PROXY_URL: srv.url, LITELLM_MASTER_KEY: srv.masterKey, KEYWARD_NOW: NOW.toISOString()})
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
})
