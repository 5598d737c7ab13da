/** #11 item 5: a config file (or folder) others can change is refused; one others can read is warned about. */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import Status from '../../src/commands/status.js'
import {runCommand} from '../helpers/run-command.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
let n = 0

async function configDir(fileMode: number, dirMode = 0o700): Promise<{dir: string; file: string}> {
  const dir = path.join(fx.dir, `c${++n}`)
  await fs.mkdir(dir)
  const file = path.join(dir, 'config.json')
  await fs.writeFile(file, JSON.stringify({version: 1, profiles: {default: {baseUrl: fx.srv.url, masterKey: fx.srv.masterKey}}}))
  await fs.chmod(file, fileMode)
  await fs.chmod(dir, dirMode)
  return {dir, file}
}

describe.each([0o666, 0o620, 0o602])('a config file with mode %o', (mode) => {
  it('is refused with exit 3 and the chmod that fixes it; nothing is sent', async () => {
    const {dir, file} = await configDir(mode)
    const r = await runCommand(Status, [], {KEYWARD_CONFIG_DIR: dir})
    expect(r.exitCode).toBe(3)
    expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^Error: the config file ${file} is writable by (every local user|its group) \\(mode ${mode.toString(8)}\\)`))
    expect(r.stderr).toContain(`chmod 600 ${file}`)
    expect(fx.srv.requests).toEqual([])
  })
})

describe('the config folder', () => {
  it('group- or world-writable (not sticky): refused with exit 3 and chmod 700', async () => {
    for (const dirMode of [0o777, 0o770]) {
      const {dir} = await configDir(0o600, dirMode)
      const r = await runCommand(Status, [], {KEYWARD_CONFIG_DIR: dir})
      expect(r.exitCode).toBe(3)
      expect(r.stderr).toContain(`Error: the config folder ${dir} is writable by`)
      expect(r.stderr).toContain(`chmod 700 ${dir}`)
    }
  })
})

describe('a readable config file', () => {
  it('is used, with a warning on stderr', async () => {
    const {dir, file} = await configDir(0o644, 0o755)
    const r = await runCommand(Status, ['--json'], {KEYWARD_CONFIG_DIR: dir})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain(`warning: the config file ${file} is readable by others (mode 644) and holds keys: chmod 600 ${file}`)
    expect(JSON.parse(r.stdout)).toMatchObject({key: {source: 'profile default', valid: true}})
  })

  it('0600 in a 0700 folder: no warning', async () => {
    const {dir} = await configDir(0o600)
    const r = await runCommand(Status, [], {KEYWARD_CONFIG_DIR: dir})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).not.toContain('warning')
  })
})
