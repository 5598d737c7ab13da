/** Input parsers: what is wrong, and an example of what is right (InputError → exit 2). */
import {describe, expect, it} from '@jest/globals'

import {
  parseAlias,
  parseDay,
  parseExpiry,
  parseList,
  parseMetadataPair,
  parseMonth,
  parsePositiveInt,
  parseThresholds,
  parseUsd,
} from '../../src/domain/inputs.js'
import {InputError} from '../../src/core/errors.js'

function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

describe('parseUsd', () => {
  it('accepts plain dollars', () => {
    expect(parseUsd('50')).toBe(50)
    expect(parseUsd(' 12.5 ')).toBe(12.5)
    expect(parseUsd('0')).toBe(0)
    expect(parseUsd('1000000000')).toBe(1e9)
  })

  it.each([
    ['-1', 'it cannot be negative'],
    ['$50', 'use a plain number of US dollars'],
    ['50 USD', 'use a plain number'],
    ['1e3', 'use a plain number'],
    ['', 'use a plain number'],
    ['1,000', 'use a plain number'],
    ['1000000001', 'at most 1,000,000,000'],
  ])('rejects %p (%s)', (input, why) => {
    const e = inputError(() => parseUsd(input, '--soft-budget'))
    expect(e.message).toContain(`invalid amount '${input}' for --soft-budget`)
    expect(e.message).toContain(why)
    expect(e.example).toBe('--soft-budget 50')
  })
})

describe('parsePositiveInt', () => {
  it('accepts whole numbers above zero', () => {
    expect(parsePositiveInt('60', '--rpm')).toBe(60)
  })
  it.each(['0', '-3', '1.5', 'ten', '99999999999999999999'])('rejects %p', (input) => {
    const e = inputError(() => parsePositiveInt(input, '--rpm'))
    expect(e.message).toBe(`invalid value '${input}' for --rpm: use a positive whole number`)
    expect(e.example).toBe('--rpm 60')
  })
})

describe('parseAlias', () => {
  it('keeps a valid alias verbatim, including unicode', () => {
    expect(parseAlias('openclaw')).toBe('openclaw')
    expect(parseAlias('team/ci-bot@prod.1')).toBe('team/ci-bot@prod.1')
    expect(parseAlias('équipe données')).toBe('équipe données')
    expect(parseAlias('release-1.0..2')).toBe('release-1.0..2')
    expect(parseAlias('a..b/c')).toBe('a..b/c')
  })
  it.each([
    ['', 'the alias is empty'],
    ['   ', 'the alias is empty'],
    ['a\nb', 'control characters'],
    ['a\u001b[31mb', 'control characters'],
    [' padded', 'starts or ends with blanks'],
    ['x'.repeat(256), 'longer than 255'],
    // LiteLLM's _validate_key_alias_format refuses these with a 400 (found by test/litellm layer 1).
    ['a\u2028b', 'control characters'],
    ['a\u2029b', 'control characters'],
    ['../etc', "'..' path segment"],
    ['team/../ci', "'..' path segment"],
    ['ci/..', "'..' path segment"],
    ['..', "'..' path segment"],
  ])('rejects %p', (input, why) => {
    const e = inputError(() => parseAlias(input))
    expect(e.message).toContain(why)
    expect(e.example).toBe('--alias openclaw')
  })
})

describe('parseExpiry', () => {
  it('accepts LiteLLM durations', () => {
    expect(parseExpiry('90d')).toBe('90d')
    expect(parseExpiry('12W')).toBe('12w')
    expect(parseExpiry('1mo')).toBe('1mo')
  })

  it("refuses '1M' rather than reading it as one minute (found by test/litellm layer 1)", () => {
    expect(inputError(() => parseExpiry('1M')).message).toMatch(/1M/)
    expect(parseExpiry('1MO')).toBe('1mo')
  })
  it.each(['0d', 'never', '90', '1y', '-1d'])('rejects %p', (input) => {
    const e = inputError(() => parseExpiry(input))
    expect(e.message).toContain(`invalid expiry '${input}'`)
    expect(e.example).toBe('--expires 90d')
  })
})

describe('parseMetadataPair and parseList', () => {
  it('splits at the first =', () => {
    expect(parseMetadataPair('owner=platform')).toEqual(['owner', 'platform'])
    expect(parseMetadataPair(' url =a=b')).toEqual(['url', 'a=b'])
    expect(parseMetadataPair('empty=')).toEqual(['empty', ''])
  })
  it.each(['novalue', '=x'])('rejects %p', (input) => {
    expect(inputError(() => parseMetadataPair(input)).message).toBe(`invalid metadata '${input}': use key=value`)
  })
  it('drops blanks from lists', () => {
    expect(parseList('gpt-4o, claude ,,')).toEqual(['gpt-4o', 'claude'])
    expect(parseList('')).toEqual([])
  })
})

describe('parseMonth and parseDay', () => {
  it('reads YYYY-MM', () => {
    expect(parseMonth('2026-10')).toEqual({year: 2026, month: 10})
    expect(parseMonth(' 2026-01 ')).toEqual({year: 2026, month: 1})
  })
  it.each(['2026-1', '10-2026', '2026/10'])('rejects month %p', (input) => {
    const e = inputError(() => parseMonth(input))
    expect(e.message).toBe(`invalid month '${input}': use YYYY-MM`)
    expect(e.example).toBe('--month 2026-10')
  })
  it.each(['2026-13', '2026-00'])('rejects month %p, naming the range', (input) => {
    const e = inputError(() => parseMonth(input))
    expect(e.message).toBe(`invalid month '${input}': the month must be 01 to 12`)
    expect(e.example).toBe('--month 2026-10')
  })
  it('reads YYYY-MM-DD as UTC midnight', () => {
    expect(parseDay('2026-10-01').toISOString()).toBe('2026-10-01T00:00:00.000Z')
    expect(parseDay('2024-02-29').toISOString()).toBe('2024-02-29T00:00:00.000Z')
  })
  it.each(['2026-02-30', '2025-02-29', '2026-10-1', 'yesterday', '2026-10-01T00:00'])('rejects day %p', (input) => {
    const e = inputError(() => parseDay(input, '--until'))
    expect(e.message).toBe(`invalid date '${input}' for --until: use YYYY-MM-DD`)
    expect(e.example).toBe('--until 2026-10-01')
  })
})

describe('parseThresholds', () => {
  it('sorts, dedupes and accepts a % sign', () => {
    expect(parseThresholds('100,50,80%,50')).toEqual([50, 80, 100])
    expect(parseThresholds('12.5')).toEqual([12.5])
  })
  it.each(['', ',', '0', '50,abc', '2000', '-5'])('rejects %p', (input) => {
    expect(inputError(() => parseThresholds(input)).example).toBe('--threshold 50,80,100')
  })
})
