/** Own-property lookups (issue 19): inherited names are never found, `__proto__` is stored as data. */
import {describe, expect, it} from '@jest/globals'

import {hasOwnKey, ownValue, setOwn} from '../../src/core/own.js'
import {buildCreateFields} from '../../src/domain/keys-fields.js'
import {parsePeriod} from '../../src/domain/period.js'
import {parseColumns} from '../../src/domain/spend-export.js'
import {emptyState, keyState} from '../../src/io/alert-state.js'

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']

describe('own-property helpers', () => {
  it('find only own keys', () => {
    const words = {monthly: '30d'}
    expect(hasOwnKey(words, 'monthly')).toBe(true)
    for (const w of INHERITED) {
      expect(hasOwnKey(words, w)).toBe(false)
      expect(ownValue(words, w)).toBeUndefined()
    }
  })

  it('store __proto__ as a value, leaving the prototype alone', () => {
    const o: Record<string, string> = {}
    setOwn(o, '__proto__', 'x')
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype)
    expect(Object.keys(o)).toEqual(['__proto__'])
    expect(JSON.stringify(o)).toBe('{"__proto__":"x"}')
  })
})

describe('inputs and state keyed by user or proxy strings', () => {
  it.each(INHERITED)('--period %s is refused', (w) => {
    expect(() => parsePeriod(w)).toThrow(`invalid period '${w}'`)
  })

  it.each(INHERITED)('--columns %s is refused', (w) => {
    expect(() => parseColumns(w)).toThrow(/unknown column/)
  })

  it('--metadata __proto__=x is sent as a field, not lost', () => {
    const fields = buildCreateFields('a', {metadata: [['__proto__', 'x'], ['constructor', 'y']]})
    expect(JSON.stringify(fields.metadata)).toBe('{"__proto__":"x","constructor":"y"}')
  })

  it('a key whose hash is an inherited name gets its own alert state', () => {
    const state = emptyState()
    for (const h of INHERITED) {
      const entry = keyState(state, h, 'k', 'w1')
      expect(entry).toEqual({alias: 'k', window: 'w1', sent: {}, problems: {}})
    }
    expect(Object.keys(state.keys).sort()).toEqual([...INHERITED].sort())
    expect(Object.getPrototypeOf(state.keys)).toBe(Object.prototype)
    expect((Object as unknown as {window?: unknown}).window).toBeUndefined()
  })
})
