import * as Flags from '@oclif/core/flags'

import {listTeams} from '../../api/teams.js'
import {BaseCommand} from '../../cli/base-command.js'
import {holderTotals, summarizeTeam} from '../../domain/budget-holders.js'
import {holderCsv, renderHolderList} from '../../output/orgs.js'
import type {TeamsListResult} from '../../contracts/orgs.js'

export default class TeamsList extends BaseCommand<typeof TeamsList> {
  static description = `Lists every team on the proxy (/team/list) with its own budget: spent, budget, remaining, % used, period, next reset, number of keys and status, and a Total row. A key in a team is limited by both its own budget and the team's: a team that runs out stops all its keys. --csv writes RFC 4180 CSV (formula-safe), --json the same data as JSON.`
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --csv > teams.csv', '<%= config.bin %> <%= command.id %> --json']
  static flags = {
    csv: Flags.boolean({description: 'write CSV to stdout instead of a table', exclusive: ['json']}),
  }
  static summary = 'list teams with spend, budget, reset and key count'

  async run(): Promise<TeamsListResult> {
    const client = await this.masterClient()
    const teams = (await listTeams(client)).map((t) => summarizeTeam(t, t.team_id)).sort((a, b) => a.id.localeCompare(b.id))
    const result: TeamsListResult = {teams, totals: holderTotals(teams)}
    if (this.flags.csv) process.stdout.write(holderCsv(teams))
    else this.out(renderHolderList(result, 'team'))
    return result
  }
}
