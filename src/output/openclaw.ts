/** Results and human rendering of `openclaw connect` and `openclaw status`. */
import type {OpenClawModel} from '../domain/openclaw-models.js'
import type {ResetVerdict} from '../domain/period.js'
import {colors} from './color.js'
import {formatDateTime, formatPct, formatRelative, formatUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'

/** `openclaw connect`; also its --json output. The key itself is never part of it. */
export interface ConnectResult {
  alias: string
  /** A key was minted by this run. */
  minted: boolean
  /** `sk-...WXYZ`, as the proxy names the key. */
  keyName: string | null
  /** Where the key came from: minted now, or the working key OpenClaw already had. */
  keySource: 'minted' | 'existing' | 'would-mint' | 'rotated' | 'would-rotate'
  configPath: string
  envPath: string
  /** The OpenClaw version the config was written for (on PATH, else the config's meta), if known. */
  openclawVersion: string | null
  /** How `apiKey` is written: a SecretRef object, or the `${LITELLM_API_KEY}` string. */
  apiKeyForm: 'secret-ref' | 'string'
  backupPath: string | null
  baseUrl: string
  models: OpenClawModel[]
  primary: string | null
  primaryChanged: boolean
  /** Something was (or, with --dry-run, would be) written: the config or the .env file. */
  changed: boolean
  configChanged: boolean
  envChanged: boolean
  budget: number | null
  period: string | null
  resetAt: string | null
  dryRun: boolean
  /** The config change as a unified diff (only with --dry-run). */
  diff: string | null
  warnings: string[]
}

const label = (s: string) => s.padEnd(9)

export function renderConnect(r: ConnectResult, now: Date): string {
  const c = colors('stdout')
  const lines: string[] = []
  const verb = r.dryRun ? 'would be' : 'was'
  const keyState =
    r.keySource === 'minted'
      ? 'minted now'
      : r.keySource === 'would-mint'
        ? 'would be minted (dry run)'
        : r.keySource === 'rotated'
          ? 'rotated now: new secret, same budget and spend'
          : r.keySource === 'would-rotate'
            ? 'would get a new secret (dry run)'
            : 'already connected: kept, nothing minted'
  lines.push(`${c.bold(label('key'))} ${sanitizeForTerminal(r.alias)} ${r.keyName ? `(${r.keyName}) ` : ''}${keyState}`)
  if (r.budget !== null || r.period) {
    const reset = r.resetAt ? `, resets ${formatDateTime(new Date(r.resetAt))} (${formatRelative(new Date(r.resetAt), now)})` : ''
    lines.push(`${label('budget')} ${formatUsd(r.budget)} ${r.period ?? ''}${reset}`)
  }
  lines.push(`${label('env')} ${r.envPath}  ${r.envChanged ? `LITELLM_API_KEY ${verb} written (mode 0600)` : 'unchanged'}`)
  const cfgState = r.configChanged ? (r.dryRun ? 'would be updated' : 'updated') : 'unchanged'
  lines.push(`${label('config')} ${r.configPath}  ${cfgState}`)
  if (r.backupPath) lines.push(`${label('backup')} ${r.backupPath}`)
  lines.push(`${label('provider')} litellm → ${sanitizeForTerminal(r.baseUrl)}  (${r.models.length} model${r.models.length === 1 ? '' : 's'}: ${r.models.map((m) => sanitizeForTerminal(m.id)).join(', ')})`)
  lines.push(`${label('primary')} ${r.primary ? sanitizeForTerminal(r.primary) : c.dim('not set')}${r.primaryChanged ? (r.dryRun ? ' (would be set)' : ' (set)') : ''}`)
  return lines.join('\n')
}

/** Where OpenClaw takes its key from: the environment wins over its .env, which wins over gateway.env. */
export type KeySource = 'environment' | '.env' | 'gateway.env' | 'config'

/** A different key in a source OpenClaw does not use (it loses to `key.source`). */
export interface OtherKey {
  source: KeySource
  path: string | null
  name: string
  valid: boolean | null
  alias: string | null
  remaining: number | null
  budget: number | null
  status: string | null
}

/** `openclaw status`; also its --json output. */
export interface OpenClawStatusResult {
  configPath: string
  envPath: string
  configFound: boolean
  /** `models.providers.litellm` is present. */
  connected: boolean
  provider: {
    baseUrl: string | null
    api: string | null
    /** How the key is referenced (`${LITELLM_API_KEY}`, `SecretRef env:default:LITELLM_API_KEY`); a literal key is shown abbreviated. */
    apiKey: string | null
    models: string[]
  } | null
  otherProviders: string[]
  primary: string | null
  /** The proxy URL the key was checked against. */
  checkedAt: string | null
  key: {
    variable: string | null
    /** The key OpenClaw really uses: where it comes from. */
    source: KeySource | null
    /** The file it is in (null for the environment). */
    path: string | null
    name: string | null
    valid: boolean | null
    alias: string | null
    error: string | null
  }
  budget: {
    spent: number
    budget: number | null
    remaining: number | null
    pctUsed: number | null
    period: string | null
    resetAt: string | null
    status: string
    resetCheck: ResetVerdict | null
  } | null
  /** Different keys in the sources OpenClaw does not use, each checked. */
  otherKeys: OtherKey[]
  problems: string[]
}

export function renderOpenClawStatus(r: OpenClawStatusResult, now: Date): string {
  const c = colors('stdout')
  const lines: string[] = []
  lines.push(`${c.bold(label('config'))} ${r.configPath}${r.configFound ? '' : c.red('  (not found)')}`)
  if (r.provider) {
    lines.push(`${label('provider')} litellm → ${sanitizeForTerminal(r.provider.baseUrl ?? '-')}  api: ${sanitizeForTerminal(r.provider.api ?? '-')}  apiKey: ${sanitizeForTerminal(r.provider.apiKey ?? '-')}`)
    lines.push(`${label('models')} ${r.provider.models.length > 0 ? r.provider.models.map(sanitizeForTerminal).join(', ') : c.dim('none')}`)
  } else if (r.configFound) {
    lines.push(`${label('provider')} ${c.red('no models.providers.litellm')}`)
  }
  if (r.otherProviders.length > 0) lines.push(`${label('others')} ${r.otherProviders.map(sanitizeForTerminal).join(', ')}`)
  lines.push(`${label('primary')} ${r.primary ? sanitizeForTerminal(r.primary) : c.dim('not set')}`)
  const k = r.key
  const where = k.source === 'environment' ? `$${k.variable} (environment)` : k.source === 'config' ? 'openclaw.json (plain text!)' : (k.path ?? '')
  const state = k.valid === null ? c.dim('not checked') : k.valid ? c.green('works') : c.red('rejected')
  lines.push(`${label('key')} ${k.name ? `${k.name}${k.alias ? ` (${sanitizeForTerminal(k.alias)})` : ''} from ${where}  ${state}` : c.red(`none found${k.variable ? ` (${k.variable})` : ''}`)}${r.checkedAt ? c.dim(`  at ${r.checkedAt}`) : ''}`)
  if (r.budget) {
    const b = r.budget
    lines.push(`${label('spent')} ${formatUsd(b.spent)} of ${b.budget === null ? 'no budget' : formatUsd(b.budget)}${b.pctUsed === null ? '' : ` (${formatPct(b.pctUsed)})`}`)
    lines.push(`${label('remaining')} ${formatUsd(b.remaining)}  ${b.status === 'active' ? '' : c.red(b.status)}`.trimEnd())
    const resetAt = b.resetAt ? new Date(b.resetAt) : undefined
    lines.push(`${label('resets')} ${resetAt ? `${formatDateTime(resetAt)} (${formatRelative(resetAt, now)})${b.period ? `, ${b.period}` : ''}` : `never${b.period ? ` (${b.period})` : ''}`}`)
  }
  for (const p of r.problems) lines.push(`${c.yellow('!')} ${sanitizeForTerminal(p)}`)
  return lines.join('\n')
}
