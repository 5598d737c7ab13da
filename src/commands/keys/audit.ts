import * as Flags from '@oclif/core/flags'

import {listAllKeys, listKeysPage} from '../../api/keys.js'
import type {KeyRow} from '../../core/wire.js'
import {BaseCommand} from '../../cli/base-command.js'
import {AUDIT_CODES, auditKeys, parseAuditCodes, type AuditCode, type AuditResult} from '../../domain/audit.js'
import {ExitCode} from '../../core/exit-codes.js'
import {formatUsd} from '../../output/format.js'
import {renderAudit} from '../../output/keys.js'

export default class KeysAudit extends BaseCommand<typeof KeysAudit> {
  static description = `Checks every key for budgets set dangerously and prints each finding with the command that fixes it. Finding codes:

- word-duration: budget_duration stored as a word (e.g. 'monthly'); many LiteLLM versions reset it every night
- resets-daily: a monthly budget (or monthly budget window, 30d/1mo) whose next reset is at a midnight that is not the start of a month
- reset-misplaced: a monthly budget or window whose next reset is more than a month away
- reset-unknown: a monthly budget with no reset time, or a budget window (budget_limits) with none (the proxy never resets it)
- reset-overdue: a budget window whose reset is more than an hour past (the proxy's reset job has not reset it)
- over-budget: spend at or over the budget
- no-budget: no budget at all (neither max_budget nor a budget window), so spend is unlimited
- expired, blocked: keys that no longer work

Exits 10 when anything is found (0 when clean), so it can run from cron; --ignore drops codes you accept. A finding about a budget window names it in window (its duration, e.g. 30d; null for the key's own budget), and its fix sends the key's windows again (--limit), which makes the proxy set each window's reset anew. With --json: {checked, findings: [{alias, keyName, hash, code, severity, message, fix, window}], counts}.`
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --ignore blocked,expired',
    '<%= config.bin %> <%= command.id %> --json || echo "keys need attention"',
  ]
  static flags = {
    ignore: Flags.custom<AuditCode[]>({parse: async (s) => parseAuditCodes(s)})({description: `comma-separated finding codes not to report: ${AUDIT_CODES.join(', ')}`}),
  }
  static summary = 'find keys whose budget is set dangerously (exit 10 when any)'

  async run(): Promise<AuditResult> {
    const {client, first} = await this.masterClientWith((c) => listKeysPage(c, 1))
    const rows: KeyRow[] = []
    for await (const row of listAllKeys(client, {}, first)) rows.push(row)
    const result = auditKeys(rows, this.now(), {ignore: this.flags.ignore, bin: this.config.bin, formatUsd})
    if (result.findings.length > 0) this.setExitCode(ExitCode.THRESHOLD)
    if (!this.jsonEnabled()) this.out(renderAudit(result))
    return result
  }
}
