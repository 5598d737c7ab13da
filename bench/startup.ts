// Start-up benchmark. In one run, alternating whole processes round by round, it times:
//   node -e 0 · a bare node:http script making one request (bench/bare-request.mjs) · keyward --version ·
//   keyward keys --help · keyward keys list --json (one request after the master-key check)
// each with NODE_EXTRA_CA_CERTS as this environment has it and without it, on the Node running the bench
// and on NODE22 / NODE24 (paths to those node binaries) when given. It prints medians and the ratios the
// targets are stated in, the peak RSS of `keys list --json` (from /usr/bin/time when present), and the
// first (cold cache) run of `keys list --json` against a warm one.
//
// Targets (Node 20): keys list --json <= 1.5x the bare script with NODE_EXTRA_CA_CERTS as set here, <= 2x
// without it; keys --help <= 1.5x node -e 0; --version <= 1.2x node -e 0; peak RSS <= 60 MB.
//
// Beside them, the same source built the plain way (scripts/build-reference.mjs: keyward's build before its
// start-up work, with Node 22+'s own compile cache) runs `keys list --json` in the same rounds, and both
// builds' first runs with an empty cache are timed: a fresh install must not start slower than before.
//
// Run: npm run bench:startup (builds first). ROUNDS=20 to change the number of rounds.
//   NODE22=/path/to/node22 NODE24=/path/to/node24 npm run bench:startup
// Without NODE22/NODE24 it looks for node binaries installed from npm under ~/.cache/keyward*/ (as
// `npm install --prefix ~/.cache/keyward-bench/n22 node@22` puts them, or test:openclaw's Node 24).
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {startTestServer} from '../test/server/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROUNDS = Number(process.env.ROUNDS ?? 15)
const BIN = path.join(ROOT, 'bin', 'run.js')
const BARE = path.join(ROOT, 'bench', 'bare-request.mjs')

// With GNU time, each run also reports its CPU time (user + system): on a shared machine CPU time moves
// far less than wall time when other work competes for the cores.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
interface Timing {
  wall: number
  cpu?: number
}

function timeOnce(node: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const [cmd, argv] = TIME ? [TIME, ['-f', '@@%U %S', node, ...args]] : [node, args]
    const child = spawn(cmd, argv, {cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe']})
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))
      const m = /@@([\d.]+) ([\d.]+)\s*$/.exec(err)
      resolve({wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined})
    })
  })
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const nodes: {name: string; bin: string}[] = [{name: `node ${process.version}`, bin: process.execPath}]
const versionOf = (bin: string) => spawnSync(bin, ['--version'], {encoding: 'utf8'}).stdout?.trim() ?? ''
const subdirs = (dir: string) => {
  try {
    return readdirSync(dir, {withFileTypes: true}).filter((e) => e.isDirectory() && e.name !== 'node_modules').map((e) => path.join(dir, e.name))
  } catch {
    return []
  }
}
/** node binaries from npm's `node` package under ~/.cache/keyward*\/, at most two folders down. */
function cachedNodes(): string[] {
  const found: string[] = []
  const look = (dir: string, depth: number) => {
    const bin = path.join(dir, 'node_modules', 'node', 'bin', 'node')
    if (existsSync(bin)) found.push(bin)
    if (depth > 0) for (const d of subdirs(dir)) look(d, depth - 1)
  }
  for (const d of subdirs(path.join(os.homedir(), '.cache'))) if (path.basename(d).startsWith('keyward')) look(d, 2)
  return found.sort()
}
for (const major of ['22', '24']) {
  const given = process.env[`NODE${major}`]
  if (given && !existsSync(given)) throw new Error(`NODE${major}=${given}: no such file`)
  const bin = given ?? cachedNodes().find((b) => versionOf(b).startsWith(`v${major}.`))
  if (bin) nodes.push({name: `node ${versionOf(bin)}`, bin})
}

// The plain build of the same source, for the "before" figures.
const plainRoot = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-plain-'))
execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-reference.mjs'), plainRoot], {stdio: ['ignore', 'ignore', 'inherit']})
const PLAIN_BIN = path.join(plainRoot, 'bin', 'run.js')
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ')
const loadBefore = load()

const srv = await startTestServer()
srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
srv.addKey({key_alias: 'ci-bot', max_budget: 20, budget_duration: '1d'})
const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-cache-'))
const baseEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  XDG_CACHE_HOME: cacheHome,
  NO_COLOR: '1',
  LITELLM_PROXY_URL: srv.url,
  LITELLM_MASTER_KEY: srv.masterKey,
}
const caCerts = process.env.NODE_EXTRA_CA_CERTS
const envs: {name: string; env: NodeJS.ProcessEnv}[] = [
  ...(caCerts ? [{name: 'with NODE_EXTRA_CA_CERTS', env: {...baseEnv, NODE_EXTRA_CA_CERTS: caCerts}}] : []),
  {name: 'without NODE_EXTRA_CA_CERTS', env: baseEnv},
]
const cases: {name: string; args: string[]}[] = [
  {name: 'node -e 0', args: ['-e', '0']},
  {name: 'bare node:http request', args: [BARE]},
  {name: 'keyward --version', args: [BIN, '--version']},
  {name: 'keyward keys --help', args: [BIN, 'keys', '--help']},
  {name: 'keyward keys list --json', args: [BIN, 'keys', 'list', '--json']},
  {name: 'plain build keys list --json', args: [PLAIN_BIN, 'keys', 'list', '--json']},
]

interface Row {
  node: string
  env: string
  medians: Record<string, number>
  cpu: Record<string, number | undefined>
}
const rows: Row[] = []
const cold: {node: string; cold: Timing[]; plainCold: Timing[]; warm: number}[] = []
try {
  // Cold cache: the first run of a fresh install (an empty cache folder), against the warm runs below.
  // Node 22+'s compile cache of the plain build lives in the temporary folder (NODE_COMPILE_CACHE).
  for (const n of nodes) {
    const firsts: Timing[] = []
    const plainFirsts: Timing[] = []
    for (let i = 0; i < 3; i++) {
      rmSync(path.join(cacheHome, 'keyward'), {recursive: true, force: true})
      firsts.push(await timeOnce(n.bin, [BIN, 'keys', 'list', '--json'], envs[0].env))
      rmSync(path.join(cacheHome, 'node-compile-cache'), {recursive: true, force: true})
      plainFirsts.push(await timeOnce(n.bin, [PLAIN_BIN, 'keys', 'list', '--json'], {...envs[0].env, NODE_COMPILE_CACHE: path.join(cacheHome, 'node-compile-cache')}))
    }
    cold.push({node: n.name, cold: firsts, plainCold: plainFirsts, warm: 0})
  }
  const combos = nodes.flatMap((n) => envs.map((e) => ({n, e})))
  const times = new Map<string, Timing[]>()
  const key = (n: string, e: string, c: string) => `${n}\n${e}\n${c}`
  for (const {n, e} of combos) for (const c of cases) await timeOnce(n.bin, c.args, e.env) // warm caches
  for (let r = 0; r < ROUNDS; r++) {
    for (const {n, e} of combos) {
      for (const c of cases) {
        const k = key(n.name, e.name, c.name)
        if (!times.has(k)) times.set(k, [])
        times.get(k)!.push(await timeOnce(n.bin, c.args, e.env))
      }
    }
  }
  for (const {n, e} of combos) {
    const of = (c: string) => times.get(key(n.name, e.name, c))!
    const cpuOf = (c: string) => (of(c).every((t) => t.cpu !== undefined) ? median(of(c).map((t) => t.cpu!)) : undefined)
    const medians = Object.fromEntries(cases.map((c) => [c.name, median(of(c.name).map((t) => t.wall))]))
    rows.push({node: n.name, env: e.name, medians, cpu: Object.fromEntries(cases.map((c) => [c.name, cpuOf(c.name)]))})
  }
  for (const c of cold) c.warm = rows.find((r) => r.node === c.node && r.env === envs[0].name)!.medians['keyward keys list --json']
} finally {
  await srv.close()
  rmSync(plainRoot, {recursive: true, force: true})
}

// Peak RSS of the one-request command (GNU time's maximum resident set size), with a warm cache.
let peakMb: number | undefined
if (existsSync('/usr/bin/time') && envs.length > 0) {
  const peaks: number[] = []
  const srv2 = await startTestServer()
  srv2.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
  for (let i = 0; i < 5; i++) {
    const r = await new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, 'keys', 'list', '--json'], {cwd: ROOT, env: {...envs[0].env, LITELLM_PROXY_URL: srv2.url}, stdio: ['ignore', 'ignore', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.on('error', reject)
      child.on('close', (code) => resolve({code, stderr}))
    })
    const kb = Number(r.stderr.trim().split('\n').at(-1))
    if (r.code === 0 && Number.isFinite(kb)) peaks.push(kb / 1024)
  }
  await srv2.close()
  if (peaks.length > 0) peakMb = median(peaks)
}
rmSync(cacheHome, {recursive: true, force: true})

const verdict = (ratio: number, target: number) => `(target <= ${target}x) ${ratio <= target ? 'OK' : 'MISSED'}`
console.log(`start-up, median of ${ROUNDS} alternating rounds, ${os.cpus().length} cores, load average ${loadBefore} before, ${load()} after (ms; wall, and CPU = user + system)`)
for (const row of rows) {
  const m = row.medians
  console.log(`\n${row.node}, ${row.env}`)
  for (const c of cases) console.log(`  ${c.name.padEnd(28)} ${m[c.name].toFixed(1).padStart(7)}${row.cpu[c.name] === undefined ? '' : `   cpu ${row.cpu[c.name]!.toFixed(0).padStart(4)}`}`)
  const isNode20 = row.node.startsWith('node v20.')
  const listTarget = row.env.startsWith('with ') ? 1.5 : 2
  const list = m['keyward keys list --json'] / m['bare node:http request']
  const help = m['keyward keys --help'] / m['node -e 0']
  const version = m['keyward --version'] / m['node -e 0']
  console.log(`  keys list --json / bare script  ${list.toFixed(2)}x  ${isNode20 ? verdict(list, listTarget) : ''}`)
  console.log(`  keys --help / node -e 0         ${help.toFixed(2)}x  ${isNode20 ? verdict(help, 1.5) : ''}`)
  console.log(`  --version / node -e 0           ${version.toFixed(2)}x  ${isNode20 ? verdict(version, 1.2) : ''}`)
  console.log(`  keys list --json / plain build  ${(m['keyward keys list --json'] / m['plain build keys list --json']).toFixed(2)}x`)
  const c = row.cpu
  const ratio = (a: string, b: string) => (c[a] !== undefined && c[b] ? `${(c[a]! / c[b]!).toFixed(2)}x` : '-')
  if (c['node -e 0'] !== undefined) {
    const list = `keys list --json / bare ${ratio('keyward keys list --json', 'bare node:http request')}`
    const plain = `/ plain build ${ratio('keyward keys list --json', 'plain build keys list --json')}`
    console.log(`  CPU ratios: ${list}, ${plain}, keys --help / node -e 0 ${ratio('keyward keys --help', 'node -e 0')}, --version / node -e 0 ${ratio('keyward --version', 'node -e 0')}`)
  }
}
console.log('')
const ms = (ts: Timing[], k: 'wall' | 'cpu') => ts.map((t) => (t[k] === undefined ? '-' : t[k]!.toFixed(0))).join(', ')
for (const c of cold) {
  console.log(`first run with an empty cache folder, keys list --json, ${c.node}: ${ms(c.cold, 'wall')} ms (CPU ${ms(c.cold, 'cpu')}; warm median ${c.warm.toFixed(0)} ms)`)
  console.log(`  the plain build's first run, empty compile cache: ${ms(c.plainCold, 'wall')} ms (CPU ${ms(c.plainCold, 'cpu')})`)
}
if (peakMb !== undefined) console.log(`peak RSS of keys list --json: ${peakMb.toFixed(1)} MB (target <= 60 MB) ${peakMb <= 60 ? 'OK' : 'MISSED'}`)
else console.log('peak RSS: /usr/bin/time is not installed, not measured')
