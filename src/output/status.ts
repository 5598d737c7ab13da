import {colors} from './color.js'
import {sanitizeForTerminal} from './sanitize.js'
import type {StatusResult} from '../contracts/status.js'

const yesNo = (v: boolean) => (v ? 'yes' : 'no')

/** `keyward status` on one screen. */
export function renderStatus(r: StatusResult): string {
  const c = colors('stdout')
  const ok = (good: boolean | null, text: string) => (good === null ? c.dim(text) : good ? c.green(text) : c.red(text))
  const lines: string[] = []
  lines.push(`${c.bold('proxy')}     ${r.baseUrl}  ${ok(r.reachable, r.reachable ? `reachable (${r.latencyMs} ms)` : 'unreachable')}`)
  lines.push(`${c.bold('version')}   ${r.version ? sanitizeForTerminal(r.version) : c.dim('not reported')}${r.db ? `   db: ${sanitizeForTerminal(r.db)}` : ''}`)
  const keyText = r.key.name
    ? `${r.key.name} (${r.key.role}, from ${r.key.source})  ${ok(r.key.valid, r.key.valid === null ? 'not checked' : r.key.valid ? 'accepted' : 'rejected')}`
    : c.red('none configured')
  lines.push(`${c.bold('key')}       ${keyText}`)
  if (r.features) {
    const f = r.features
    lines.push(`${c.bold('features')}  spend/logs/v2: ${yesNo(f.spendLogsV2)}  spend/logs/ui: ${yesNo(f.spendLogsUi)}  daily activity: ${yesNo(f.dailyActivity)}  reset_spend: ${yesNo(f.resetSpend)}`)
  }
  lines.push(`${c.bold('profile')}   ${r.profile}`)
  for (const p of r.problems) lines.push(`${c.yellow('!')} ${sanitizeForTerminal(p)}`)
  const ownKey = r.access === 'own-key' && r.verdict !== 'error'
  const verdict = ownKey
    ? (r.verdict === 'ok' ? c.green : c.yellow)(`OK for this key's own use: keys info, budget check, openclaw status${r.verdict === 'warning' ? ' (with warnings)' : ''}`)
    : r.verdict === 'ok'
      ? c.green('OK: ready to use')
      : r.verdict === 'warning'
        ? c.yellow('OK, with warnings')
        : c.red('NOT READY')
  lines.push(`${c.bold('verdict')}   ${verdict}`)
  if (ownKey) lines.push(`          keys list/create/update/delete, spend report, spend logs and openclaw connect need the master key: set LITELLM_MASTER_KEY or run keyward login`)
  return lines.join('\n')
}
