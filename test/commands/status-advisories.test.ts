/** `keyward status` and the security advisories (#15 item 4), against test servers reporting given versions. */
import {describe, expect, it} from '@jest/globals'

import Status from '../../src/commands/status.js'
import {runCommand, type Env} from '../helpers/run-command.js'
import type {StatusResult} from '../../src/contracts/status.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({
  bad: {flavor: 'new', version: '1.107.0'},
  sqli: {flavor: 'old', version: '1.83.6'},
  fixed: {flavor: 'new', version: '1.83.7'},
  silent: {flavor: 'new', version: ''},
})

const run = (argv: string[], env: Env) => runCommand<StatusResult>(Status, argv, env)

describe('status and security advisories', () => {
  it('a proxy reporting 1.107.0 (only in /health/readiness/details) warns; exit 0, or 10 with --strict', async () => {
    const r = await run([], fx.env(fx.bad))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({version: '1.107.0', versionSource: 'readiness/details', verdict: 'warning'})
    expect(r.result!.advisories.map((a) => a.id)).toEqual(['LITELLM-2026-10-1.107.0'])
    expect(r.result!.advisories[0]).toMatchObject({kind: 'compromised', published: '2026-10-21'})
    expect(r.stdout).toMatch(/^version {3}1\.107\.0 {3}db: connected {3}SECURITY: compromised release \(LITELLM-2026-10-1\.107\.0\)$/m)
    expect(r.stdout).toMatch(/^! SECURITY: LiteLLM 1\.107\.0 is a compromised release .*rotate every credential/m)
    // No public page yet: the line says where the fact comes from instead of a URL.
    expect(r.stdout).toMatch(/^! SECURITY: LiteLLM 1\.107\.0 .*\(source: reported in keyward's project brief \(issue #15\) and not yet published: .*\)$/m)
    expect(r.result!.advisories[0]).toMatchObject({url: null, note: expect.stringContaining('not yet published')})
    const strict = await run(['--strict', '--json'], fx.env(fx.bad))
    expect(strict.exitCode).toBe(10)
    expect(JSON.parse(strict.stdout)).toEqual(strict.result)
  })

  it('a version in the SQL injection range (read from public /health/readiness) names the CVE and the fixed release', async () => {
    const r = await run(['--strict', '--json'], fx.env(fx.sqli))
    expect(r.exitCode).toBe(10)
    expect(r.result).toMatchObject({version: '1.83.6', versionSource: 'readiness'})
    expect(r.result!.advisories).toEqual([
      expect.objectContaining({id: 'CVE-2026-42208', kind: 'vulnerable', url: 'https://github.com/advisories/GHSA-r75f-5x8p-qvmc'}),
    ])
    expect(r.result!.problems.join('\n')).toContain('upgrade to 1.83.7 or later')
  })

  it('the fixed release passes --strict with no warning', async () => {
    const r = await run(['--strict', '--json'], fx.env(fx.fixed))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({version: '1.83.7', advisories: [], verdict: 'ok', problems: []})
  })

  it('falls back to /openapi.json (info.version) when readiness/details does not answer', async () => {
    fx.bad.fault({path: '/health/readiness/details', kind: 'html'})
    const r = await run(['--json'], fx.env(fx.bad))
    expect(r.result).toMatchObject({version: '1.107.0', versionSource: 'openapi'})
    expect(r.result!.advisories.map((a) => a.id)).toEqual(['LITELLM-2026-10-1.107.0'])
  })

  it('says so when the proxy reports no version at all (advisories not checked); --strict does not fail on that alone', async () => {
    const r = await run(['--strict', '--json'], fx.env(fx.silent))
    expect(r.exitCode).toBe(0)
    expect(r.result).toMatchObject({version: null, versionSource: null, advisories: [], verdict: 'warning'})
    expect(r.result!.problems).toContain('proxy version unknown (not in /health/readiness, /health/readiness/details or /openapi.json): security advisories were not checked')
  })
})
