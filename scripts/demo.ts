// `npm run demo`: a tour of keyward. Against your proxy when LITELLM_PROXY_URL and LITELLM_MASTER_KEY
// are set (a key `keyward-demo-<time>` is created and deleted again); otherwise against the bundled
// LiteLLM-compatible test server with a month of generated spend logs. Profiles, alert state and the
// OpenClaw config live in a temporary folder, so your own settings are never touched.
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {hashKey, startTestServer, type TestServer} from '../test/server/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'run.js')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'keyward-demo-'))
const bold = (s: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001B[1m${s}\u001B[22m` : s)

let server: TestServer | undefined
let url = process.env.LITELLM_PROXY_URL
let masterKey = process.env.LITELLM_MASTER_KEY
const ownProxy = Boolean(url && masterKey)
if (!ownProxy) {
  // Demo keys are made up on each run (the generated spend logs need them up front).
  const openclawKey = `sk-${randomBytes(16).toString('hex')}`
  const ciBotKey = `sk-${randomBytes(16).toString('hex')}`
  const now = new Date()
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  server = await startTestServer({
    logs: {generate: {count: 20_000, start: monthStart, end: now, keys: [{alias: 'openclaw', key: openclawKey}, {alias: 'ci-bot', key: ciBotKey}], seed: 7}},
  })
  // Give the keys the spend their logs add up to, so every view tells the same story.
  const spentBy = (key: string): number => {
    const hash = hashKey(key)
    let sum = 0
    for (const row of server!.spendRows()) if (row.api_key === hash) sum += row.spend
    return Math.round(sum * 100) / 100
  }
  const openclawSpent = spentBy(openclawKey)
  server.addKey({key: openclawKey, key_alias: 'openclaw', max_budget: Math.ceil(openclawSpent / 0.82), budget_duration: '30d', spend: openclawSpent})
  server.addKey({key: ciBotKey, key_alias: 'ci-bot', max_budget: 1000, budget_duration: '30d', spend: spentBy(ciBotKey)})
  url = server.url
  masterKey = server.masterKey
  console.log(bold(`Started the bundled LiteLLM-compatible test server at ${url}`))
}
const demoAlias = ownProxy ? `keyward-demo-${Date.now()}` : 'demo-agent'
const env = {
  ...process.env,
  LITELLM_PROXY_URL: url,
  LITELLM_MASTER_KEY: masterKey,
  KEYWARD_CONFIG_DIR: path.join(tmp, 'config'),
  KEYWARD_DATA_DIR: path.join(tmp, 'data'),
  HOME: tmp,
}

function keyward(args: string[], note: string, extraEnv: Record<string, string | undefined> = {}): Promise<number> {
  console.log(`\n${bold(`# ${note}`)}\n${bold(`$ keyward ${args.join(' ')}`)}`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {env: {...env, ...extraEnv}, stdio: 'inherit'})
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? 1))
  })
}

type Step = [string[], string, Record<string, string | undefined>?]
const steps: Step[] = [
  [['status'], 'Is the proxy there, is the key right, what can it do?'],
  [['keys', 'create', '--alias', demoAlias, '--budget', '50'], 'Mint a key with a $50 budget that resets monthly (sent as 30d)'],
  [['keys', 'info', demoAlias], 'Budget, spent, remaining, and when it resets'],
  [['keys', 'list'], 'Every key at a glance'],
  [['keys', 'audit'], 'Keys whose budgets are set dangerously (exit 10 when any is found)'],
  [['spend', 'report', '--month'], 'Where did the money go this month?'],
  [['spend', 'report', '--month', '--by', 'model', '--key', 'openclaw'], 'One key, by model'],
  [['spend', 'logs', '--month', '--key', 'openclaw', '--output', path.join(tmp, 'openclaw.csv')], 'Every request of one key, exported to CSV'],
  [['budget', 'check', '--threshold', '50,80,100', '--forecast', '--dry-run'], 'What cron would alert about (dry run: nothing sent, no state kept)'],
  [['openclaw', 'connect', '--alias', `${demoAlias}-openclaw`, '--budget', '25', '--dry-run'], "OpenClaw's config change, as a diff (dry run)"],
  [['keys', 'delete', demoAlias, '--yes'], 'Clean up'],
]
let oldProxy: TestServer | undefined
try {
  for (const [args, note, extraEnv] of steps) {
    const code = await keyward(args, note, extraEnv)
    if (code !== 0) console.log(`(exit code ${code})`)
  }
  if (!ownProxy) {
    // The trap keyward exists for: an older proxy stores "monthly" and resets the budget every night.
    oldProxy = await startTestServer({flavor: 'old'})
    oldProxy.addKey({key_alias: 'docs-recipe', max_budget: 50, budget_duration: 'monthly', spend: 12.5})
    console.log(bold(`\nStarted an older-proxy flavour at ${oldProxy.url}, with a key made by OpenClaw's docs recipe ("budget_duration": "monthly")`))
    const oldEnv = {LITELLM_PROXY_URL: oldProxy.url, LITELLM_MASTER_KEY: oldProxy.masterKey}
    const trapSteps: Step[] = [
      [['keys', 'audit'], 'The docs recipe on an older proxy: stored as "monthly", reset every night', oldEnv],
      [['keys', 'create', '--alias', 'done-right', '--budget', '50'], 'keyward sends 30d instead, and reads the reset time back', oldEnv],
    ]
    for (const [args, note, extraEnv] of trapSteps) {
      const code = await keyward(args, note, extraEnv)
      if (code !== 0) console.log(`(exit code ${code})`)
    }
  }
  console.log(`\n${bold('Done.')} Try it yourself: ${ownProxy ? '' : 'npm run server, then '}./bin/run.js --help`)
} finally {
  await server?.close()
  await oldProxy?.close()
  rmSync(tmp, {recursive: true, force: true})
}
