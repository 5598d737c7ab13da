import * as Args from '@oclif/core/args'

import {userInfo} from '../../api/users.js'
import {BaseCommand} from '../../cli/base-command.js'
import {summarizeUser} from '../../domain/budget-holders.js'
import {keyRefs, parseOrgId} from '../../domain/org-keys.js'
import {renderHolderInfo} from '../../output/orgs.js'
import type {HolderInfoResult} from '../../contracts/orgs.js'

export default class UsersInfo extends BaseCommand<typeof UsersInfo> {
  static args = {user: Args.string({description: 'the user id', required: true})}
  static description = `Shows one internal user (/user/info): their budget, spent, remaining, % used, period, next reset and status, and each of their keys with its own spend and budget. Exits 4 when there is no such user.`
  static examples = ['<%= config.bin %> <%= command.id %> alice', '<%= config.bin %> <%= command.id %> alice --json']
  static summary = 'show a user: budget, spend, reset and their keys'

  async run(): Promise<HolderInfoResult> {
    const id = parseOrgId(this.args.user, 'user')
    const info = await userInfo(await this.masterClient(), id)
    const keys = keyRefs(info.keys)
    const result: HolderInfoResult = {holder: summarizeUser(info.user_info!, id, keys.length), keys}
    this.out(renderHolderInfo(result))
    return result
  }
}
