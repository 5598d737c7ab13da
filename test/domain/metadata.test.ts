import {describe, expect, it} from '@jest/globals'

import {metadataObject} from '../../src/domain/metadata.js'

describe('metadataObject', () => {
  it('takes an object as it is, and a JSON-encoded object from a string', () => {
    expect(metadataObject({owner: 'a'})).toEqual({owner: 'a'})
    expect(metadataObject('{"owner":"a","n":1}')).toEqual({owner: 'a', n: 1})
    expect(metadataObject('  {"x":true}')).toEqual({x: true})
  })

  it('anything else is no metadata', () => {
    for (const v of [null, undefined, '', 'owner=a', '{broken', '[1,2]', '"text"', 42, ['a'], true]) expect(metadataObject(v)).toEqual({})
  })
})
