/** The --json results of the `keys` topic. */
import type {FieldChange, KeyDetails, ListTotals} from '../domain/keys-list.js'
import type {KeySummary} from '../domain/key-summary.js'

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

export interface UpdateResult {
  sent: Record<string, unknown>
  changes: FieldChange[]
  before: KeyDetails
  after: KeyDetails
  warnings: string[]
}

export interface ListResult {
  keys: KeySummary[]
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
