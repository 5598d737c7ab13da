// `npm run server`: a demo LiteLLM-compatible proxy with seeded keys and generated spend logs.
// Prints one JSON line {"url","masterKey"} on stdout once listening; logs go to stderr.
import {parseArgs} from 'node:util'
import {DEFAULT_MASTER_KEY, startTestServer, type Flavor, type GenerateKeySpec, type TestServer} from './index.js'
import {HOSTILE_STRINGS} from './spend-data.js'

function fail(message: string): never {
  process.stderr.write(`test-server: ${message}\n`)
  process.exit(2)
}

const USAGE = `Usage: npm run server -- [options]

A LiteLLM-compatible demo proxy on 127.0.0.1 with seeded keys and generated spend logs. Prints one
JSON line {"url","masterKey"} on stdout once listening; logs go to stderr. Ctrl-C stops it.

Options:
  --port N            port to listen on (0: any free port)           [default: 4000]
  --flavor new|old    new: like LiteLLM 1.96; old: an older proxy      [default: new]
  --rows N            spend-log rows to generate                     [default: 20000]
  --master-key KEY    the proxy master key                           [default: ${DEFAULT_MASTER_KEY}]
  --month YYYY-MM     the month the generated logs fall in           [default: this month]
  -h, --help          show this help

Example:
  npm run server -- --port 4001 --flavor old --rows 5000
`

let values: {port: string; flavor: string; rows: string; 'master-key': string; month?: string; help?: boolean}
try {
  ;({values} = parseArgs({
    options: {
      port: {type: 'string', default: '4000'},
      flavor: {type: 'string', default: 'new'},
      rows: {type: 'string', default: '20000'},
      'master-key': {type: 'string', default: DEFAULT_MASTER_KEY},
      month: {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    },
    strict: true,
    allowPositionals: false,
  }) as {values: typeof values})
} catch (error) {
  // node:util's messages name the option ("Unknown option '--bogus'"); no stack trace for a typo.
  const message = error instanceof Error ? error.message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '') : String(error)
  fail(`${message} (see: npm run server -- --help)`)
}
if (values.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`)
const flavor = values.flavor as Flavor
if (flavor !== 'new' && flavor !== 'old') fail(`--flavor must be new or old, got ${values.flavor}`)
const rows = Number(values.rows)
if (!Number.isInteger(rows) || rows < 0) fail(`invalid --rows ${values.rows}`)
const now = new Date()
const month = values.month ?? now.toISOString().slice(0, 7)
const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month)
if (!m) fail(`--month must be YYYY-MM, got ${month}`)
const monthStart = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))
const monthEnd = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1))
// Logs never lie in the future: the current month is generated up to now.
const logsEnd = now > monthStart && now < monthEnd ? now : monthEnd

/** Demo keys; fixed plaintext keys so the generated spend logs point at them. */
const DEMO_KEYS = [
  {key: 'sk-demo-openclaw-000000000001', key_alias: 'openclaw', max_budget: 50, budget_duration: '30d', soft_budget: 40, spend: 12.84, metadata: {owner: 'agents'}},
  {key: 'sk-demo-ci-bot-00000000000002', key_alias: 'ci-bot', max_budget: 20, budget_duration: '1d', spend: 3.21, team_id: 'team-beta'},
  {key: 'sk-demo-pipeline-000000000003', key_alias: 'data-pipeline', team_id: 'team-data'},
  {key: 'sk-demo-blocked-0000000000004', key_alias: 'legacy-blocked', max_budget: 5, blocked: true, spend: 5.02},
  // The OpenClaw docs recipe (§14): "monthly" resets daily on the old flavour; the new one stores the word and reads it as 30d.
  {key: 'sk-demo-monthly-0000000000005', key_alias: 'openclaw-monthly', max_budget: 25, budget_duration: 'monthly', spend: 7.5},
  {key: 'sk-demo-hostile-0000000000006', key_alias: HOSTILE_STRINGS[1]!, max_budget: 10, budget_duration: '30d', spend: 9.6},
]

let server: TestServer | undefined
async function main(): Promise<void> {
  const logKeys: GenerateKeySpec[] = DEMO_KEYS.filter((k) => !k.blocked).map((k) => ({alias: k.key_alias, key: k.key, team_id: k.team_id}))
  // `npm run server` (a process of its own, not a jest file): the shared fixture's jest hooks do not apply here.
  server = await startTestServer({
    flavor,
    port,
    masterKey: values['master-key'],
    logs: {generate: {count: rows, start: monthStart, end: logsEnd, keys: logKeys, seed: 42}},
    log: (line) => process.stderr.write(`${line}\n`),
  })
  // The teams the demo keys belong to (keys list compares a key's budget with its team's): data-pipeline has
  // no budget of its own, so its team's $1.50 left is its limit.
  server.addTeam({team_id: 'team-beta', team_alias: 'ci', max_budget: 100, budget_duration: '30d', spend: 41.7})
  server.addTeam({team_id: 'team-data', team_alias: 'data', max_budget: 10, budget_duration: '30d', spend: 8.5})
  for (const k of DEMO_KEYS) server.addKey(k)
  process.stderr.write(`test-server: flavor=${flavor} rows=${rows} month=${month} keys=${DEMO_KEYS.map((k) => k.key_alias).join(', ')}\n`)
  process.stdout.write(`${JSON.stringify({url: server.url, masterKey: server.masterKey})}\n`)
}

async function shutdown(signal: string): Promise<void> {
  process.stderr.write(`test-server: ${signal}, closing\n`)
  await server?.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)))
