import {describe, expect, it} from '@jest/globals'

import {unifiedDiff} from '../../src/domain/openclaw-diff.js'

const L = {from: 'a', to: 'b'}

describe('unifiedDiff', () => {
  it('is empty when nothing changes', () => expect(unifiedDiff('x\ny\n', 'x\ny\n', L)).toBe(''))

  it('prints hunks with context and line numbers like diff -u', () => {
    const nums = Array.from({length: 20}, (_, i) => String(i + 1))
    const a = nums.join('\n') + '\n'
    const b = [...nums.slice(0, 4), 'five', ...nums.slice(5), '21'].join('\n') + '\n'
    expect(unifiedDiff(a, b, L)).toBe(['--- a', '+++ b', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', '@@ -18,3 +18,4 @@', ' 18', ' 19', ' 20', '+21'].join('\n'))
    // Changes up to 2 × context lines apart share a hunk.
    const c = [...nums.slice(0, 4), 'five', ...nums.slice(5, 11), 'twelve', ...nums.slice(12)].join('\n') + '\n'
    expect(unifiedDiff(a, c, L).match(/^@@/gm)).toHaveLength(1)
  })

  it('merges nearby changes into one hunk and handles a new file', () => {
    expect(unifiedDiff('a\nb\nc\n', 'A\nb\nC\n', L)).toBe(['--- a', '+++ b', '@@ -1,3 +1,3 @@', '-a', '+A', ' b', '-c', '+C'].join('\n'))
    expect(unifiedDiff('', '{\n}\n', {from: '/dev/null', to: 'f'})).toBe(['--- /dev/null', '+++ f', '@@ -0,0 +1,2 @@', '+{', '+}'].join('\n'))
  })

  it('shows insertions in the middle as additions only', () => {
    const d = unifiedDiff('{\n  a: 1,\n}\n', '{\n  a: 1,\n  b: 2,\n}\n', L)
    expect(d).toBe(['--- a', '+++ b', '@@ -1,3 +1,4 @@', ' {', '   a: 1,', '+  b: 2,', ' }'].join('\n'))
  })
})
