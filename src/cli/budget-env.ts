/**
 * `budget check`'s settings from the environment, read (and refused when malformed) before any request:
 * KEYWARD_CLAIM_TTL and KEYWARD_LOCK_TIMEOUT.
 */
import {InputError} from '../core/errors.js'
import {DEFAULT_CLAIM_TTL_MS} from '../workflows/alert-store.js'

/** KEYWARD_CLAIM_TTL: seconds an in-flight Redis claim lasts (the lease of a run that may die mid-delivery). */
export function claimTtlMs(): number {
  const raw = process.env.KEYWARD_CLAIM_TTL
  if (raw === undefined || raw.trim() === '') return DEFAULT_CLAIM_TTL_MS
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || Number(raw) <= 0) throw new InputError(`invalid KEYWARD_CLAIM_TTL '${raw}': use seconds (more than one delivery takes, e.g. 300)`, 'KEYWARD_CLAIM_TTL=300')
  return Number(raw) * 1000
}

export function lockWaitMs(): number {
  const raw = process.env.KEYWARD_LOCK_TIMEOUT
  if (raw === undefined || raw.trim() === '') return 30_000
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new InputError(`invalid KEYWARD_LOCK_TIMEOUT '${raw}': use seconds`, 'KEYWARD_LOCK_TIMEOUT=30')
  return Number(raw) * 1000
}
