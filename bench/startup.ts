// Start-up benchmark: alternates `node -e 0`, a bare node:http script making one request, `keyward
// --version`, and a keyward command making one request (`keys list --json`), and prints medians and
// ratios. Targets: --version under 2x `node -e 0`; the one-request command under 2x the bare script.
// Run: npm run bench:startup (builds first). ROUNDS=30 to change the number of rounds.
import {spawn} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {startTestServer} from '../test/server/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROUNDS = Number(process.env.ROUNDS ?? 20)

function timeOnce(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, args, {cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe']})
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))
      else resolve(Number(process.hrtime.bigint() - started) / 1e6)
    })
  })
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const srv = await startTestServer()
srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
const env = {PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', LITELLM_PROXY_URL: srv.url, LITELLM_MASTER_KEY: srv.masterKey}
const bin = path.join(ROOT, 'bin', 'run.js')
const cases: {name: string; args: string[]}[] = [
  {name: 'node -e 0', args: ['-e', '0']},
  {name: 'bare node:http request', args: [path.join(ROOT, 'bench', 'bare-request.mjs')]},
  {name: 'keyward --version', args: [bin, '--version']},
  {name: 'keyward keys list --json', args: [bin, 'keys', 'list', '--json']},
]
const times = new Map<string, number[]>(cases.map((c) => [c.name, []]))
try {
  for (const c of cases) await timeOnce(c.args, env) // warm the file cache
  for (let r = 0; r < ROUNDS; r++) for (const c of cases) times.get(c.name)!.push(await timeOnce(c.args, env))
} finally {
  await srv.close()
}
const m = Object.fromEntries(cases.map((c) => [c.name, median(times.get(c.name)!)]))
console.log(`start-up, median of ${ROUNDS} alternating rounds (ms):`)
for (const c of cases) console.log(`  ${c.name.padEnd(28)} ${m[c.name].toFixed(1).padStart(7)}`)
const r1 = m['keyward --version'] / m['node -e 0']
const r2 = m['keyward keys list --json'] / m['bare node:http request']
console.log(`  --version / node -e 0         ${r1.toFixed(2)}x  (target < 2x) ${r1 < 2 ? 'OK' : 'MISSED'}`)
console.log(`  one request / bare script     ${r2.toFixed(2)}x  (target < 2x) ${r2 < 2 ? 'OK' : 'MISSED'}`)
