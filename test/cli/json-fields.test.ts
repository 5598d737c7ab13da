/** cli/json-fields.ts: how `--json FIELDS` and `--jq` are read out of argv, and how fields are cut. */
import {describe, expect, it} from '@jest/globals'

import {JSON_SHAPES, parseFields, selectFields, takeJsonArgs} from '../../src/cli/json-fields.js'

const list = JSON_SHAPES['keys:list']
const info = JSON_SHAPES['keys:info']

describe('takeJsonArgs', () => {
  it.each([
    [['--json', 'alias,spent'], ['--json'], 'alias,spent'],
    [['--json=alias'], ['--json'], 'alias'],
    [['--json', '--sort', 'spent'], ['--json', '--sort', 'spent'], undefined],
    [['--json', 'alias'], ['--json'], 'alias'],
    [['--json', ''], ['--json'], ''],
    // After `--` nothing is read.
    [['--', '--json', 'alias'], ['--', '--json', 'alias'], undefined],
    // --jq's value is never fields, and --jq adds --json.
    [['--jq', 'alias,spent'], ['--json', '--jq', 'alias,spent'], undefined],
    [['--jq=.keys', '--json', 'alias'], ['--jq=.keys', '--json'], 'alias'],
  ])('keys list %j → %j, fields %j', (argv, out, fields) => {
    expect(takeJsonArgs(argv, list, false)).toEqual({argv: out, fields, jq: argv.some((a) => a.startsWith('--jq'))})
  })

  it('for a command with an argument, a word after --json is the argument unless it is a field', () => {
    expect(takeJsonArgs(['--json', 'openclaw'], info, true)).toEqual({argv: ['--json', 'openclaw'], fields: undefined, jq: false})
    expect(takeJsonArgs(['openclaw', '--json', 'alias'], info, true)).toEqual({argv: ['openclaw', '--json'], fields: 'alias', jq: false})
    expect(takeJsonArgs(['--json', 'alias,budget', 'openclaw'], info, true).fields).toBe('alias,budget')
  })
})

describe('parseFields', () => {
  it('keeps the order, drops repeats, refuses unknown and empty ones naming the valid fields', () => {
    expect(parseFields('spent, alias,spent', list, 'keyward keys list')).toEqual(['spent', 'alias'])
    expect(() => parseFields('alias,nope', list, 'keyward keys list')).toThrow(/unknown JSON field 'nope'.*alias, keyName, hash/)
    expect(() => parseFields('', list, 'keyward keys list')).toThrow(/give --json alone/)
    expect(() => parseFields('alias,,spent', list, 'keyward keys list')).toThrow(/separated by commas/)
    // A name every object inherits is no field.
    expect(() => parseFields('constructor', list, 'keyward keys list')).toThrow(/unknown JSON field/)
  })
})

describe('selectFields', () => {
  it('a list command prints its items cut down; another its object', () => {
    const result = {keys: [{alias: 'a', spent: 1, budget: 2}, {alias: 'b', spent: 3, budget: null}], totals: {keys: 2}}
    expect(selectFields(result, list, ['budget', 'alias'])).toEqual([{budget: 2, alias: 'a'}, {budget: null, alias: 'b'}])
    expect(JSON.stringify(selectFields({alias: 'a', spent: 1, metadata: {}}, info, ['spent', 'alias']))).toBe('{"spent":1,"alias":"a"}')
  })
})
