import type {HolderSummary, HolderTotals} from '../domain/budget-holders.js'
import type {OrgKeyRef} from '../domain/org-keys.js'

/** `teams list --json` */
export interface TeamsListResult {
  teams: HolderSummary[]
  totals: HolderTotals
}

/** `users list --json` */
export interface UsersListResult {
  users: HolderSummary[]
  totals: HolderTotals
}

/** `teams info` / `users info --json`: the holder and the budgets of its keys. */
export interface HolderInfoResult {
  holder: HolderSummary
  keys: OrgKeyRef[]
}
