/** Results and human rendering of `openclaw connect` and `openclaw status`. */
import {colors} from './color.js'
import {formatDateTime, formatPct, formatRelative, formatUsd} from './format.js'
import {sanitizeForTerminal} from './sanitize.js'
import type {ConnectResult, KeySource, OpenClawStatusResult, OtherKey} from '../contracts/openclaw.js'

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

const where = (source: KeySource, file: string | null, variable: string): string => (source === 'environment' ? `$${variable} in the environment` : `${file}`)

function budgetWords(valid: boolean | null, alias: string | null, remaining: number | null, budget: number | null, status: string | null): string {
  if (valid === false) return 'rejected by the proxy'
  if (valid === null) return 'not checked (proxy error)'
  const name = alias ? `'${alias}', ` : ''
  if (status && status !== 'active') return `${name}${status}`
  return budget === null ? `${name}no budget limit` : `${name}${formatUsd(remaining)} of ${formatUsd(budget)} left`
}

/** "the key in X (sk-...A: 'alias', $3 of $5 left) is used; the different key in Y (sk-...B: ...) is ignored". */
export function shadowWarning(r: OpenClawStatusResult, o: OtherKey, variable: string): string {
  const k = r.key
  const b = r.budget
  const usedWords = budgetWords(k.valid, k.alias, b?.remaining ?? null, b?.budget ?? null, b?.status ?? null)
  const otherWords = budgetWords(o.valid, o.alias, o.remaining, o.budget, o.status)
  const usedHas = k.valid === true && b?.status === 'active' && (b.remaining === null || b.remaining > 0)
  const otherHas = o.valid === true && o.status === 'active' && (o.remaining === null || o.remaining > 0)
  const verdict = usedHas === otherHas ? '' : usedHas ? ' The one OpenClaw uses has the budget.' : ` Only the ignored one has budget: ${o.source === '.env' || o.source === 'gateway.env' ? `unset $${variable}` : 'fix the one OpenClaw uses'}.`
  return `OpenClaw uses ${variable} from ${where(k.source!, k.path, variable)} (${k.name}: ${usedWords}); the different one in ${where(o.source, o.path, variable)} (${o.name}: ${otherWords}) is ignored.${verdict}`
}
