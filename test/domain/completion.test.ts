/** domain/completion.ts: what TAB offers, decided from the command tree and the words typed. */
import {describe, expect, it} from '@jest/globals'

import {complete, type CompletionSpec} from '../../src/domain/completion.js'

const spec: CompletionSpec = {
  commands: [
    {id: 'keys:list', args: [], flags: [{name: 'sort', takesValue: true}, {name: 'status', takesValue: true, multiple: true}, {name: 'json', takesValue: false}]},
    {id: 'keys:info', args: ['key'], flags: [{name: 'profile', takesValue: true}, {name: 'json', takesValue: false}]},
    {id: 'spend:logs', args: [], flags: [{name: 'columns', takesValue: true}, {name: 'output', char: 'o', takesValue: true}]},
    {id: 'status', args: [], flags: []},
    {id: 'doctor', args: [], flags: [], hidden: true},
  ],
  flagValues: (cmd, flag) =>
    flag === 'sort' ? {values: ['alias', 'spent', 'status']} : flag === 'columns' ? {values: ['date', 'model', 'model_group'], commaList: true} : flag === 'json' ? {values: ['alias', 'spent'], commaList: true} : undefined,
  argValues: (_cmd, arg) => (arg === 'key' ? {aliases: true} : undefined),
}

describe('complete', () => {
  it('offers topics and commands level by level, never hidden ones', () => {
    expect(complete(spec, [''])).toEqual({candidates: ['keys', 'spend', 'status']})
    expect(complete(spec, ['keys', ''])).toEqual({candidates: ['info', 'list']})
    expect(complete(spec, ['keys', 'l'])).toEqual({candidates: ['list']})
  })

  it('offers the flags not given yet (a repeatable one again)', () => {
    expect(complete(spec, ['keys', 'list', '--sort', 'spent', '--'])).toEqual({candidates: ['--json', '--status']})
    expect(complete(spec, ['keys', 'list', '--status', 'active', '--st'])).toEqual({candidates: ['--status']})
  })

  it('offers a flag\'s fixed values after it, and after --flag=', () => {
    expect(complete(spec, ['keys', 'list', '--sort', 's'])).toEqual({candidates: ['spent', 'status']})
    expect(complete(spec, ['keys', 'list', '--sort=s'])).toEqual({candidates: ['--sort=spent', '--sort=status']})
    expect(complete(spec, ['keys', 'list', '--json=a'])).toEqual({candidates: ['--json=alias']})
  })

  it('completes the last item of a comma-separated list, without the ones chosen', () => {
    expect(complete(spec, ['spend', 'logs', '--columns', 'model,'])).toEqual({candidates: ['model,date', 'model,model_group']})
    expect(complete(spec, ['spend', 'logs', '--columns', 'date,mo'])).toEqual({candidates: ['date,model', 'date,model_group']})
  })

  it('a flag without a list (a file) gets nothing, so the shell completes file names', () => {
    expect(complete(spec, ['spend', 'logs', '-o', ''])).toEqual({candidates: []})
  })

  it('asks for key aliases for the key argument, counting past flags and their values', () => {
    expect(complete(spec, ['keys', 'info', 'op'])).toEqual({aliases: {prefix: '', filter: 'op'}})
    expect(complete(spec, ['keys', 'info', '--profile', 'prod', ''])).toEqual({aliases: {prefix: '', filter: ''}})
    expect(complete(spec, ['keys', 'info', 'openclaw', ''])).toEqual({candidates: []})
  })
})
