/**
 * Layer 1, step 1: every request body keyward sends to LiteLLM, made by keyward's own request builders.
 *
 * Starts the project's test server in this process, runs the built CLI (`bin/run.js`, so `npm run build`
 * first) over a fixed set of flag combinations (create, update with every flag, block, unblock, delete,
 * rotate, openclaw connect), and writes one JSON line per POST with a JSON body:
 *   {"case": "...", "method": "POST", "path": "/key/generate", "body": {...}}
 * to the file named by the first argument (or stdout). Deterministic apart from the random secrets
 * keyward chooses (`key`, `new_key`). Fails (exit 1) when a command fails or an endpoint got no body,
 * so the coverage of body shapes never shrinks silently.
 *   tsx test/litellm/layer1/capture.ts /tmp/bodies.jsonl
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {startTestServer} from '../../server/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

interface Case {
  name: string
  argv: string[]
}

/** Keys the update/block/delete/rotate cases work on, seeded before the run. */
const SEEDED = ['seed-update', 'seed-nobudget', 'seed-block', 'seed-delete', 'seed-rotate', 'seed-rotate-grace']

const CASES: Case[] = [
  {name: 'create: budget only (monthly default)', argv: ['keys', 'create', '--alias', 'c-budget', '--budget', '50']},
  {name: 'create: no budget', argv: ['keys', 'create', '--alias', 'c-plain']},
  ...['monthly', 'weekly', 'daily', 'hourly', '30d', '7d', '1d', '24h', '1h', '1w', '1mo', '30m', '3600s', 'MONTHLY', ' 30D '].map((p, i) => ({
    name: `create: --period '${p}'`,
    argv: ['keys', 'create', '--alias', `c-period-${i}`, '--budget', '10', '--period', p],
  })),
  ...['90d', '12h', '1mo', '2w', '30m'].map((e, i) => ({name: `create: --expires ${e}`, argv: ['keys', 'create', '--alias', `c-exp-${i}`, '--expires', e]})),
  {
    name: 'create: every flag',
    argv: ['keys', 'create', '--alias', 'c-all', '--budget', '12.5', '--period', 'weekly', '--soft-budget', '10', '--models', 'gpt-4o,claude-opus-4-6', '--expires', '90d', '--rpm', '60', '--tpm', '100000', '--max-parallel', '3', '--metadata', 'owner=platform', '--metadata', 'env=prod', '--team', 'team-a', '--user', 'user-1'],
  },
  {name: 'create: models, metadata, team, user without budget', argv: ['keys', 'create', '--alias', 'c-meta', '--models', 'gpt-4o', '--metadata', 'a=b=c', '--team', 'team-b', '--user', 'user-2']},
  {name: 'create: --json', argv: ['keys', 'create', '--alias', 'c-json', '--budget', '0.01', '--json']},
  ...['team/ci-bot@prod.1', 'équipe données', 'release-1.0..2', 'x'.repeat(255)].map((alias) => ({name: `create: alias ${alias.slice(0, 20)}`, argv: ['keys', 'create', '--alias', alias, '--budget', '1']})),
  {name: 'update: --budget (keeps the period)', argv: ['keys', 'update', 'seed-update', '--budget', '80']},
  {name: 'update: --budget on a key without a period (monthly default)', argv: ['keys', 'update', 'seed-nobudget', '--budget', '5']},
  ...['monthly', '1mo', '7d', '24h'].map((p) => ({name: `update: --period ${p}`, argv: ['keys', 'update', 'seed-update', '--period', p]})),
  {name: 'update: --soft-budget', argv: ['keys', 'update', 'seed-update', '--soft-budget', '20']},
  {name: 'update: --models', argv: ['keys', 'update', 'seed-update', '--models', 'gpt-4o-mini']},
  {name: 'update: --expires', argv: ['keys', 'update', 'seed-update', '--expires', '1mo']},
  {name: 'update: --rpm --tpm --max-parallel', argv: ['keys', 'update', 'seed-update', '--rpm', '10', '--tpm', '2000', '--max-parallel', '2']},
  {name: 'update: --metadata (merged)', argv: ['keys', 'update', 'seed-update', '--metadata', 'owner=data']},
  {name: 'update: --team --user', argv: ['keys', 'update', 'seed-update', '--team', 'team-c', '--user', 'user-3']},
  {name: 'update: --new-alias', argv: ['keys', 'update', 'seed-update', '--new-alias', 'seed-update-2']},
  {
    name: 'update: every flag',
    argv: ['keys', 'update', 'seed-update-2', '--budget', '100', '--period', 'daily', '--soft-budget', '90', '--models', 'a,b', '--expires', '12w', '--rpm', '5', '--tpm', '500', '--max-parallel', '1', '--metadata', 'k=v', '--team', 't', '--user', 'u', '--new-alias', 'seed-update'],
  },
  {name: 'update: --no-budget', argv: ['keys', 'update', 'seed-update', '--no-budget']},
  {name: 'block', argv: ['keys', 'block', 'seed-block']},
  {name: 'unblock', argv: ['keys', 'unblock', 'seed-block']},
  {name: 'delete', argv: ['keys', 'delete', 'seed-delete', '--yes']},
  {name: 'rotate', argv: ['keys', 'rotate', 'seed-rotate']},
  {name: 'rotate: --grace', argv: ['keys', 'rotate', 'seed-rotate-grace', '--grace', '24h']},
]

/** keyward's secrets are random; the file holds a fixed stand-in of the same format, so it is the same every run. */
const SECRET_RE = /^sk-[A-Za-z0-9_-]{32}$/
const STAND_IN = 'sk-keywardCapturedSecret00000000000'
/** Key hashes (sha256 hex) differ every run too. */
const HASH_RE = /^[0-9a-f]{64}$/
const HASH_STAND_IN = 'c'.repeat(64)

function maskSecrets(body: Record<string, unknown>, failures: string[], name: string): Record<string, unknown> {
  const out = {...body}
  for (const field of ['key', 'new_key']) {
    const v = out[field]
    if (typeof v !== 'string' || v.length === 0) continue
    // `key` on /key/update, /key/block etc. is the key's hash, not a secret.
    if (HASH_RE.test(v)) {
      out[field] = HASH_STAND_IN
      continue
    }
    if (!v.startsWith('sk-')) continue
    if (!SECRET_RE.test(v)) failures.push(`${name}: ${field} is not a LiteLLM-format secret (sk- and 32 url-safe characters)`)
    out[field] = STAND_IN
  }
  if (Array.isArray(out.keys)) out.keys = out.keys.map((k: unknown) => (typeof k === 'string' && HASH_RE.test(k) ? HASH_STAND_IN : k))
  return out
}

/** The regenerate path holds the key's hash: keep its shape, drop the value. */
const maskPath = (p: string): string => p.replace(/^\/key\/[0-9a-f]{64}\/regenerate$/, '/key/{key}/regenerate')

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...argv], {cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr}))
  })
}

async function main(): Promise<void> {
  const out = process.argv[2]
  const home = mkdtempSync(path.join(tmpdir(), 'keyward-capture-'))
  const cases: Case[] = [...CASES, {name: 'openclaw connect', argv: ['openclaw', 'connect', '--config', path.join(home, 'openclaw', 'openclaw.json'), '--budget', '25', '--period', 'monthly']}]
  // Lanes run side by side, each against its own test server, so every request is told apart by lane
  // and order. Cases on the same seeded key (update renames one; unblock needs the block) share a lane.
  const target = (c: Case, i: number): string => (c.argv[2]?.startsWith('seed-') ? c.argv[2].replace(/-2$/, '') : `case-${i}`)
  const groups = new Map<string, Case[]>()
  cases.forEach((c, i) => groups.set(target(c, i), [...(groups.get(target(c, i)) ?? []), c]))
  const lanes: Case[][] = [[], [], [], []]
  for (const group of [...groups.values()].sort((a, b) => b.length - a.length)) lanes.reduce((min, l) => (l.length < min.length ? l : min)).push(...group)
  const bodies = new Map<Case, string[]>()
  const failures: string[] = []
  try {
    await Promise.all(
      lanes.map(async (lane) => {
        // One server per lane, started here (lanes run side by side), so not the shared fixture's one per file.
        const server = await startTestServer({flavor: 'new', features: {regenerate: true}})
        try {
          for (const alias of SEEDED) server.addKey({key_alias: alias, ...(alias === 'seed-nobudget' ? {} : {max_budget: 40, budget_duration: '30d'})})
          const env: NodeJS.ProcessEnv = {
            PATH: process.env.PATH,
            HOME: home,
            XDG_CONFIG_HOME: path.join(home, '.config'),
            TZ: 'UTC',
            NO_COLOR: '1',
            LITELLM_PROXY_URL: server.url,
            LITELLM_MASTER_KEY: server.masterKey,
          }
          for (const c of lane) {
            const before = server.requests.length
            const r = await run(c.argv, env)
            if (r.code !== 0) failures.push(`${c.name}: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`)
            const lines: string[] = []
            for (const req of server.requests.slice(before)) {
              if (req.method !== 'POST' || req.body === null || typeof req.body !== 'object') continue
              lines.push(JSON.stringify({
                case: c.name,
                method: req.method,
                path: maskPath(req.path),
                body: maskSecrets(req.body as Record<string, unknown>, failures, c.name),
              }))
            }
            bodies.set(c, lines)
          }
        } finally {
          await server.close()
        }
      }),
    )
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
  const lines = cases.flatMap((c) => bodies.get(c) ?? [])
  const paths = new Set(lines.map((l) => (JSON.parse(l) as {path: string}).path))
  for (const p of ['/key/generate', '/key/update', '/key/block', '/key/unblock', '/key/delete', '/key/{key}/regenerate']) {
    if (!paths.has(p)) failures.push(`no body captured for POST ${p}`)
  }
  const text = lines.join('\n') + '\n'
  if (out) writeFileSync(out, text)
  else process.stdout.write(text)
  process.stderr.write(`capture: ${lines.length} bodies from ${CASES.length + 1} commands (${[...paths].sort().join(', ')})\n`)
  if (failures.length > 0) {
    for (const f of failures) process.stderr.write(`capture: FAIL ${f}\n`)
    process.exit(1)
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`capture: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
