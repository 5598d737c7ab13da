/**
 * Every output byte for byte: the built CLI (`bin/run.js`: one CommonJS bundle, oclif's explicit command
 * strategy, a V8 code cache, lean undici, trimmed zod) against the same source built the plain way
 * (scripts/build-reference.mjs: ESM chunks, oclif's pattern strategy, no code cache, nothing trimmed), each
 * run against the test server at a pinned clock. Start-up work must not change a single byte of stdout,
 * stderr, the exit code or a written file. Comparing two builds of the same commit, not a recording, keeps
 * the test about the build: an intended output change changes both sides. Each case also names its exit
 * code, so two builds failing alike do not pass unnoticed.
 *
 * The only rewrites: the test server's port, each run's temporary folder, the Node version/platform in
 * `--version`, and the measured latency in `status`. Needs `npm run build`; the reference is built here
 * (a few seconds), or taken from KEYWARD_GOLDEN_REFERENCE (a folder built by scripts/build-reference.mjs,
 * or any built keyward checkout, e.g. another branch's, to compare the outputs of two versions).
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {execFileSync} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {HOSTILE_STRINGS} from '../server/index.js'
import {useTestServers} from '../helpers/test-server.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const MONTH_START = new Date('2026-11-01T00:00:00Z')

interface Case {
  name: string
  args: string[]
  /** The exit code both builds must give. */
  exit: number
  env?: Record<string, string | undefined>
  /** Files (relative to the run's temporary folder) whose content is part of the output. */
  files?: string[]
  /** Lines of stderr compared in sorted order: --debug logs requests made in parallel as they finish. */
  sortStderr?: boolean
}
interface Output {
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
  {name: 'version --version', exit: 0, args: ['--version']},
  {name: 'version -v', exit: 0, args: ['-v']},
  {name: 'version (command)', exit: 0, args: ['version']},
  // every help form
  {name: 'help (no arguments)', exit: 0, args: []},
  {name: 'help --help', exit: 0, args: ['--help']},
  {name: 'help -h', exit: 0, args: ['-h']},
  {name: 'help (command)', exit: 0, args: ['help']},
  {name: 'help topic keys', exit: 0, args: ['keys']},
  {name: 'help keys --help', exit: 0, args: ['keys', '--help']},
  {name: 'help keys -h', exit: 0, args: ['keys', '-h']},
  {name: 'help help keys', exit: 0, args: ['help', 'keys']},
  {name: 'help keys list --help', exit: 0, args: ['keys', 'list', '--help']},
  {name: 'help keys list -h', exit: 0, args: ['keys', 'list', '-h']},
  {name: 'help help keys list', exit: 0, args: ['help', 'keys', 'list']},
  {name: 'help keys:list --help', exit: 0, args: ['keys:list', '--help']},
  {name: 'help topic spend', exit: 0, args: ['spend']},
  {name: 'help topic budget', exit: 0, args: ['budget', '--help']},
  {name: 'help topic openclaw', exit: 0, args: ['help', 'openclaw']},
  {name: 'help spend report --help', exit: 0, args: ['spend', 'report', '--help']},
  {name: 'help spend logs --help', exit: 0, args: ['spend', 'logs', '--help']},
  {name: 'help budget check --help', exit: 0, args: ['budget', 'check', '--help']},
  {name: 'help keys create --help', exit: 0, args: ['keys', 'create', '--help']},
  {name: 'help openclaw connect --help', exit: 0, args: ['openclaw', 'connect', '--help']},
  {name: 'help status --help', exit: 0, args: ['status', '--help']},
  {name: 'help login --help', exit: 0, args: ['login', '--help']},
  {name: 'help autocomplete --help', exit: 0, args: ['autocomplete', '--help']},
  {name: 'help help --help', exit: 0, args: ['help', '--help']},
  {name: 'help narrow terminal', exit: 0, args: ['keys', 'list', '--help'], env: {COLUMNS: '50'}},
  // autocomplete
  {name: 'autocomplete bash', exit: 0, args: ['autocomplete', 'bash']},
  {name: 'autocomplete zsh', exit: 0, args: ['autocomplete', 'zsh']},
  {name: 'autocomplete fish', exit: 2, args: ['autocomplete', 'fish']},
  {name: 'complete key aliases', exit: 0, args: ['complete', '--', 'keys', 'info', '']},
  {name: 'complete --by values', exit: 0, args: ['complete', '--', 'spend', 'report', '--by', '']},
  // --json fields and --jq
  {name: 'keys list --json fields', exit: 0, args: ['keys', 'list', '--json', 'alias,spent,budget']},
  {name: 'keys list --json unknown field', exit: 2, args: ['keys', 'list', '--json', 'alias,nosuch']},
  {name: 'keys list --jq', exit: 0, args: ['keys', 'list', '--jq', '.keys[].alias']},
  {name: 'keys list --jq bad expression', exit: 2, args: ['keys', 'list', '--jq', '.keys[']},
  // unknown commands
  {name: 'unknown keys lst', exit: 2, args: ['keys', 'lst']},
  {name: 'unknown keys lst --json', exit: 2, args: ['keys', 'lst', '--json']},
  {name: 'unknown frobnicate', exit: 2, args: ['frobnicate']},
  {name: 'unknown spend reprot --month', exit: 2, args: ['spend', 'reprot', '--month']},
  // bad flags and values
  {name: 'bad flag keys list --frobnicate', exit: 2, args: ['keys', 'list', '--frobnicate']},
  {name: 'bad flag keys list --json --frobnicate', exit: 2, args: ['keys', 'list', '--json', '--frobnicate']},
  {name: 'bad value keys list --sort nope', exit: 2, args: ['keys', 'list', '--sort', 'nope']},
  {name: 'bad flags keys list --csv --json', exit: 2, args: ['keys', 'list', '--csv', '--json']},
  {name: 'bad value --timeout', exit: 2, args: ['keys', 'list', '--timeout', '0']},
  {name: 'bad base url', exit: 2, args: ['keys', 'list', '--base-url', 'localhost:4000']},
  {name: 'bad profile', exit: 2, args: ['keys', 'list', '--profile', 'ghost']},
  {name: 'missing argument keys info --json', exit: 2, args: ['keys', 'block', '--json']},
  // status
  {name: 'status', exit: 0, args: ['status']},
  {name: 'status --json', exit: 0, args: ['status', '--json']},
  {name: 'status doctor', exit: 0, args: ['doctor']},
  {name: 'status wrong key', exit: 3, args: ['status'], env: {LITELLM_MASTER_KEY: 'sk-GoldenWrongKey-0000'}},
  // data: JSON, tables, CSV
  {name: 'keys list', exit: 0, args: ['keys', 'list']},
  {name: 'keys list --json', exit: 0, args: ['keys', 'list', '--json']},
  {name: 'keys list --csv', exit: 0, args: ['keys', 'list', '--csv']},
  {name: 'keys list sorted', exit: 0, args: ['keys', 'list', '--sort', 'spent', '--reverse', '--status', 'active']},
  {name: 'keys list narrow', exit: 0, args: ['keys', 'list'], env: {COLUMNS: '60'}},
  {name: 'keys list wide', exit: 0, args: ['keys', 'list'], env: {COLUMNS: '200'}},
  {name: 'keys list --debug', exit: 0, args: ['keys', 'list', '--debug'], sortStderr: true},
  {name: 'keys info --debug', exit: 0, args: ['keys', 'info', 'ci-bot', '--debug']},
  {name: 'keys list no key', exit: 3, args: ['keys', 'list'], env: {LITELLM_MASTER_KEY: undefined}},
  {name: 'keys list virtual key', exit: 3, args: ['keys', 'list'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'keys list virtual key --json', exit: 3, args: ['keys', 'list', '--json'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'keys list wrong key --json', exit: 3, args: ['keys', 'list', '--json'], env: {LITELLM_MASTER_KEY: 'sk-GoldenWrongKey-0000'}},
  {name: 'keys info', exit: 0, args: ['keys', 'info', 'openclaw']},
  {name: 'keys info --json', exit: 0, args: ['keys', 'info', 'openclaw', '--json']},
  {name: 'keys info not found', exit: 4, args: ['keys', 'info', 'nope']},
  {name: 'keys audit', exit: 10, args: ['keys', 'audit']},
  {name: 'keys audit --json', exit: 10, args: ['keys', 'audit', '--json']},
  {name: 'keys audit virtual key', exit: 3, args: ['keys', 'audit', '--json'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'budget check', exit: 11, args: ['budget', 'check']},
  {name: 'budget check --json', exit: 11, args: ['budget', 'check', '--json']},
  {name: 'budget check virtual key', exit: 3, args: ['budget', 'check'], env: {LITELLM_MASTER_KEY: VIRTUAL}},
  {name: 'spend report', exit: 0, args: ['spend', 'report', '--month', '--no-chart']},
  {name: 'spend report chart', exit: 0, args: ['spend', 'report', '--month']},
  {name: 'spend report --json', exit: 0, args: ['spend', 'report', '--month', '--by', 'key', '--json']},
  {name: 'spend report csv', exit: 0, args: ['spend', 'report', '--month', '--by', 'model', '--format', 'csv']},
  {name: 'spend logs csv', exit: 0, args: ['spend', 'logs', '--month', '--format', 'csv', '--key', 'ci-bot']},
  {name: 'status virtual key only', exit: 0, args: ['status'], env: {LITELLM_MASTER_KEY: undefined, LITELLM_API_KEY: VIRTUAL}},
  {name: 'spend logs table', exit: 0, args: ['spend', 'logs', '--month', '--format', 'table', '--key', 'ci-bot']},
  {name: 'spend logs --output .json', exit: 0, args: ['spend', 'logs', '--month', '--key', 'ci-bot', '--output', 'logs.json'], files: ['logs.json']},
  {name: 'bad flag did you mean', exit: 2, args: ['keys', 'list', '--jsn']},
  {name: 'missing argument keys block', exit: 2, args: ['keys', 'block']},
  {name: 'profiles', exit: 0, args: ['profiles']},
  {name: 'profiles --json', exit: 0, args: ['profiles', '--json']},
]


const LOG_KEYS = KEYS.filter((k) => !k.blocked).map((k) => ({alias: k.key_alias, key: k.key, team_id: k.team_id}))
const fx = useTestServers({srv: {flavor: 'new', logs: {generate: {count: 400, start: MONTH_START, end: NOW, keys: LOG_KEYS, seed: 7}}}}, {now: NOW})
let reference: string

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'bin', 'run.js')) || !existsSync(path.join(ROOT, 'oclif.manifest.json'))) throw new Error('the build is missing: run `npm run build` before the end-to-end tests')
  reference = process.env.KEYWARD_GOLDEN_REFERENCE ?? path.join(fx.dir, 'reference')
  if (!process.env.KEYWARD_GOLDEN_REFERENCE) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-reference.mjs'), reference], {cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe']})
  for (const k of KEYS) fx.srv.addKey(k)
}, 120_000)

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function runCase(c: Case, dir: string, bin: string): Promise<Output> {
  await fs.mkdir(path.join(dir, 'home'), {recursive: true})
  const r = await runBin(c.args, {
    bin,
    cwd: dir,
    env: fx.env(fx.srv, {
      HOME: path.join(dir, 'home'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
      XDG_CONFIG_HOME: path.join(dir, 'config'),
      XDG_DATA_HOME: path.join(dir, 'data'),
      KEYWARD_CONFIG_DIR: path.join(dir, 'config'),
      KEYWARD_DATA_DIR: path.join(dir, 'data'),
      ...c.env,
    }),
  })
  const normalise = (s: string) =>
    s
      .replace(new RegExp(escape(dir), 'g'), '<TMP>')
      .replace(new RegExp(escape(fx.srv.url), 'g'), 'http://127.0.0.1:<PORT>')
      .replace(new RegExp(` node-${escape(process.version)}`, 'g'), ' node-<VERSION>')
      .replace(new RegExp(escape(`${process.platform}-${process.arch}`), 'g'), '<PLATFORM>')
      .replace(/reachable \(\d+ ms\)/g, 'reachable (<N> ms)')
      .replace(/"latencyMs": \d+/g, '"latencyMs": <N>')
      .replace(/ -> (\d+) \(\d+ ms/g, ' -> $1 (<N> ms')
      .replace(/ in \d+(\.\d+)? s$/gm, ' in <N> s')
  const stderr = normalise(r.stderr)
  const out: Output = {exitCode: r.exitCode, stdout: normalise(r.stdout), stderr: c.sortStderr ? stderr.split('\n').sort().join('\n') : stderr}
  if (c.files) {
    // Lines sorted: oclif loads its plugins concurrently (plugin-loader's Promise.all) and lists the help
    // and autocomplete plugins' commands in the order they finished loading, which varies on a busy machine
    // in either build. Every line must still be there, byte for byte.
    out.files = {}
    for (const f of c.files) out.files[f] = normalise(await fs.readFile(path.join(dir, f), 'utf8').catch(() => '<missing>')).split('\n').sort().join('\n')
  }
  return out
}

describe('every output of the fast build is byte-identical to the plain build of the same source', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const [fast, plain] = await Promise.all([
      runCase(c, path.join(fx.dir, 'fast', String(i)), path.join(ROOT, 'bin', 'run.js')),
      runCase(c, path.join(fx.dir, 'plain', String(i)), path.join(reference, 'bin', 'run.js')),
    ])
    // Compared as one object so a failure shows which stream differs, and every byte of it.
    expect(fast).toEqual(plain)
    expect(fast.exitCode).toBe(c.exit)
  })
})
