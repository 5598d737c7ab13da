/**
 * Every output byte for byte: the built CLI (`bin/run.js`) against the test server at a pinned clock,
 * compared with outputs recorded from an earlier build (test/e2e/golden/outputs.json). Start-up work
 * (bundling, caching, lazy loading) must not change a single byte of stdout, stderr or the exit code.
 *
 * The only rewrites: the test server's port, this run's temporary folder, the Node version/platform in
 * `--version`, and the measured latency in `status`. Needs `npm run build`.
 *
 * After an intended output change, record again: KEYWARD_GOLDEN_UPDATE=1 npx jest test/e2e/golden.test.ts
 * (and review the diff of outputs.json).
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {HOSTILE_STRINGS, startTestServer, type TestServer} from '../server/index.js'

const FIXTURE = path.join(ROOT, 'test', 'e2e', 'golden', 'outputs.json')
const UPDATE = process.env.KEYWARD_GOLDEN_UPDATE === '1'
const NOW = new Date('2026-11-18T10:20:00Z')
const MONTH_START = new Date('2026-11-01T00:00:00Z')

interface Case {
  name: string
  args: string[]
  env?: Record<string, string | undefined>
  /** Files (relative to the run's temporary folder) whose content is part of the output. */
  files?: string[]
  /** Lines of stderr compared in sorted order: --debug logs requests made in parallel as they finish. */
  sortStderr?: boolean
}
interface Recorded {
  exitCode: number | null
  stdout: string
  stderr: string
  files?: Record<string, string>
}

// Demo keys made up at run time (no key-shaped literals in the source), fixed so spend logs point at them.
const demoKey = (name: string, n: number) => ['sk', 'golden', name, String(n).padStart(12, '0')].join('-')
const KEYS = [
  {key: demoKey('openclaw', 1), key_alias: 'openclaw', max_budget: 50, budget_duration: '30d', soft_budget: 40, spend: 12.84, metadata: {owner: 'agents'}},
  {key: demoKey('ci-bot', 2), key_alias: 'ci-bot', max_budget: 20, budget_duration: '1d', spend: 19.5, team_id: 'team-beta'},
  {key: demoKey('pipeline', 3), key_alias: 'data-pipeline', team_id: 'team-data'},
  {key: demoKey('blocked', 4), key_alias: 'legacy-blocked', max_budget: 5, blocked: true, spend: 5.02},
  {key: demoKey('monthly', 5), key_alias: 'openclaw-monthly', max_budget: 25, budget_duration: 'monthly', spend: 26},
  {key: demoKey('hostile', 6), key_alias: HOSTILE_STRINGS[1]!, max_budget: 10, budget_duration: '30d', spend: 9.6},
]
const VIRTUAL = KEYS[0]!.key

const CASES: Case[] = [
  // version
  {name: 'version --version', args: ['--version']},
  {name: 'version -v', args: ['-v']},
  {name: 'version (command)', args: ['version']},
  // every help form
  {name: 'help (no arguments)', args: []},
  {name: 'help --help', args: ['--help']},
  {name: 'help -h', args: ['-h']},
  {name: 'help (command)', args: ['help']},
  {name: 'help topic keys', args: ['keys']},
  {name: 'help keys --help', args: ['keys', '--help']},
  {name: 'help keys -h', args: ['keys', '-h']},
  {name: 'help help keys', args: ['help', 'keys']},
  {name: 'help keys list --help', args: ['keys', 'list', '--help']},
  {name: 'help keys list -h', args: ['keys', 'list', '-h']},
  {name: 'help help keys list', args: ['help', 'keys', 'list']},
  {name: 'help keys:list --help', args: ['keys:list', '--help']},
  {name: 'help topic spend', args: ['spend']},
  {name: 'help topic budget', args: ['budget', '--help']},
  {name: 'help topic openclaw', args: ['help', 'openclaw']},
  {name: 'help spend report --help', args: ['spend', 'report', '--help']},
  {name: 'help spend logs --help', args: ['spend', 'logs', '--help']},
  {name: 'help budget check --help', args: ['budget', 'check', '--help']},
  {name: 'help keys create --help', args: ['keys', 'create', '--help']},
  {name: 'help openclaw connect --help', args: ['openclaw', 'connect', '--help']},
  {name: 'help status --help', args: ['status', '--help']},
  {name: 'help login --help', args: ['login', '--help']},
  {name: 'help autocomplete --help', args: ['autocomplete', '--help']},
  {name: 'help help --help', args: ['help', '--help']},
  {name: 'help narrow terminal', args: ['keys', 'list', '--help'], env: {COLUMNS: '50'}},
  // autocomplete
  {name: 'autocomplete bash', args: ['autocomplete', 'bash'], files: ['cache/keyward/autocomplete/bash_setup', 'cache/keyward/autocomplete/functions/bash/keyward.bash']},
  {name: 'autocomplete zsh', args: ['autocomplete', 'zsh'], files: ['cache/keyward/autocomplete/zsh_setup', 'cache/keyward/autocomplete/functions/zsh/_keyward']},
  {name: 'autocomplete powershell', args: ['autocomplete', 'powershell']},
  {name: 'autocomplete script bash', args: ['autocomplete', 'script', 'bash']},
  {name: 'autocomplete script zsh', args: ['autocomplete', 'script', 'zsh']},
  {name: 'autocomplete --refresh-cache', args: ['autocomplete', '--refresh-cache'], files: ['cache/keyward/autocomplete/functions/bash/keyward.bash', 'cache/keyward/autocomplete/functions/zsh/_keyward']},
  // unknown commands
  {name: 'unknown keys lst', args: ['keys', 'lst']},
  {name: 'unknown keys lst --json', args: ['keys', 'lst', '--json']},
  {name: 'unknown frobnicate', args: ['frobnicate']},
  {name: 'unknown spend reprot --month', args: ['spend', 'reprot', '--month']},
  // bad flags and values
  {name: 'bad flag keys list --frobnicate', args: ['keys', 'list', '--frobnicate']},
  {name: 'bad flag keys list --json --frobnicate', args: ['keys', 'list', '--json', '--frobnicate']},
  {name: 'bad value keys list --sort nope', args: ['keys', 'list', '--sort', 'nope']},
  {name: 'bad flags keys list --csv --json', args: ['keys', 'list', '--csv', '--json']},
  {name: 'bad value --timeout', args: ['keys', 'list', '--timeout', '0']},
  {name: 'bad base url', args: ['keys', 'list', '--base-url', 'localhost:4000']},
  {name: 'bad profile', args: ['keys', 'list', '--profile', 'ghost']},
  {name: 'missing argument keys info --json', args: ['keys', 'block', '--json']},
  // status
  {name: 'status', args: ['status']},
  {name: 'status --json', args: ['status', '--json']},
  {name: 'status doctor', args: ['doctor']},
  {name: 'status wrong key', args: ['status'], env: {LITELLM_MASTER_KEY: 'sk-GoldenWrongKey-0000'}},
  // data: JSON, tables, CSV
  {name: 'keys list', args: ['keys', 'list']},
  {name: 'keys list --json', args: ['keys', 'list', '--json']},
  {name: 'keys list --csv', args: ['keys', 'list', '--csv']},
  {name: 'keys list sorted', args: ['keys', 'list', '--sort', 'spent', '--reverse', '--status', 'active']},
  {name: 'keys list narrow', args: ['keys', 'list'], env: {COLUMNS: '60'}},
  {name: 'keys list wide', args: ['keys', 'list'], env: {COLUMNS: '200'}},
  {name: 'keys list --debug', args: ['keys', 'list', '--debug'], sortStderr: true},
  {name: 'keys info --debug', args: ['keys', 'info', 'ci-bot', '--debug']},
  {name: 'keys list no key', args: ['keys', 'list'], env: {LITELLM_MASTER_KEY: undefined}},
  {name: 'keys list virtual key', args: ['keys', 'list'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'keys list virtual key --json', args: ['keys', 'list', '--json'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'keys list wrong key --json', args: ['keys', 'list', '--json'], env: {LITELLM_MASTER_KEY: 'sk-GoldenWrongKey-0000'}},
  {name: 'keys info', args: ['keys', 'info', 'openclaw']},
  {name: 'keys info --json', args: ['keys', 'info', 'openclaw', '--json']},
  {name: 'keys info not found', args: ['keys', 'info', 'nope']},
  {name: 'keys audit', args: ['keys', 'audit']},
  {name: 'keys audit --json', args: ['keys', 'audit', '--json']},
  {name: 'keys audit virtual key', args: ['keys', 'audit', '--json'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'budget check', args: ['budget', 'check']},
  {name: 'budget check --json', args: ['budget', 'check', '--json']},
  {name: 'budget check virtual key', args: ['budget', 'check'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'spend report', args: ['spend', 'report', '--month', '--no-chart']},
  {name: 'spend report chart', args: ['spend', 'report', '--month']},
  {name: 'spend report --json', args: ['spend', 'report', '--month', '--by', 'key', '--json']},
  {name: 'spend report csv', args: ['spend', 'report', '--month', '--by', 'model', '--format', 'csv']},
  {name: 'spend logs csv', args: ['spend', 'logs', '--month', '--format', 'csv', '--key', 'ci-bot']},
  {name: 'profiles', args: ['profiles']},
  {name: 'profiles --json', args: ['profiles', '--json']},
]

let srv: TestServer
let tmpRoot: string
let recorded: Record<string, Recorded> = {}
const actual: Record<string, Recorded> = {}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'bin', 'run.js')) || !existsSync(path.join(ROOT, 'oclif.manifest.json'))) throw new Error('the build is missing: run `npm run build` before the end-to-end tests')
  srv = await startTestServer({
    flavor: 'new',
    now: () => NOW,
    logs: {generate: {count: 400, start: MONTH_START, end: NOW, keys: KEYS.filter((k) => !k.blocked).map((k) => ({alias: k.key_alias, key: k.key, team_id: k.team_id})), seed: 7}},
  })
  for (const k of KEYS) srv.addKey(k)
  tmpRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-golden-'))
  if (!UPDATE) recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Recorded>
}, 60_000)

afterAll(async () => {
  await srv?.close()
  if (tmpRoot) await fs.rm(tmpRoot, {recursive: true, force: true})
  if (UPDATE && Object.keys(actual).length === CASES.length) {
    const ordered = Object.fromEntries(CASES.map((c) => [c.name, actual[c.name]]))
    writeFileSync(FIXTURE, `${JSON.stringify(ordered, null, 2)}\n`)
  }
})

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function runCase(c: Case, index: number): Promise<Recorded> {
  const dir = path.join(tmpRoot, String(index))
  await fs.mkdir(path.join(dir, 'home'), {recursive: true})
  const r = await runBin(c.args, {
    cwd: dir,
    env: {
      HOME: path.join(dir, 'home'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
      XDG_CONFIG_HOME: path.join(dir, 'config'),
      XDG_DATA_HOME: path.join(dir, 'data'),
      KEYWARD_CONFIG_DIR: path.join(dir, 'config'),
      KEYWARD_DATA_DIR: path.join(dir, 'data'),
      LITELLM_PROXY_URL: srv.url,
      LITELLM_MASTER_KEY: srv.masterKey,
      KEYWARD_NOW: NOW.toISOString(),
      ...c.env,
    },
  })
  const normalise = (s: string) =>
    s
      .replace(new RegExp(escape(dir), 'g'), '<TMP>')
      .replace(new RegExp(escape(srv.url), 'g'), 'http://127.0.0.1:<PORT>')
      .replace(new RegExp(` node-${escape(process.version)}`, 'g'), ' node-<VERSION>')
      .replace(new RegExp(escape(`${process.platform}-${process.arch}`), 'g'), '<PLATFORM>')
      .replace(/reachable \(\d+ ms\)/g, 'reachable (<N> ms)')
      .replace(/"latencyMs": \d+/g, '"latencyMs": <N>')
      .replace(/ -> (\d+) \(\d+ ms/g, ' -> $1 (<N> ms')
  const stderr = normalise(r.stderr)
  const out: Recorded = {exitCode: r.exitCode, stdout: normalise(r.stdout), stderr: c.sortStderr ? stderr.split('\n').sort().join('\n') : stderr}
  if (c.files) {
    // Lines sorted: oclif loads its plugins concurrently (plugin-loader's Promise.all) and lists the help
    // and autocomplete plugins' commands in the order they finished loading, which varies on a busy machine
    // in the old build as in the new one. Every line must still be there, byte for byte.
    out.files = {}
    for (const f of c.files) out.files[f] = normalise(await fs.readFile(path.join(dir, f), 'utf8').catch(() => '<missing>')).split('\n').sort().join('\n')
  }
  return out
}

describe('every output is byte-identical to the recorded build', () => {
  it('the recording covers exactly these cases', () => {
    if (UPDATE) return
    expect(Object.keys(recorded)).toEqual(CASES.map((c) => c.name))
  })

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const got = await runCase(c, i)
    actual[c.name] = got
    // Recording: every case must have run to its end (not killed by the time-out).
    if (UPDATE) return expect(got.exitCode).not.toBeNull()
    const want = recorded[c.name]
    expect(want).toBeDefined()
    // Compared as one object so a failure shows which stream differs, and every byte of it.
    expect(got).toEqual(want)
  })
})
