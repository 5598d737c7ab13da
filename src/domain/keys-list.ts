/**
 * `keys list` sorting and filtering, and `keys update`'s before → after. Pure: no I/O.
 */
import type {KeyRow} from '../core/wire.js'
import {parseTimestamp} from './period.js'
import {metadataObject} from './metadata.js'
import {roundUsd} from './money.js'
import {summarizeKey, type KeyStatus, type KeySummary} from './key-summary.js'
import {InputError} from '../core/errors.js'
import {ownValue} from '../core/own.js'

export const SORT_FIELDS = ['alias', 'spent', 'budget', 'remaining', 'used', 'resets', 'expires', 'status'] as const
export type SortField = (typeof SORT_FIELDS)[number]
export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'blocked', 'expired', 'over-budget']

/** Amounts sort largest first; names and times sort ascending (soonest reset first). */
const DESCENDING: ReadonlySet<SortField> = new Set(['spent', 'budget', 'used'])

export function parseSortField(input: string): SortField {
  const synonyms: Record<string, SortField> = {'%': 'used', pct: 'used', 'pct-used': 'used', percent: 'used', reset: 'resets', expiry: 'expires', spend: 'spent', name: 'alias'}
  const raw = input.trim().toLowerCase()
  const v = ownValue(synonyms, raw) ?? raw
  if ((SORT_FIELDS as readonly string[]).includes(v)) return v as SortField
  throw new InputError(`cannot sort by '${input}': use one of ${SORT_FIELDS.join(', ')}`, '--sort spent')
}

export function parseKeyStatus(input: string): KeyStatus {
  const v = input.trim().toLowerCase()
  if ((KEY_STATUSES as readonly string[]).includes(v)) return v as KeyStatus
  throw new InputError(`unknown status '${input}': use one of ${KEY_STATUSES.join(', ')}`, '--status over-budget')
}

type SortValue = string | number | null

function sortValue(s: KeySummary, field: SortField): SortValue {
  switch (field) {
    case 'alias':
      return (s.alias ?? s.keyName ?? s.hash ?? '').toLowerCase()
    case 'spent':
      return s.spent
    case 'budget':
      return s.budget
    case 'remaining':
      return s.remaining
    case 'used':
      return s.pctUsed
    case 'resets':
      return s.resetAt ? Date.parse(s.resetAt) : null
    case 'expires':
      return s.expires ? Date.parse(s.expires) : null
    case 'status':
      return KEY_STATUSES.indexOf(s.status)
  }
}

/** Sort a copy; missing values (no budget, never expires) always last; ties by alias then hash. */
export function sortSummaries(rows: readonly KeySummary[], field: SortField, reverse = false): KeySummary[] {
  const dir = (DESCENDING.has(field) ? -1 : 1) * (reverse ? -1 : 1)
  const tie = (a: KeySummary, b: KeySummary) => {
    const x = (a.alias ?? '') + '\u0000' + (a.hash ?? '')
    const y = (b.alias ?? '') + '\u0000' + (b.hash ?? '')
    return x < y ? -1 : x > y ? 1 : 0
  }
  return [...rows].sort((a, b) => {
    const x = sortValue(a, field)
    const y = sortValue(b, field)
    if (x === y) return tie(a, b)
    if (x === null) return 1
    if (y === null) return -1
    return (x < y ? -1 : 1) * dir
  })
}

export interface KeyListFilter {
  /** Case-insensitive text found in the alias, key name, team or user id. */
  text?: string
  statuses?: readonly KeyStatus[]
}

export function filterSummaries(rows: readonly KeySummary[], f: KeyListFilter): KeySummary[] {
  const needle = f.text?.toLowerCase()
  return rows.filter((s) => {
    if (f.statuses && f.statuses.length > 0 && !f.statuses.includes(s.status)) return false
    if (needle) {
      const hay = [s.alias, s.keyName, s.teamId, s.userId].filter(Boolean).join('\n').toLowerCase()
      if (!hay.includes(needle)) return false
    }
    return true
  })
}

export interface ListTotals {
  keys: number
  spent: number
  budget: number
}

export function totals(rows: readonly KeySummary[]): ListTotals {
  let spent = 0
  let budget = 0
  for (const r of rows) {
    spent += r.spent
    budget += r.budget ?? 0
  }
  return {keys: rows.length, spent: roundUsd(spent), budget: roundUsd(budget)}
}

/** One changed property of a key, as plain values (the renderer formats them). */
export interface FieldChange {
  field: string
  before: unknown
  after: unknown
}

const COMPARED: Array<[string, (s: KeySummary & {metadata?: unknown}) => unknown]> = [
  ['alias', (s) => s.alias],
  ['budget', (s) => s.budget],
  ['period', (s) => s.duration],
  ['resetAt', (s) => s.resetAt],
  ['softBudget', (s) => s.softBudget],
  ['models', (s) => s.models],
  ['expires', (s) => s.expires],
  ['rpmLimit', (s) => s.rpmLimit],
  ['tpmLimit', (s) => s.tpmLimit],
  ['maxParallelRequests', (s) => s.maxParallelRequests],
  ['teamId', (s) => s.teamId],
  ['userId', (s) => s.userId],
  ['blocked', (s) => s.blocked],
  ['metadata', (s) => s.metadata],
]

/** What differs between two readings of a key. */
export function diffSummaries(before: KeySummary & {metadata?: unknown}, after: KeySummary & {metadata?: unknown}): FieldChange[] {
  const changes: FieldChange[] = []
  for (const [field, get] of COMPARED) {
    const a = get(before)
    const b = get(after)
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) changes.push({field, before: a ?? null, after: b ?? null})
  }
  return changes
}

/** A key's summary plus what `keys info` shows beyond it. */
export type KeyDetails = KeySummary & {metadata: Record<string, unknown>; createdAt: string | null}

export function keyDetails(row: KeyRow, now: Date, hash?: string): KeyDetails {
  const created = parseTimestamp(row.created_at)
  return {...summarizeKey(row, now, hash), metadata: metadataObject(row.metadata), createdAt: created ? created.toISOString() : null}
}
