import * as Args from '@oclif/core/args'

import {teamInfo} from '../../api/teams.js'
import {BaseCommand} from '../../cli/base-command.js'
import {summarizeTeam} from '../../domain/budget-holders.js'
import {keyRefs, parseOrgId} from '../../domain/org-keys.js'
import {renderHolderInfo} from '../../output/orgs.js'
import type {HolderInfoResult} from '../../contracts/orgs.js'

export default class TeamsInfo extends BaseCommand<typeof TeamsInfo> {
  static args = {team: Args.string({description: 'the team id', required: true})}
  static description = `Shows one team (/team/info): its budget, spent, remaining, % used, period, next reset and status, and each of its keys with their own spend and budget. Exits 4 when there is no such team.`
  static examples = ['<%= config.bin %> <%= command.id %> team-a', '<%= config.bin %> <%= command.id %> team-a --json']
  static summary = 'show a team: budget, spend, reset and its keys'

  async run(): Promise<HolderInfoResult> {
    const id = parseOrgId(this.args.team, 'team')
    const info = await teamInfo(await this.masterClient(), id)
    const keys = keyRefs(info.keys)
    const result: HolderInfoResult = {holder: summarizeTeam({...info.team_info, team_id: id}, id, keys.length), keys}
    this.out(renderHolderInfo(result))
    return result
  }
}
