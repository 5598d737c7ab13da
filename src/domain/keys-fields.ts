/**
 * From parsed `keys create` / `keys update` flags to the fields sent to LiteLLM. Pure: no I/O.
 *
 * Rules (litellm-api.md §3, §4):
 * - a budget without a period is monthly (`30d`); a period is always sent as a duration, never a word;
 * - `--period` without `--budget` is an error on create (a period alone limits nothing);
 * - `spend` is never sent (it is the starting spend, not a limit).
 */
import type {KeyRow} from '../core/wire.js'
import {metadataObject} from './metadata.js'
import {labelForDuration, PERIOD_WORDS, type Period} from './period.js'
import {InputError} from '../core/errors.js'
import type {KeyFields} from '../core/wire.js'
import {setOwn} from '../core/own.js'

/** Flags shared by `keys create` and `keys update`, already parsed and validated one by one. */
export interface KeyFieldFlags {
  budget?: number
  period?: Period
  softBudget?: number
  models?: string[]
  expires?: string
  rpm?: number
  tpm?: number
  maxParallel?: number
  metadata?: Array<[string, string]>
  team?: string
  user?: string
}

/** The monthly default for a budget given without a period. */
export const DEFAULT_PERIOD: Period = {duration: PERIOD_WORDS.monthly, label: 'monthly'}

function metadataRecord(pairs: Array<[string, string]>, base: Record<string, unknown> = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) setOwn(out, k, typeof v === 'string' ? v : JSON.stringify(v))
  for (const [k, v] of pairs) setOwn(out, k, v)
  return out
}

/** Fields both verbs send the same way (everything but budget/period/alias). */
function commonFields(f: KeyFieldFlags, existingMetadata?: Record<string, unknown>): KeyFields {
  const fields: KeyFields = {}
  if (f.softBudget !== undefined) fields.soft_budget = f.softBudget
  if (f.models !== undefined) fields.models = f.models
  if (f.expires !== undefined) fields.duration = f.expires
  if (f.rpm !== undefined) fields.rpm_limit = f.rpm
  if (f.tpm !== undefined) fields.tpm_limit = f.tpm
  if (f.maxParallel !== undefined) fields.max_parallel_requests = f.maxParallel
  if (f.metadata !== undefined && f.metadata.length > 0) fields.metadata = metadataRecord(f.metadata, existingMetadata)
  if (f.team !== undefined) fields.team_id = f.team
  if (f.user !== undefined) fields.user_id = f.user
  return fields
}

/** `keys create`: alias and budget fields, with the monthly default. Throws InputError on bad combinations. */
export function buildCreateFields(alias: string, f: KeyFieldFlags): KeyFields & {key_alias: string} {
  if (f.period !== undefined && f.budget === undefined) {
    throw new InputError(`--period ${f.period.label} needs --budget: a period without a budget limits nothing`, '--budget 50 --period monthly')
  }
  if (f.softBudget !== undefined && f.budget !== undefined && f.softBudget > f.budget) {
    throw new InputError(`--soft-budget ${f.softBudget} is above --budget ${f.budget}: the soft budget is an early warning below the hard limit`, '--budget 50 --soft-budget 40')
  }
  const fields: KeyFields & {key_alias: string} = {key_alias: alias}
  if (f.budget !== undefined) {
    fields.max_budget = f.budget
    fields.budget_duration = (f.period ?? DEFAULT_PERIOD).duration
  }
  return {...fields, ...commonFields(f)}
}

export interface UpdateFlags extends KeyFieldFlags {
  noBudget?: boolean
  newAlias?: string
}

export interface UpdatePlan {
  fields: KeyFields
  /** Notes for stderr about choices made for the user (e.g. the monthly default). */
  notes: string[]
}

/**
 * `keys update`: only what was given. A budget given without a period keeps the key's period, or
 * becomes monthly when the key has none (a budget that never resets is rarely meant).
 */
export function buildUpdateFields(f: UpdateFlags, current: KeyRow): UpdatePlan {
  if (f.noBudget && f.budget !== undefined) throw new InputError('--budget and --no-budget contradict each other', '--no-budget')
  if (f.noBudget && f.period !== undefined) throw new InputError('--period with --no-budget: there is no budget left to reset', '--no-budget')
  const notes: string[] = []
  const fields: KeyFields = {}
  if (f.newAlias !== undefined && f.newAlias !== current.key_alias) fields.key_alias = f.newAlias
  if (f.noBudget) fields.max_budget = null
  if (f.budget !== undefined) fields.max_budget = f.budget
  if (f.period !== undefined) {
    fields.budget_duration = f.period.duration
    if (f.budget === undefined && (current.max_budget === null || current.max_budget === undefined)) {
      notes.push('the key has no budget, so the period changes nothing until you add one with --budget')
    }
  } else if (f.budget !== undefined && !current.budget_duration) {
    fields.budget_duration = DEFAULT_PERIOD.duration
    notes.push(`the key had no budget period; using monthly (${DEFAULT_PERIOD.duration}). Pass --period to choose another`)
  }
  const softAfter = f.softBudget ?? current.litellm_budget_table?.soft_budget ?? current.soft_budget ?? undefined
  const budgetAfter = f.noBudget ? undefined : (f.budget ?? current.max_budget ?? undefined)
  if (f.softBudget !== undefined && budgetAfter !== undefined && softAfter !== undefined && softAfter > budgetAfter) {
    throw new InputError(`--soft-budget ${softAfter} is above the budget ${budgetAfter}: the soft budget is an early warning below the hard limit`, `--soft-budget ${Math.floor(budgetAfter * 0.8)}`)
  }
  const existingMetadata = metadataObject(current.metadata)
  Object.assign(fields, commonFields(f, existingMetadata))
  return {fields, notes}
}

/** Human name for a period in messages: `monthly (30d)`. */
export function describePeriod(duration: string | null | undefined): string {
  if (!duration) return 'no period'
  const label = labelForDuration(duration)
  return label === duration ? duration : `${label} (${duration})`
}

/**
 * A key reference safe to paste into a POSIX shell: the alias as is when it has only safe
 * characters, else single-quoted. Keys without an alias (or with one a shell would read as a flag)
 * are named by hash.
 */
export function shellRef(alias: string | null | undefined, hash: string | null | undefined): string {
  const ref = alias && !(alias.startsWith('-') && hash) ? alias : (hash ?? alias ?? '')
  if (/^[A-Za-z0-9_./@:+=-]+$/.test(ref) && !ref.startsWith('-')) return ref
  return `'${ref.replace(/'/g, `'\\''`)}'`
}
