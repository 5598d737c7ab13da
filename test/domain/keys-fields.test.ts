/** Pure builders for `keys create` / `keys update` (src/domain/keys-fields.ts) and list helpers. */
import {describe, expect, it} from '@jest/globals'

import {KeyRowSchema, type KeyRow} from '../../src/core/wire.js'
import {buildCreateFields, buildUpdateFields, describePeriod, shellRef} from '../../src/domain/keys-fields.js'
import {diffSummaries, keyDetails, parseSortField, sortSummaries} from '../../src/domain/keys-list.js'
import {summarizeKey} from '../../src/domain/key-summary.js'
import {parsePeriod} from '../../src/domain/period.js'

const NOW = new Date('2026-11-18T10:20:00Z')
const row = (r: Partial<KeyRow> & Record<string, unknown>): KeyRow => KeyRowSchema.parse({token: 'a'.repeat(64), spend: 0, ...r})

describe('buildCreateFields', () => {
  it('a budget alone is monthly (30d)', () => {
    expect(buildCreateFields('x', {budget: 50})).toEqual({key_alias: 'x', max_budget: 50, budget_duration: '30d'})
  })
  it.each([
    ['monthly', '30d'],
    ['weekly', '7d'],
    ['daily', '1d'],
    ['hourly', '1h'],
    ['MONTHLY', '30d'],
    ['24h', '24h'],
    ['1mo', '1mo'],
  ])('--period %s is sent as %s, never as a word', (word, duration) => {
    expect(buildCreateFields('x', {budget: 1, period: parsePeriod(word)}).budget_duration).toBe(duration)
  })
  it('a period without a budget is an error', () => {
    expect(() => buildCreateFields('x', {period: parsePeriod('weekly')})).toThrow(/--period weekly needs --budget/)
  })
  it('never sends spend, and only the fields given', () => {
    const f = buildCreateFields('x', {budget: 5, models: ['a'], metadata: [['k', 'v']], team: 't'})
    expect(f).toEqual({key_alias: 'x', max_budget: 5, budget_duration: '30d', models: ['a'], metadata: {k: 'v'}, team_id: 't'})
    expect(f).not.toHaveProperty('spend')
  })
  it('a soft budget above the budget is an error', () => {
    expect(() => buildCreateFields('x', {budget: 5, softBudget: 6})).toThrow(/above --budget 5/)
  })
})

describe('buildUpdateFields', () => {
  const current = row({key_alias: 'k', max_budget: 10, budget_duration: '7d', metadata: '{"owner":"a"}'})
  it('a budget keeps an existing period', () => {
    expect(buildUpdateFields({budget: 20}, current)).toEqual({fields: {max_budget: 20}, notes: []})
  })
  it('a budget on a key without a period adds the monthly default, with a note', () => {
    const plan = buildUpdateFields({budget: 20}, row({key_alias: 'k'}))
    expect(plan.fields).toEqual({max_budget: 20, budget_duration: '30d'})
    expect(plan.notes[0]).toMatch(/using monthly \(30d\)/)
  })
  it('--no-budget sends null and conflicts with --budget and --period', () => {
    expect(buildUpdateFields({noBudget: true}, current).fields).toEqual({max_budget: null})
    expect(() => buildUpdateFields({noBudget: true, budget: 3}, current)).toThrow(/contradict/)
    expect(() => buildUpdateFields({noBudget: true, period: parsePeriod('daily')}, current)).toThrow(/no budget left/)
  })
  it('merges metadata, even when the proxy sent it JSON-encoded', () => {
    expect(buildUpdateFields({metadata: [['env', 'prod']]}, current).fields).toEqual({metadata: {owner: 'a', env: 'prod'}})
  })
  it('renaming to the same alias sends nothing', () => {
    expect(buildUpdateFields({newAlias: 'k'}, current).fields).toEqual({})
  })
  it('a soft budget above the kept budget is an error', () => {
    expect(() => buildUpdateFields({softBudget: 11}, current)).toThrow(/above the budget 10/)
  })
})

describe('helpers', () => {
  it('shellRef quotes what a shell would mangle', () => {
    expect(shellRef('openclaw', null)).toBe('openclaw')
    expect(shellRef('team a/bot', null)).toBe(`'team a/bot'`)
    expect(shellRef('$(rm -rf ~)', null)).toBe(`'$(rm -rf ~)'`)
    expect(shellRef(null, 'abc')).toBe('abc')
  })
  it('describePeriod names durations', () => {
    expect(describePeriod('30d')).toBe('monthly (30d)')
    expect(describePeriod('14d')).toBe('14d')
    expect(describePeriod(null)).toBe('no period')
  })
  it('sortSummaries puts missing values last and amounts largest first', () => {
    const s = [row({key_alias: 'a', max_budget: null}), row({key_alias: 'b', max_budget: 5}), row({key_alias: 'c', max_budget: 9})].map((r) => summarizeKey(r, NOW))
    expect(sortSummaries(s, 'budget').map((x) => x.alias)).toEqual(['c', 'b', 'a'])
    expect(sortSummaries(s, 'budget', true).map((x) => x.alias)).toEqual(['b', 'c', 'a'])
    expect(parseSortField('%')).toBe('used')
    expect(() => parseSortField('colour')).toThrow(/cannot sort by 'colour'/)
  })
  it('diffSummaries lists only what changed', () => {
    const before = keyDetails(row({key_alias: 'k', max_budget: 10, budget_duration: '7d', metadata: {a: '1'}}), NOW)
    const after = keyDetails(row({key_alias: 'k', max_budget: 20, budget_duration: '7d', metadata: {a: '2'}}), NOW)
    expect(diffSummaries(before, after)).toEqual([
      {field: 'budget', before: 10, after: 20},
      {field: 'metadata', before: {a: '1'}, after: {a: '2'}},
    ])
  })
})
