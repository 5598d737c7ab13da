import {describe, expect, it} from '@jest/globals'

import {closest, editDistance} from '../../src/domain/suggest.js'

describe('did you mean', () => {
  it('measures typos, including swapped neighbours', () => {
    expect(editDistance('keys', 'keys')).toBe(0)
    expect(editDistance('kyes', 'keys')).toBe(1)
    expect(editDistance('lst', 'list')).toBe(1)
    expect(editDistance('abc', '')).toBe(3)
  })

  it('suggests the closest command only when it is plausibly a typo', () => {
    const known = ['keys', 'keys list', 'keys create', 'spend report', 'spend logs', 'status']
    expect(closest('keys lst', known)).toBe('keys list')
    expect(closest('kyes', known)).toBe('keys')
    expect(closest('spend reprot', known)).toBe('spend report')
    expect(closest('frobnicate', known)).toBeUndefined()
  })
})
