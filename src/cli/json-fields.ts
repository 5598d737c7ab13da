/**
 * `--json FIELDS`, as `gh` has it: the fields each command's JSON result can be cut down to, and the
 * argv rewrite that lets oclif's boolean `--json` take them (`--json alias,spent`, `--json=alias,spent`).
 *
 * A list command (keys list, budget check, keys audit, profiles, spend report, teams list, users list) selects fields of its
 * list's items and prints the list (`[{"alias": …, "spent": …}, …]`); any other command prints its
 * result object with only the fields named, in the order named. Each field list is checked against its
 * type at compile time (every field, and nothing else), so it cannot drift from the result it cuts.
 */
import {InputError} from '../core/errors.js'
import type {AuditFinding} from '../domain/audit.js'
import type {KeyCheck} from '../domain/alerts.js'
import type {SpendGroupRow} from '../domain/spend-aggregate.js'
import type {BlockResult, CreateResult, DeleteResult, InfoResult, KeyListRow, RotateResult, UpdateResult} from '../contracts/keys.js'
import type {ConnectResult, OpenClawStatusResult} from '../contracts/openclaw.js'
import type {LoginResult, LogoutResult, ProfileRow} from '../contracts/profiles.js'
import type {SpendLogsResult} from '../contracts/spend.js'
import type {StatusResult} from '../contracts/status.js'
import type {HolderInfoResult} from '../contracts/orgs.js'
import type {ShowRequestResult} from '../contracts/spend-debug.js'
import type {HolderSummary} from '../domain/budget-holders.js'
import type {AutocompleteResult} from '../contracts/completion.js'

export interface JsonShape {
  /** The array property a list command's fields apply to (its items are cut, the list is printed). */
  list?: string
  fields: readonly string[]
  /** The property that holds a new key's secret: output that leaves it out is replaced by the whole result. */
  secret?: string
}

/** Every field of T, in the order written: a missing or unknown field is a compile error. */
function fieldsOf<T>(all: {[K in keyof Required<T>]: true}): string[] {
  return Object.keys(all)
}

const holderSummary = {
  kind: true, id: true, name: true, spent: true, budget: true, remaining: true, pctUsed: true, softBudget: true, duration: true, period: true, resetAt: true,
  keys: true, status: true,
} as const

const keySummary = {
  alias: true, keyName: true, hash: true, spent: true, budget: true, remaining: true, pctUsed: true, softBudget: true, duration: true, period: true,
  periodIsWord: true, resetAt: true, expires: true, blocked: true, expired: true, status: true, models: true, rpmLimit: true, tpmLimit: true,
  maxParallelRequests: true, teamId: true, userId: true, resetCheck: true,
} as const

/** By oclif command id. A command with --json and no entry here prints its whole result only. */
export const JSON_SHAPES: Readonly<Record<string, JsonShape>> = {
  autocomplete: {fields: fieldsOf<AutocompleteResult>({shell: true, script: true})},
  login: {fields: fieldsOf<LoginResult>({profile: true, baseUrl: true, key: true, verified: true, configFile: true})},
  logout: {fields: fieldsOf<LogoutResult>({removed: true, configFile: true, defaultProfile: true})},
  profiles: {list: 'profiles', fields: fieldsOf<ProfileRow>({name: true, default: true, active: true, baseUrl: true, masterKey: true, apiKey: true})},
  status: {
    fields: fieldsOf<StatusResult>({
      baseUrl: true, profile: true, reachable: true, latencyMs: true, version: true, versionSource: true, db: true, key: true, access: true, features: true,
      advisories: true, verdict: true, problems: true,
    }),
  },
  'budget:check': {
    list: 'keys',
    fields: fieldsOf<KeyCheck>({
      alias: true, keyName: true, hash: true, spent: true, budget: true, remaining: true, pctUsed: true, duration: true, period: true, resetAt: true,
      window: true, windowId: true, burnRatePerDay: true, pace: true, forecastSpend: true, forecastPct: true, runOutAt: true, forecastReliable: true,
      forecastExceeds: true, verdict: true, threshold: true, problems: true, exitCode: true,
    }),
  },
  'keys:audit': {list: 'findings', fields: fieldsOf<AuditFinding>({alias: true, keyName: true, hash: true, code: true, severity: true, message: true, fix: true, window: true})},
  'keys:block': {fields: fieldsOf<BlockResult>({alias: true, keyName: true, hash: true, blocked: true, changed: true})},
  'keys:unblock': {fields: fieldsOf<BlockResult>({alias: true, keyName: true, hash: true, blocked: true, changed: true})},
  'keys:create': {fields: fieldsOf<CreateResult>({created: true, recovered: true, key: true, details: true, warnings: true}), secret: 'key'},
  'keys:delete': {fields: fieldsOf<DeleteResult>({deleted: true, alias: true, keyName: true, hash: true})},
  'keys:info': {fields: fieldsOf<InfoResult>({...keySummary, metadata: true, createdAt: true, windows: true, limitedBy: true})},
  'keys:list': {list: 'keys', fields: fieldsOf<KeyListRow>({...keySummary, limitedBy: true})},
  'keys:rotate': {
    fields: fieldsOf<RotateResult>({rotated: true, key: true, previousKeyName: true, previousHash: true, gracePeriod: true, details: true, warnings: true}),
    secret: 'key',
  },
  'keys:update': {fields: fieldsOf<UpdateResult>({sent: true, changes: true, before: true, after: true, warnings: true})},
  'openclaw:connect': {
    fields: fieldsOf<ConnectResult>({
      alias: true, minted: true, keyName: true, keySource: true, configPath: true, envPath: true, openclawVersion: true, apiKeyForm: true, backupPath: true,
      baseUrl: true, models: true, primary: true, primaryChanged: true, changed: true, configChanged: true, envChanged: true, budget: true, period: true,
      resetAt: true, dryRun: true, diff: true, warnings: true,
    }),
  },
  'openclaw:status': {
    fields: fieldsOf<OpenClawStatusResult>({
      configPath: true, envPath: true, configFound: true, connected: true, provider: true, otherProviders: true, primary: true, checkedAt: true, key: true,
      budget: true, otherKeys: true, problems: true,
    }),
  },
  'spend:logs:show': {fields: fieldsOf<ShowRequestResult>({via: true, spendLogRequests: true, request: true})},
  'spend:logs': {
    fields: fieldsOf<SpendLogsResult>({
      output: true, format: true, columns: true, range: true, source: true, rows: true, pages: true, duplicatesDropped: true, bytes: true, elapsedMs: true,
      complete: true,
    }),
  },
  'teams:list': {list: 'teams', fields: fieldsOf<HolderSummary>(holderSummary)},
  'teams:info': {fields: fieldsOf<HolderInfoResult>({holder: true, keys: true})},
  'users:list': {list: 'users', fields: fieldsOf<HolderSummary>(holderSummary)},
  'users:info': {fields: fieldsOf<HolderInfoResult>({holder: true, keys: true})},
  'spend:report': {list: 'rows', fields: fieldsOf<SpendGroupRow>({group: true, label: true, requests: true, failed: true, inputTokens: true, outputTokens: true, spend: true, breakdown: true})},
}

/** What --json / --jq asked for, taken out of argv before oclif parses it. */
export interface JsonRequest {
  /** argv with `--json FIELDS` / `--json=FIELDS` turned into `--json`, and `--json` added for `--jq`. */
  argv: string[]
  /** The fields as written (`alias,spent`), unchecked; undefined for the whole result. */
  fields?: string
  /** `--jq` was given. */
  jq: boolean
}

const FIELD_LIST = /^[A-Za-z][A-Za-z0-9]*(\s*,\s*[A-Za-z][A-Za-z0-9]*)*$/

/** `alias,spent` → the fields, checked against the command's (exit 2 naming the valid ones). */
export function parseFields(value: string, shape: JsonShape | undefined, command: string): string[] {
  const where = shape?.list ? `each item of '${shape.list}' of ${command}` : command
  const valid = shape?.fields ?? []
  const list = valid.length > 0 ? valid.join(', ') : '(none: this command prints its whole result only; use --json alone)'
  const fields = value.split(',').map((f) => f.trim())
  if (value.trim() === '' || fields.some((f) => f === '')) {
    throw new InputError(`--json '${value}': name fields separated by commas, or give --json alone for the whole result. Fields of ${where}: ${list}`, valid.length > 0 ? `--json ${valid.slice(0, 2).join(',')}` : '--json')
  }
  const unknown = fields.filter((f) => !valid.includes(f))
  if (unknown.length > 0) {
    throw new InputError(`unknown JSON field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `'${f}'`).join(', ')}: fields of ${where}: ${list}`, valid.length > 0 ? `--json ${valid.slice(0, 2).join(',')}` : '--json')
  }
  return [...new Set(fields)]
}

/**
 * Finds `--json` (before `--`) and what follows it:
 * - `--json=FIELDS` always names fields (`--json=` is an error);
 * - `--json WORD,WORD` names fields (an unknown one is an error);
 * - `--json WORD` names a field when the command takes no arguments; for one that does, only when WORD is
 *   one of its fields, so `keys info --json openclaw` still takes `openclaw` as the key (`--json=alias` is
 *   never ambiguous);
 * - `--json ''` is an error (a script's empty variable), not "the whole result".
 * `--jq` (or `--jq=`) adds `--json` when it is missing: --jq filters the JSON result.
 */
export function takeJsonArgs(argv: readonly string[], shape: JsonShape | undefined, takesArgs: boolean): JsonRequest {
  const out: string[] = []
  let fields: string | undefined
  let json = false
  let jq = false
  const end = argv.indexOf('--')
  const limit = end === -1 ? argv.length : end
  for (let i = 0; i < limit; i++) {
    const a = argv[i]!
    if (a === '--json' || a.startsWith('--json=')) {
      json = true
      out.push('--json')
      const next = argv[i + 1]
      if (a.startsWith('--json=')) {
        fields = a.slice('--json='.length)
      } else if (next !== undefined && i + 1 < limit && (next === '' || (!takesArgs && !next.startsWith('-')) || (next.includes(',') && FIELD_LIST.test(next)) || (shape?.fields.includes(next.trim()) ?? false))) {
        fields = next
        i++
      }
      continue
    }
    if (a === '--jq' || a.startsWith('--jq=')) jq = true
    out.push(a)
    // The value of --jq is never read as fields or flags.
    if (a === '--jq' && i + 1 < limit) out.push(argv[++i]!)
  }
  if (jq && !json) out.unshift('--json')
  return {argv: [...out, ...argv.slice(limit)], fields, jq}
}

/** The result cut to the fields asked for: a list command's items (the list is printed), else the object. */
export function selectFields(result: unknown, shape: JsonShape | undefined, fields: readonly string[]): unknown {
  const pick = (o: unknown): unknown => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return o
    const src = o as Record<string, unknown>
    // Every field asked for is there: one the result left out (an optional one) is null, as in gh.
    return Object.fromEntries(fields.map((f) => [f, Object.hasOwn(src, f) ? src[f] : null]))
  }
  if (shape?.list && result !== null && typeof result === 'object') {
    const items = (result as Record<string, unknown>)[shape.list]
    if (Array.isArray(items)) return items.map(pick)
  }
  return pick(result)
}
