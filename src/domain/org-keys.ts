/** The keys a team or user answer embeds, reduced to what `teams info` / `users info` show. Pure. */
import {InputError} from '../core/errors.js'
import {checkName} from './inputs.js'
export interface OrgKeyRef {
  alias: string | null
  hash: string | null
  spent: number
  budget: number | null
}

type EmbeddedKey = {token?: string | null; key_alias?: string | null; spend?: number | null; max_budget?: number | null}

export function keyRefs(keys: ReadonlyArray<string | EmbeddedKey> | null | undefined): OrgKeyRef[] {
  return (keys ?? [])
    .filter((k): k is EmbeddedKey => typeof k === 'object' && k !== null)
    .map((k) => ({alias: k.key_alias ?? null, hash: k.token ?? null, spent: k.spend ?? 0, budget: k.max_budget ?? null}))
    .sort((a, b) => (a.alias ?? '').localeCompare(b.alias ?? ''))
}

/** A team or user id as typed: not empty, no control or invisible characters (nothing is sent otherwise). */
export function parseOrgId(input: string, kind: 'team' | 'user'): string {
  const example = kind === 'team' ? 'keyward teams info team-a' : 'keyward users info alice'
  if (input.trim() === '') throw new InputError(`the ${kind} id is empty`, example)
  checkName(input, `the ${kind} id`, example)
  return input
}
