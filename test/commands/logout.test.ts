/** Issue 12 item 5: logout says which profile became the default (never a silent switch of proxy). */
import {afterAll, beforeEach, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import Logout from '../../src/commands/logout.js'
import {configPath} from '../../src/io/config-file.js'
import {runCommand} from '../helpers/run-command.js'

const dirs: string[] = []
let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-logout-'))
  dirs.push(dir)
  const file = {version: 1, defaultProfile: 'prod', profiles: {prod: {baseUrl: 'https://prod.example:4000'}, staging: {baseUrl: 'https://staging.example:4000'}}}
  await fs.writeFile(configPath(dir), JSON.stringify(file), {mode: 0o600})
})
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, {recursive: true, force: true})
})

describe('logout and the default profile', () => {
  it('removing the default profile says which one is the default now, and its proxy', async () => {
    const r = await runCommand<{defaultProfile: string | null}>(Logout, ['--profile', 'prod'], {KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/'staging' is now the default profile \(https:\/\/staging\.example:4000\)/)
    expect(r.result!.defaultProfile).toBe('staging')
  })

  it('removing another profile keeps the default and says nothing about it', async () => {
    const r = await runCommand<{defaultProfile: string | null}>(Logout, ['--profile', 'staging'], {KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir})
    expect(r.stderr).not.toMatch(/now the default/)
    expect(r.result!.defaultProfile).toBe('prod')
  })

  it('removing the last profile says there is no default profile left', async () => {
    const r = await runCommand<{defaultProfile: string | null}>(Logout, ['--all'], {KEYWARD_CONFIG_DIR: dir, KEYWARD_DATA_DIR: dir})
    expect(r.stderr).toMatch(/no profile left/)
    expect(r.result!.defaultProfile).toBeNull()
  })
})
