/** The flags `keys create` and `keys update` share, and their values in the shape the domain builders take. */
import * as Flags from '@oclif/core/flags'

import {InputError} from '../core/errors.js'
import {parseLimit, type BudgetWindowInput} from '../domain/budget-windows.js'
import {parseExpiry, parseId, parseMetadataPair, parseModelList, parsePositiveInt, parseUsd} from '../domain/inputs.js'
import type {KeyFieldFlags} from '../domain/keys-fields.js'
import {parsePeriod} from '../domain/period.js'

/** Each value is checked before anything is sent. */
export const keyFieldFlags = {
  budget: Flags.custom<number>({parse: async (s) => parseUsd(s, '--budget')})({
    description: 'hard spend limit in US dollars; requests are refused once it is spent (resets every --period)',
  }),
  period: Flags.custom({parse: async (s) => parsePeriod(s)})({
    description: 'when the budget resets: monthly (default with --budget), weekly, daily, hourly, or a LiteLLM duration such as 30d, 7d, 24h, 1mo. Words are sent as durations (monthly → 30d)',
  }),
  'soft-budget': Flags.custom<number>({parse: async (s) => parseUsd(s, '--soft-budget')})({
    description: 'alert-only threshold in US dollars (LiteLLM alerts; nothing is refused)',
  }),
  models: Flags.custom<string[]>({parse: async (s) => parseModelList(s)})({
    description: 'comma-separated models the key may use (default: all)',
  }),
  expires: Flags.custom<string>({parse: async (s) => parseExpiry(s)})({
    description: 'key lifetime as a duration, e.g. 90d, 12w, 24h, 1mo (default: never expires)',
  }),
  rpm: Flags.custom<number>({parse: async (s) => parsePositiveInt(s, '--rpm')})({description: 'requests-per-minute limit'}),
  tpm: Flags.custom<number>({parse: async (s) => parsePositiveInt(s, '--tpm')})({description: 'tokens-per-minute limit'}),
  'max-parallel': Flags.custom<number>({parse: async (s) => parsePositiveInt(s, '--max-parallel')})({description: 'most requests in flight at once'}),
  metadata: Flags.custom<{key: string; value: string}>({
    multiple: true,
    parse: async (s) => {
      const [key, value] = parseMetadataPair(s)
      return {key, value}
    },
  })({
    description: 'metadata as key=value (repeat the flag for more pairs)',
  }),
  team: Flags.custom<string>({parse: async (s) => parseId(s, '--team')})({description: 'team id the key belongs to'}),
  limit: Flags.custom<BudgetWindowInput>({multiple: true, parse: async (s) => parseLimit(s)})({
    description: 'one more budget window as USD/PERIOD, e.g. --limit 5/1d --limit 50/30d (repeatable; proxies with budget_limits only)',
  }),
  user: Flags.custom<string>({parse: async (s) => parseId(s, '--user')})({description: 'user id the key belongs to'}),
}

/** The parsed shared flags, in the shape the domain builders take. */
export function keyFieldValues(f: {
  budget?: number
  period?: ReturnType<typeof parsePeriod>
  'soft-budget'?: number
  models?: string[]
  expires?: string
  rpm?: number
  tpm?: number
  'max-parallel'?: number
  metadata?: Array<{key: string; value: string}>
  team?: string
  user?: string
  limit?: BudgetWindowInput[]
}): KeyFieldFlags {
  return {
    budget: f.budget,
    period: f.period,
    softBudget: f['soft-budget'],
    models: f.models,
    expires: f.expires,
    rpm: f.rpm,
    tpm: f.tpm,
    maxParallel: f['max-parallel'],
    metadata: f.metadata?.map((m): [string, string] => [m.key, m.value]),
    team: f.team,
    user: f.user,
    limits: f.limit,
  }
}

/** `keys rotate --grace`: how long the old secret keeps working (a duration, at most 10 years). */
export const graceFlag = Flags.custom<string>({
  parse: async (s) => {
    try {
      return parseExpiry(s)
    } catch (error) {
      const tooLong = error instanceof Error && error.message.includes('at most 10 years')
      throw new InputError(`invalid grace period '${s}': ${tooLong ? 'it must be at most 10 years (3653d)' : 'use a duration like 24h, 30m or 7d'}`, '--grace 24h')
    }
  },
})
