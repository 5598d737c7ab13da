/** `keyward keys create` against both server flavours, in-process. */
import {describe, expect, it} from '@jest/globals'

import KeysCreate from '../../../src/commands/keys/create.js'
import KeysInfo from '../../../src/commands/keys/info.js'
import type {KeyDetails} from '../../../src/domain/keys-list.js'
import {runCommand, type Env} from '../../helpers/run-command.js'
import {type TestServer} from '../../server/index.js'
import {count, keysWithAlias, NOW, requestsTo, withoutNodeWarnings} from './helpers.js'
import type {CreateResult} from '../../../src/contracts/keys.js'
import {useTestServers, forgetRequests} from '../../helpers/test-server.js'

const fx = useTestServers({new: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})

const create = async (srv: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(
  await runCommand<CreateResult>(KeysCreate, argv, fx.env(srv, extra)),
)
const info = async (srv: TestServer, argv: string[], extra: Env = {}) => withoutNodeWarnings(await runCommand<KeyDetails>(KeysInfo, argv, fx.env(srv, extra)))
/** The secret keyward chose, as the proxy received it. */
const sentSecret = (srv: TestServer): string => (requestsTo(srv, 'POST', '/key/generate').at(-1)!.body as {key: string}).key

describe.each(['new', 'old'] as const)('on a %s proxy', (flavor) => {
  const srv = () => fx[flavor]!

  it('creates a monthly key: sends max_budget 50 and budget_duration 30d, never spend, and prints the key once on stdout', async () => {
    const r = await create(srv(), ['--alias', `openclaw-${flavor}`, '--budget', '50'])
    expect(r.exitCode).toBe(0)
    const gen = requestsTo(srv(), 'POST', '/key/generate')
    expect(gen).toHaveLength(1)
    const body = gen[0].body as Record<string, unknown>
    expect(body).toMatchObject({key_alias: `openclaw-${flavor}`, max_budget: 50, budget_duration: '30d'})
    expect(body).not.toHaveProperty('spend')
    const key = r.result!.key!
    expect(key).toBe(body.key)
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{32}$/)
    expect(count(r.stdout, key)).toBe(1)
    expect(r.stderr).not.toContain(key)
    expect(r.stderr).toContain('export LITELLM_API_KEY=<the key above>')
    expect(r.stdout).toMatch(/^key\s+sk-/m)
    expect(r.stdout).toMatch(new RegExp(`^key name\\s+sk-\\.\\.\\.${key.slice(-4)}$`, 'm'))
    expect(r.stderr).not.toMatch(/warning/i)
    expect(r.result).toMatchObject({created: true, recovered: false, warnings: []})
    expect(keysWithAlias(srv(), `openclaw-${flavor}`)).toHaveLength(1)

    // ... and keys info shows where the monthly budget resets.
    const i = await info(srv(), [`openclaw-${flavor}`])
    expect(i.exitCode).toBe(0)
    expect(i.stdout).not.toContain(key)
    if (flavor === 'new') {
      expect(i.result!.resetAt).toBe('2026-12-01T00:00:00.000Z')
      expect(i.stdout).toMatch(/^resets\s+2026-12-01 00:00 UTC \(in 13 days\)$/m)
    } else {
      // Older proxies reset on a rolling window: 30 days from creation, which is fine.
      expect(i.result!.resetAt).toBe('2026-12-18T10:20:00.000Z')
      expect(i.stdout).toMatch(/^resets\s+2026-12-18 10:20 UTC \(in 1 month\)$/m)
    }
    expect(i.stdout).toMatch(/^period\s+monthly \(30d\)$/m)
    expect(i.stderr).toBe('')
  })

  it('a second create with the same alias exits 5, sends no create, and the proxy still has one key', async () => {
    const alias = `dup-${flavor}`
    const first = await create(srv(), ['--alias', alias, '--budget', '10'])
    expect(first.exitCode).toBe(0)
    forgetRequests(srv())
    const again = await create(srv(), ['--alias', alias, '--budget', '10'])
    expect(again.exitCode).toBe(5)
    expect(again.stderr).toMatch(/already exists/)
    expect(again.stdout).toBe('')
    expect(requestsTo(srv(), 'POST', '/key/generate')).toHaveLength(0)
    expect(keysWithAlias(srv(), alias)).toHaveLength(1)
    expect(again.stderr).not.toContain(first.result!.key!)
  })

  it('--if-not-exists shows the existing key without its secret and exits 0', async () => {
    const alias = `ine-${flavor}`
    const first = await create(srv(), ['--alias', alias, '--budget', '10'])
    const again = await create(srv(), ['--alias', alias, '--budget', '10', '--if-not-exists'])
    expect(again.exitCode).toBe(0)
    expect(again.result).toMatchObject({created: false, key: null})
    expect(again.result!.details.alias).toBe(alias)
    expect(again.stdout).toMatch(new RegExp(`^alias\\s+${alias}$`, 'm'))
    expect(again.stdout + again.stderr).not.toContain(first.result!.key!)
    expect(again.stdout).not.toMatch(/^key\s+sk-/m)
    expect(again.stderr).toMatch(/already exists.*rotate/)
    expect(keysWithAlias(srv(), alias)).toHaveLength(1)
    // Asking for a different budget says so.
    const differs = await create(srv(), ['--alias', alias, '--budget', '99', '--if-not-exists', '--quiet'])
    expect(differs.exitCode).toBe(0)
    expect(differs.stdout).toBe('')
    expect(differs.stderr).toMatch(/has budget \$10\.00 monthly \(30d\), not the \$99\.00 monthly \(30d\) asked for; change it with: keyward keys update ine-\w+ --budget 99$/m)
  })

  it.each([
    ['a 503 after the key was made', {kind: 'status503' as const, after: true}, 1],
    ['a connection reset after the key was made', {kind: 'reset' as const, after: true}, 1],
    ['a 503 before the key was made', {kind: 'status503' as const, after: false}, 2],
    ['a connection reset before the key was made', {kind: 'reset' as const, after: false}, 2],
  ])('%s leaves exactly one key and prints it once', async (_what, fault, generates) => {
    const alias = `fault-${fault.kind}-${fault.after}-${flavor}`
    srv().fault({path: '/key/generate', method: 'POST', ...fault})
    const r = await create(srv(), ['--alias', alias, '--budget', '5'])
    expect(r.exitCode).toBe(0)
    const gen = requestsTo(srv(), 'POST', '/key/generate')
    expect(gen).toHaveLength(generates)
    // The same secret both times: a resend can never mint a second key.
    expect(new Set(gen.map((g) => (g.body as {key: string}).key)).size).toBe(1)
    expect(keysWithAlias(srv(), alias)).toHaveLength(1)
    const key = sentSecret(srv())
    expect(r.result!.key).toBe(key)
    expect(r.result!.recovered).toBe(fault.after)
    expect(count(r.stdout, key)).toBe(1)
    expect(r.stderr).not.toContain(key)
    expect(r.stderr).toMatch(/answer to the create was lost/)
  })
})

describe('a timeout during create', () => {
  it('is resolved by looking the alias up: one key, no second create', async () => {
    const srv = fx.new
    srv.fault({path: '/key/generate', method: 'POST', kind: 'slow', delayMs: 1500, after: true})
    const r = await create(srv, ['--alias', 'slow-one', '--budget', '5', '--timeout', '0.3'])
    expect(r.exitCode).toBe(0)
    expect(requestsTo(srv, 'POST', '/key/generate')).toHaveLength(1)
    expect(keysWithAlias(srv, 'slow-one')).toHaveLength(1)
    expect(r.result!.recovered).toBe(true)
    expect(r.stderr).toMatch(/answer to the create was lost \(POST \/key\/generate timed out/)
    expect(count(r.stdout, sentSecret(srv))).toBe(1)
  })
})

describe('output modes', () => {
  const srv = () => fx.new

  it('--quiet prints the key alone, for $(...)', async () => {
    const r = await create(srv(), ['--alias', 'quiet-one', '--budget', '5', '--quiet'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe(`${sentSecret(srv())}\n`)
    expect(r.stderr).toBe('')
  })

  it('--json puts the key in the result, once, and nothing secret on stderr', async () => {
    const r = await create(srv(), ['--alias', 'json-one', '--budget', '5', '--period', 'weekly', '--json'])
    expect(r.exitCode).toBe(0)
    const parsed = JSON.parse(r.stdout) as CreateResult
    const key = sentSecret(srv())
    expect(parsed.key).toBe(key)
    expect(count(r.stdout, key)).toBe(1)
    expect(r.stderr).toBe('')
    expect(parsed.details).toMatchObject({alias: 'json-one', budget: 5, duration: '7d', period: 'weekly', resetAt: '2026-11-23T00:00:00.000Z', status: 'active'})
    expect((requestsTo(srv(), 'POST', '/key/generate')[0].body as Record<string, unknown>).budget_duration).toBe('7d')
  })

  it('sends every limit as given, and translates period words', async () => {
    const r = await create(srv(), [
      '--alias', 'full', '--budget', '12.5', '--period', 'daily', '--soft-budget', '10', '--models', 'gpt-4o, claude-x', '--force',
      '--expires', '90d', '--rpm', '60', '--tpm', '100000', '--max-parallel', '4', '--metadata', 'owner=platform', '--metadata', 'cost=a=b',
      '--team', 'team-1', '--user', 'user-1',
    ])
    expect(r.exitCode).toBe(0)
    const body = requestsTo(srv(), 'POST', '/key/generate')[0].body as Record<string, unknown>
    expect(body).toMatchObject({
      key_alias: 'full', max_budget: 12.5, budget_duration: '1d', soft_budget: 10, models: ['gpt-4o', 'claude-x'], duration: '90d',
      rpm_limit: 60, tpm_limit: 100000, max_parallel_requests: 4, metadata: {owner: 'platform', cost: 'a=b'}, team_id: 'team-1', user_id: 'user-1',
    })
    expect(body).not.toHaveProperty('spend')
    expect(r.result!.details).toMatchObject({softBudget: 10, rpmLimit: 60, tpmLimit: 100000, maxParallelRequests: 4, expires: '2027-02-16T10:20:00.000Z'})
    expect(r.stdout).toMatch(/^rate limits\s+60 requests\/min, 100,000 tokens\/min, 4 parallel$/m)
    expect(r.stdout).toMatch(/^soft budget\s+\$10\.00$/m)
    expect(r.stdout).toMatch(/^models\s+gpt-4o, claude-x$/m)
  })

  it('on the last day of a month, tomorrow\'s reset is right: no warning', async () => {
    const lastDay = new Date('2026-11-30T15:00:00Z')
    srv().setNow(lastDay)
    const r = await create(srv(), ['--alias', 'last-day', '--budget', '5'], {KEYWARD_NOW: lastDay.toISOString()})
    expect(r.exitCode).toBe(0)
    expect(r.result!.details.resetAt).toBe('2026-12-01T00:00:00.000Z')
    expect(r.result!.warnings).toEqual([])
    expect(r.stderr).not.toMatch(/warning/i)
  })

  it('warns loudly when the proxy will reset a monthly budget daily (1mo on an older proxy)', async () => {
    const r = await create(fx.old, ['--alias', 'one-mo', '--budget', '50', '--period', '1mo'])
    expect(r.exitCode).toBe(0)
    expect((requestsTo(fx.old, 'POST', '/key/generate')[0].body as Record<string, unknown>).budget_duration).toBe('1mo')
    expect(r.result!.details.resetAt).toBe('2026-11-19T00:00:00.000Z')
    expect(r.stderr).toMatch(/warning: THIS "MONTHLY" BUDGET WILL RESET DAILY.*2026-11-19 00:00 UTC.*keys update one-mo --period monthly/)
    expect(r.result!.warnings).toHaveLength(1)
  })

  it('keeps the key when reading it back fails, and says the reset is unverified', async () => {
    srv().fault({path: '/key/info', method: 'GET', kind: 'status503', times: 3})
    const r = await create(srv(), ['--alias', 'unverified', '--budget', '5'])
    expect(r.exitCode).toBe(0)
    const key = sentSecret(srv())
    expect(count(r.stdout, key)).toBe(1)
    expect(r.stderr).toMatch(/warning: the key was created, but reading it back from \/key\/info failed/)
    expect(r.stderr).not.toContain(key)
  })

  it('when the answer and the check after it are both lost, prints the secret once and exits 6', async () => {
    srv().fault({path: '/key/generate', method: 'POST', kind: 'reset', after: true})
    // The alias check before the create passes; the lookup after the lost answer fails every retry.
    srv().fault({path: '/key/list', method: 'GET', kind: 'status503', skip: 1, times: 3})
    const r = await create(srv(), ['--alias', 'lost-twice', '--budget', '5'])
    expect(r.exitCode).toBe(6)
    const key = sentSecret(srv())
    expect(count(r.stdout, key)).toBe(1)
    expect(r.stderr).not.toContain(key)
    expect(r.stderr).toMatch(/may or may not exist/)
    expect(r.result!.created).toBe('uncertain')
    // It does exist, and the printed secret is its secret.
    const made = keysWithAlias(srv(), 'lost-twice')
    expect(made).toHaveLength(1)
    expect(requestsTo(srv(), 'POST', '/key/generate')).toHaveLength(1)
  })

  it('never shows the secret in an error, even with --debug', async () => {
    srv().fault({path: '/key/generate', method: 'POST', kind: 'status503', times: 2})
    const r = await create(srv(), ['--alias', 'always-503', '--budget', '5', '--debug'])
    expect(r.exitCode).toBe(6)
    const sent = requestsTo(srv(), 'POST', '/key/generate')
    expect(sent).toHaveLength(2)
    const key = (sent[0].body as {key: string}).key
    expect(r.stdout + r.stderr).not.toContain(key)
    expect(r.stderr).toMatch(/^Error: /m)
    expect(keysWithAlias(srv(), 'always-503')).toHaveLength(0)
  })
})

describe('bad input: exit 2, one line with an example, nothing sent', () => {
  it.each([
    [['--alias', 'x', '--budget', '-5'], /cannot be negative[\s\S]*for example: --budget 50/],
    [['--alias', 'x', '--budget', 'abc'], /invalid amount 'abc'[\s\S]*for example: --budget 50/],
    [['--alias', 'x', '--budget', '50$'], /invalid amount '50\$'/],
    [['--alias', 'x', '--budget', '1e400'], /invalid amount '1e400'/],
    [['--alias', '', '--budget', '5'], /alias is empty[\s\S]*for example: --alias openclaw/],
    [['--alias', 'a\u001b[31mb', '--budget', '5'], /control characters/],
    [['--alias', 'x', '--budget', '5', '--period', 'monthlyy'], /invalid period 'monthlyy'[\s\S]*for example: --period monthly/],
    [['--alias', 'x', '--budget', '5', '--period', '2mo'], /only every 1 month/],
    [['--alias', 'x', '--budget', '5', '--models', ','], /no model names in --models[\s\S]*for example: --models/],
    [['--alias', 'x', '--budget', '5', '--period', '30'], /invalid period '30'/],
    [['--alias', 'x', '--budget', '5', '--expires', 'forever'], /invalid expiry 'forever'[\s\S]*for example: --expires 90d/],
    [['--alias', 'x', '--budget', '5', '--metadata', 'owner'], /invalid metadata 'owner': use key=value[\s\S]*for example: --metadata owner=platform-team/],
    [['--alias', 'x', '--period', 'monthly'], /--period monthly needs --budget[\s\S]*for example: --budget 50 --period monthly/],
    [['--alias', 'x', '--budget', '5', '--soft-budget', '9'], /--soft-budget 9 is above --budget 5/],
    [['--alias', 'x', '--budget', '5', '--rpm', '0'], /invalid value '0' for --rpm/],
    [['--alias', 'x', '--budget', '5', '--frobnicate'], /unknown flag --frobnicate/],
    [['--budget', '5'], /Missing required flag alias/],
  ])('%j', async (argv, message) => {
    const srv = fx.new
    const r = await create(srv, argv)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: /)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.stdout).toBe('')
    expect(srv.requests).toHaveLength(0)
  })
})
