/**
 * End to end: the built CLI (`npm run build` first) connects OpenClaw in a temporary HOME. The new
 * key must appear nowhere but in ~/.openclaw/.env: not on stdout or stderr, not in the config or its
 * backup, not in --json output.
 */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {runBin} from '../../helpers/spawn.js'
import {envFor, useTestServers} from '../../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await fs.readdir(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await allFiles(p)))
    else out.push(p)
  }
  return out
}

describe('keyward openclaw connect (built CLI)', () => {
  it('writes the key only to .env and never prints it', async () => {
    const dir = path.join(fx.dir, '.openclaw')
    await fs.mkdir(dir, {mode: 0o700})
    const original = '// mine\n{\n  gateway: {port: 18789}, // keep\n}\n'
    await fs.writeFile(path.join(dir, 'openclaw.json'), original)
    const env = envFor(fx.srv, path.join(fx.dir, 'kw'), {HOME: fx.dir})

    const first = await runBin(['openclaw', 'connect', '--alias', 'oc-e2e', '--budget', '25'], {env})
    expect(first.stderr).not.toMatch(/Error/)
    expect(first.exitCode).toBe(0)
    const envText = await fs.readFile(path.join(dir, '.env'), 'utf8')
    const key = /^LITELLM_API_KEY=(sk-\S+)$/m.exec(envText)![1]!
    expect(key.length).toBeGreaterThan(20)
    expect((await fs.stat(path.join(dir, '.env'))).mode & 0o777).toBe(0o600)
    expect(first.stdout).toContain(path.join(dir, '.env'))
    expect(first.stdout).toContain('minted now')

    const second = await runBin(['openclaw', 'connect', '--alias', 'oc-e2e', '--json'], {env})
    expect(second.exitCode).toBe(0)
    const j = JSON.parse(second.stdout) as {minted: boolean; changed: boolean; keyName: string}
    expect(j).toMatchObject({minted: false, changed: false})
    expect(j.keyName).toBe(`sk-...${key.slice(-4)}`)

    const status = await runBin(['openclaw', 'status'], {env: {...env, LITELLM_MASTER_KEY: undefined}})
    expect(status.exitCode).toBe(0)
    expect(status.stdout).toContain('$0.00 of $25.00')

    for (const r of [first, second, status]) {
      expect(r.stdout).not.toContain(key)
      expect(r.stderr).not.toContain(key)
    }
    const holders: string[] = []
    for (const f of await allFiles(fx.dir)) if ((await fs.readFile(f, 'utf8')).includes(key)) holders.push(path.relative(fx.dir, f))
    expect(holders).toEqual([path.join('.openclaw', '.env')])
    const backups = (await fs.readdir(dir)).filter((f) => f.startsWith('openclaw.json.bak-'))
    expect(backups).toHaveLength(1)
    expect(await fs.readFile(path.join(dir, backups[0]!), 'utf8')).toBe(original)
  })
})
