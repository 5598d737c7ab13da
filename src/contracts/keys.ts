/** The --json results of the `keys` topic. */
import type {FieldChange, KeyDetails, ListTotals} from '../domain/keys-list.js'
import type {KeySummary} from '../domain/key-summary.js'
import type {HolderSummary} from '../domain/budget-holders.js'
import type {WindowStatus} from '../domain/budget-windows.js'

/** What `keys create` (and `keys rotate`) return; `key` is the plaintext key, present only when minted now. */
export interface CreateResult {
  /** `uncertain`: the answer and the check after it were both lost; the key may or may not exist. */
  created: boolean | 'uncertain'
  /** The first answer was lost and the key was confirmed by looking it up (no duplicate was made). */
  recovered: boolean
  key: string | null
  details: KeyDetails
  warnings: string[]
}

export interface RotateResult {
  /** `uncertain`: the answer was lost and the new key could not be confirmed; it may or may not be active. */
  rotated: true | 'uncertain'
  key: string
  previousKeyName: string | null
  previousHash: string
  gracePeriod: string | null
  details: KeyDetails
  warnings: string[]
}

/** `keys rotate --replace`: a new key took over the alias; the old one was renamed (and expires or is blocked). */
export interface ReplaceResult {
  rotated: 'replaced'
  key: string
  alias: string
  newHash: string
  previousHash: string
  previousKeyName: string | null
  /** What the old key is called now. */
  previousAlias: string
  /** When the old key stops working (its expiry; null when it was blocked at once). */
  previousExpires: string | null
  previousBlocked: boolean
  gracePeriod: string | null
  /** Spend counted on the new key for the current window (the old key's spend plus its grace share); null without a budget. */
  carriedSpend: number | null
  /** What the old key may still spend during the grace period. */
  graceShare: number | null
  /** This run finished a rotation a previous run had started. */
  resumed: boolean
  details: KeyDetails
  warnings: string[]
}

export interface UpdateResult {
  sent: Record<string, unknown>
  changes: FieldChange[]
  before: KeyDetails
  after: KeyDetails
  warnings: string[]
}

/** What `keys info` returns: the key, its budget windows (when it has any) and the tighter team or user budget (when one binds first). */
export type InfoResult = KeyDetails & {windows?: WindowStatus[]; limitedBy?: HolderSummary}

/** A `keys list` row: the key, and the team or user budget that binds before its own (null when none does). */
export type KeyListRow = KeySummary & {limitedBy: HolderSummary | null}

export interface ListResult {
  keys: KeyListRow[]
  totals: ListTotals
}

export interface BlockResult {
  alias: string | null
  keyName: string | null
  hash: string
  blocked: boolean
  /** False when the key already was in the requested state. */
  changed: boolean
}

export interface DeleteResult {
  deleted: boolean
  alias: string | null
  keyName: string | null
  hash: string
}
