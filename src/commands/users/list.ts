import * as Flags from '@oclif/core/flags'

import {listAllUsers} from '../../api/users.js'
import {BaseCommand} from '../../cli/base-command.js'
import {holderTotals, summarizeUser, type HolderSummary} from '../../domain/budget-holders.js'
import {holderCsv, renderHolderList} from '../../output/orgs.js'
import type {UsersListResult} from '../../contracts/orgs.js'

export default class UsersList extends BaseCommand<typeof UsersList> {
  static description = `Lists every internal user on the proxy (paging /user/list 100 at a time) with their own budget: spent, budget, remaining, % used, period, next reset, number of keys and status, and a Total row. --csv writes RFC 4180 CSV (formula-safe), --json the same data as JSON.`
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --csv > users.csv', '<%= config.bin %> <%= command.id %> --json']
  static flags = {
    csv: Flags.boolean({description: 'write CSV to stdout instead of a table', exclusive: ['json']}),
  }
  static summary = 'list users with spend, budget, reset and key count'

  async run(): Promise<UsersListResult> {
    const client = await this.masterClient()
    const users: HolderSummary[] = []
    for await (const u of listAllUsers(client)) users.push(summarizeUser(u, u.user_id))
    users.sort((a, b) => a.id.localeCompare(b.id))
    const result: UsersListResult = {users, totals: holderTotals(users)}
    if (this.flags.csv) process.stdout.write(holderCsv(users))
    else this.out(renderHolderList(result, 'user'))
    return result
  }
}
