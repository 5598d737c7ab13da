import * as Flags from '@oclif/core/flags'

import {listAllKeys, listKeysPage} from '../../api/keys.js'
import {BaseCommand} from '../../cli/base-command.js'
import {summarizeKey, type KeySummary} from '../../domain/key-summary.js'
import {filterSummaries, parseSortField, parseKeyStatus, sortSummaries, totals} from '../../domain/keys-list.js'
import {tighterHolders} from '../../workflows/key-limits.js'
import {keyListCsvHeader, keyListCsvRow, renderKeyList} from '../../output/keys.js'
import type {ListResult} from '../../contracts/keys.js'

export default class KeysList extends BaseCommand<typeof KeysList> {
  static description = `Lists every key on the proxy (paging /key/list 100 at a time to the end) with alias, key name, spent, budget, remaining, % used, period, next reset, expiry and status, and a Total row. When a key's team (or user) has less left than the key itself, its Status is marked * and a line under the table names that tighter limit ("* team budget: $12.00 left (team team-a, …): the tighter limit for ci"); --json has it per key as limitedBy (null when the key's own budget binds first), --csv as limited_by and limited_by_remaining. Each team and user of the listed keys is read once (/team/info, /user/info); one that cannot be read is named once on stderr and the list is shown without it. On a narrow terminal values are shortened first, then columns dropped one at a time (key name, expiry, remaining, period, next reset); piped, every column is printed. --csv writes RFC 4180 CSV (formula-safe) and --json the same data as JSON.

--sort takes alias (default), spent, budget, remaining, used, resets, expires or status; amounts sort largest first, names and times ascending; --reverse flips the order.`
  static examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --sort spent --status over-budget',
    '<%= config.bin %> <%= command.id %> --filter team-a --csv > keys.csv',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static flags = {
    csv: Flags.boolean({description: 'write CSV to stdout instead of a table', exclusive: ['json']}),
    filter: Flags.string({description: 'only keys whose alias, key name, team or user contains this text (case-insensitive)'}),
    reverse: Flags.boolean({description: 'reverse the sort order'}),
    sort: Flags.custom({parse: async (s) => parseSortField(s)})({description: 'sort by alias, spent, budget, remaining, used, resets, expires or status', default: 'alias' as const}),
    status: Flags.custom({parse: async (s) => parseKeyStatus(s)})({description: 'only keys with this status: active, blocked, expired or over-budget (repeatable)', multiple: true}),
  }
  static summary = 'list every key with spend, budget, reset and status'

  async run(): Promise<ListResult> {
    const f = this.flags
    const {client, first} = await this.masterClientWith((c) => listKeysPage(c, 1))
    const now = this.now()
    const all: KeySummary[] = []
    for await (const row of listAllKeys(client, {}, first)) all.push(summarizeKey(row, now))
    const {rows: keys, unread} = await tighterHolders(client, sortSummaries(filterSummaries(all, {text: f.filter, statuses: f.status}), f.sort, f.reverse))
    if (unread.length > 0) {
      const names = unread.map((u) => `${u.kind} ${u.id} (${u.reason})`).join(', ')
      this.warnLine(`could not read ${names}: ${unread.length === 1 ? 'its budget is' : 'their budgets are'} not compared with the keys'`)
    }
    const result: ListResult = {keys, totals: totals(keys)}
    if (f.csv) {
      process.stdout.write(keyListCsvHeader() + keys.map((k) => keyListCsvRow(k)).join(''))
    } else if (!this.jsonEnabled()) {
      // Not rendered at all under --json (out() would only throw it away).
      this.out(renderKeyList(result))
    }
    return result
  }
}
