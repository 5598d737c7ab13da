import {describe, expect, it} from '@jest/globals'

import {budgetWindows, replacementFields, rotatedAliasFor, spendCarry} from '../../src/domain/key-replace.js'
import {KeyRowSchema} from '../../src/core/wire.js'

describe('spendCarry: the two keys together never exceed the budget of the current window', () => {
  it.each([
    // budget, spent, grace?, grace budget, carried spend on the new key, old key's new max_budget
    [10, 4, true, undefined, 7, 7],
    [10, 4, false, undefined, 4, 4],
    [10, 4, true, 1, 5, 5],
    [10, 4, true, 100, 10, 10],
    [10, 12, true, undefined, 12, 12],
  ])('budget %d, spent %d, grace %s (%s): new key starts at %d, old key capped at %d', (budget, spent, grace, share, carried, oldCap) => {
    const c = spendCarry(budget, spent, grace, share)!
    expect(c.spend + c.graceShare).toBe(carried)
    expect(c.spend + c.graceShare).toBe(oldCap)
    // What both can still spend: old (cap - spent) + new (budget - carried) <= budget - spent.
    expect(oldCap - spent + Math.max(0, budget - carried)).toBeLessThanOrEqual(Math.max(0, budget - spent))
  })
  it('nothing to carry without a budget', () => expect(spendCarry(null, 3, true)).toBeNull())
})

describe('replacementFields', () => {
  it('copies the settings, not the spend, expiry or alias', () => {
    const row = KeyRowSchema.parse({
      token: 'abc', key_alias: 'ci', spend: 3, max_budget: 10, budget_duration: '30d', expires: '2027-01-01T00:00:00Z', models: ['m'], metadata: {a: 1},
      rpm_limit: 5, tpm_limit: null, team_id: 't', user_id: null, litellm_budget_table: {soft_budget: 8}, budget_limits: [{budget_duration: '1d', max_budget: 5, reset_at: 'x'}],
    })
    expect(replacementFields(row, 'ci-rotating')).toEqual({
      key_alias: 'ci-rotating', max_budget: 10, budget_duration: '30d', soft_budget: 8, models: ['m'], rpm_limit: 5, team_id: 't', metadata: {a: 1},
      budget_limits: [{budget_duration: '1d', max_budget: 5}],
    })
  })
  it('reads budget_limits stored as JSON text, ignores junk', () => {
    expect(budgetWindows('[{"budget_duration":"7d","max_budget":2}]')).toEqual([{budget_duration: '7d', max_budget: 2}])
    expect(budgetWindows('nope')).toEqual([])
    expect(budgetWindows([{budget_duration: 1}])).toEqual([])
  })
  it('names the old key by date, numbered after the first', () => {
    expect(rotatedAliasFor('ci', '2026-12-02')).toBe('ci-rotated-2026-12-02')
    expect(rotatedAliasFor('ci', '2026-12-02', 3)).toBe('ci-rotated-2026-12-02-3')
  })
})
