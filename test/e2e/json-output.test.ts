/**
 * `--json FIELDS` and `--jq EXPR` (#12, "what users of such tools expect"), through the built
 * bin/run.js against the test server. Needs `npm run build`.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {runBinInPty} from '../helpers/pty.js'
import {useTestServers} from '../helpers/test-server.js'
import {JSON_SHAPES} from '../../src/cli/json-fields.js'

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
})
const fx = useTestServers({srv: {flavor: 'new'}})
beforeAll(() => {
  fx.srv.addKey({key: 'sk-jf-openclaw-000000000001', key_alias: 'openclaw', max_budget: 50, budget_duration: '30d', spend: 12.84})
  fx.srv.addKey({key: 'sk-jf-ci-bot-00000000000002', key_alias: 'ci-bot', max_budget: 20, budget_duration: '1d', spend: 3.21})
  fx.srv.addKey({key: 'sk-jf-unused-00000000000003', key_alias: 'unused', max_budget: 5, budget_duration: '30d', spend: 0})
})
const env = () => fx.env(fx.srv)
const run = (args: string[]) => runBin(args, {env: env()})

describe('--json FIELDS', () => {
  it('keys list --json alias,spent,budget prints the list, each object with only those keys in that order', async () => {
    const full = JSON.parse((await run(['keys', 'list', '--json'])).stdout) as {keys: Array<Record<string, unknown>>}
    expect(full.keys.length).toBeGreaterThan(1)
    for (const args of [['--json', 'alias,spent,budget'], ['--json=alias,spent,budget'], ['--json', 'alias, spent, budget']]) {
      const r = await run(['keys', 'list', ...args])
      expect({exit: r.exitCode, stderr: r.stderr}).toEqual({exit: 0, stderr: ''})
      const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>
      expect(rows).toEqual(full.keys.map((k) => ({alias: k.alias, spent: k.spent, budget: k.budget})))
      expect(Object.keys(rows[0]!)).toEqual(['alias', 'spent', 'budget'])
    }
  })

  it('a single-object result is reduced: status --json verdict,reachable (also through the hidden alias doctor)', async () => {
    for (const cmd of ['status', 'doctor']) {
      const r = await run([cmd, '--json', 'verdict,reachable'])
      expect(r.exitCode).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual({verdict: 'ok', reachable: true})
    }
  })

  it('a positional argument after --json is still the argument; a field name there is a field', async () => {
    const asArg = await run(['keys', 'info', '--json', 'openclaw'])
    expect(asArg.exitCode).toBe(0)
    expect(JSON.parse(asArg.stdout)).toMatchObject({alias: 'openclaw', spent: expect.any(Number)})
    const asField = await run(['keys', 'info', 'openclaw', '--json', 'alias,budget'])
    expect(JSON.parse(asField.stdout)).toEqual({alias: 'openclaw', budget: expect.any(Number)})
  })

  it.each([
    [['keys', 'list', '--json', 'alias,bogus']],
    [['keys', 'list', '--json=alais']],
    [['keys', 'list', '--json', 'alais']],
    [['keys', 'list', '--json', '']],
    [['keys', 'list', '--json=']],
    [['budget', 'check', '--json', 'alias,']],
  ])('%j: exit 2 naming the valid fields, JSON error, no request sent', async (args) => {
    const r = await run(args)
    expect(r.exitCode).toBe(2)
    const err = (JSON.parse(r.stdout) as {error: {kind: string; message: string}}).error
    expect(err.kind).toBe('usage')
    expect(err.message).toContain('alias, keyName, hash, spent, budget')
    expect(fx.srv.requests).toEqual([])
  })

  it('keys create refuses fields that would drop the new key, before minting', async () => {
    const r = await run(['keys', 'create', '--alias', 'jf-drop', '--budget', '5', '--json', 'details'])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toContain("would leave out 'key'")
    expect(fx.srv.requests).toEqual([])
    const ok = await run(['keys', 'create', '--alias', 'jf-keep', '--budget', '5', '--json', 'key,created'])
    expect(ok.exitCode).toBe(0)
    expect(JSON.parse(ok.stdout)).toEqual({key: expect.stringMatching(/^sk-/), created: true})
  })

  it('every command with --json has its fields declared, and its help lists them (README too)', async () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>; pluginName: string}>}
    const withJson = Object.entries(manifest.commands).filter(([, c]) => c.pluginName === 'keyward' && 'json' in c.flags).map(([id]) => id)
    expect(withJson.length).toBeGreaterThan(10)
    expect(withJson.filter((id) => !(id in JSON_SHAPES))).toEqual([])
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const help = await run(['keys', 'list', '--help'])
    expect(help.stdout).toContain('JSON FIELDS')
    expect(help.stdout).toMatch(/alias, keyName, hash, spent, budget/)
    expect(readme).toContain('JSON FIELDS')
    expect(readme).toContain('--json alias,spent')
  })
})

describe('--jq EXPR', () => {
  it('filters the JSON result; strings print raw, one a line; --jq implies --json', async () => {
    const full = JSON.parse((await run(['keys', 'list', '--json'])).stdout) as {keys: Array<{alias: string; spent: number}>}
    const r = await run(['keys', 'list', '--jq', '.keys[] | select(.spent > 0) | .alias'])
    expect({exit: r.exitCode, stderr: r.stderr}).toEqual({exit: 0, stderr: ''})
    expect(r.stdout).toBe(full.keys.filter((k) => k.spent > 0).map((k) => `${k.alias}\n`).join(''))
    const obj = await run(['keys', 'list', '--jq=.totals'])
    // Piped: other values as compact JSON.
    expect(obj.stdout).toMatch(/^\{"keys":\d+,"spent":[\d.]+,"budget":[\d.]+\}\n$/)
  })

  it('on a terminal: other values indented, and raw strings without escape sequences', async () => {
    fx.srv.addKey({key: 'sk-jf-hostile-00000000000009', key_alias: 'red\u001b[31mtext', max_budget: 1})
    const r = await runBinInPty(['keys', 'list', '--jq', '.totals, (.keys[] | select(.alias | startswith("red")) | .alias)'], {columns: 100, env: env()})
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/^\{\n {2}"keys": \d+,\n/)
    expect(r.stdout).toContain('red\\e[31mtext\n')
    expect(r.stdout).not.toContain('\u001b')
  })

  it('works on the --json fields: keys list --json alias,spent --jq', async () => {
    const r = await run(['keys', 'list', '--json', 'alias,spent', '--jq', '.[0] | keys'])
    expect(r.stdout).toBe('["alias","spent"]\n')
  })

  it.each([['.keys['], ['.keys | nosuchfunction'], ['']])('a bad expression %j: exit 2, one line on stderr, no request sent', async (expr) => {
    const r = await run(['keys', 'list', '--jq', expr])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: (invalid --jq expression: |--jq needs an expression)/)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(fx.srv.requests).toEqual([])
  })

  it('an expression that fails on the data: exit 2, jq\'s error in one line', async () => {
    const r = await run(['keys', 'list', '--jq', '.keys[0].spent | .[]'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: --jq: Cannot iterate over number/)
  })

  it('a command error with --jq is one line on stderr (stdout empty), with its exit code', async () => {
    const r = await runBin(['keys', 'info', 'no-such-key', '--jq', '.alias'], {env: env()})
    expect(r.exitCode).toBe(4)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^Error: /)
  })

  it('keys create --jq that leaves out the new key prints the whole result instead (the key is never lost)', async () => {
    const r = await run(['keys', 'create', '--alias', 'jq-drop', '--budget', '5', '--jq', '.details.alias'])
    expect(r.exitCode).toBe(0)
    const doc = JSON.parse(r.stdout) as {key: string}
    expect(doc.key).toMatch(/^sk-/)
    expect(r.stderr).toContain("leaves out 'key'")
    const only = await run(['keys', 'create', '--alias', 'jq-keep', '--budget', '5', '--jq', '.key'])
    expect(only.stdout).toMatch(/^sk-\S+\n$/)
  })
})

describe('root help', () => {
  it.each([[[]], [['--help']]])('keyward %j shows the environment variables, every exit code and three examples', async (args) => {
    const r = await run(args)
    expect(r.exitCode).toBe(0)
    const text = r.stdout
    for (const name of ['LITELLM_PROXY_URL', 'LITELLM_MASTER_KEY', 'LITELLM_API_KEY', 'KEYWARD_PROFILE', 'KEYWARD_TIMEOUT', 'KEYWARD_NOTIFY', 'KEYWARD_NOW']) {
      expect(text).toMatch(new RegExp(`^  ${name}\\s`, 'm'))
    }
    const {EXIT_CODE_TABLE} = await import('../../src/core/exit-codes.js')
    const exits = text.slice(text.indexOf('EXIT CODES'))
    for (const {code, meaning} of EXIT_CODE_TABLE) expect(exits).toMatch(new RegExp(`^  ${code}\\s+${meaning.slice(0, 20).replace(/[()]/g, '\\$&')}`, 'm'))
    const examples = text.slice(text.indexOf('\nEXAMPLES'))
    expect(examples.match(/^\s+\$ keyward /gm)).toHaveLength(3)
  })
})

describe('the environment variables in the root help', () => {
  it('are every variable src/ reads (bar the generic ones), and the README names each', async () => {
    const {ENVIRONMENT} = await import('../../src/cli/environment.js')
    const {readdirSync, statSync} = await import('node:fs')
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]))
    const read = new Set<string>()
    for (const f of walk(path.join(ROOT, 'src'))) for (const m of readFileSync(f, 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]{2,})/g)) read.add(m[1]!)
    // Other programs' variables keyward reads as they do (OCLIF_NEXT_VERSION: oclif's, in src/cli/run-kind.ts).
    const others = ['OPENCLAW_STATE_DIR', 'OPENCLAW_HOME', 'OPENCLAW_PROFILE', 'OCLIF_NEXT_VERSION']
    const generic = new Set(['HOME', 'PATH', 'TERM', 'SHELL', 'COLUMNS', 'USERPROFILE', 'XDG_CACHE_HOME', 'FORCE_COLOR', ...others])
    const listed = new Set(ENVIRONMENT.map((e) => e.name))
    expect([...read].filter((n) => !generic.has(n) && !listed.has(n))).toEqual([])
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    expect(ENVIRONMENT.map((e) => e.name).filter((n) => !readme.includes(`\`${n}\``))).toEqual([])
  })
})

describe('JSON as oclif prints it', () => {
  it('is JSON.stringify indented by two, with hostile strings as data; a theme.json with JSON colours still colours it', async () => {
    fx.srv.addKey({key: 'sk-jf-hostile-0000000000004', key_alias: 'a "quoted" \\ %s %d\u2028 \u00e9 \u001b[31m', max_budget: 1, budget_duration: '30d'})
    const r = await run(['keys', 'list', '--json'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe(`${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`)
    expect(r.stdout).toContain('"a \\"quoted\\" \\\\ %s %d\u2028 \u00e9 \\u001b[31m"')

    // oclif reads a user's theme from the config folder (KEYWARD_CONFIG_DIR here).
    const configDir = path.join(fx.dir, 'themed')
    await fs.mkdir(configDir, {recursive: true})
    await fs.writeFile(path.join(configDir, 'theme.json'), JSON.stringify({json: {key: 'red'}}))
    const themed = await runBin(['keys', 'list', '--json'], {env: {...env(), KEYWARD_CONFIG_DIR: configDir, NO_COLOR: undefined, FORCE_COLOR: '1'}})
    expect(themed.exitCode).toBe(0)
    expect(themed.stdout).toContain('\u001b[31m"keys"\u001b[39m: [')
    expect(themed.stdout.replace(/\u001b\[\d+m/g, '')).toBe(r.stdout)
  })
})
