import {describe, expect, it} from '@jest/globals'

import {readEnvValue, setEnvValue} from '../../src/domain/openclaw-env.js'

describe('readEnvValue', () => {
  it('reads plain, exported, quoted and commented values; the last assignment wins', () => {
    const text = '# c\nA=1\nexport LITELLM_API_KEY="sk-one"\nB = two # note\nLITELLM_API_KEY_2=x\n'
    expect(readEnvValue(text, 'LITELLM_API_KEY')).toBe('sk-one')
    expect(readEnvValue(text, 'B')).toBe('two')
    expect(readEnvValue(text, 'A')).toBe('1')
    expect(readEnvValue('K=a\nK=b\n', 'K')).toBe('b')
    expect(readEnvValue("K='q q'\n", 'K')).toBe('q q')
    expect(readEnvValue('K=\n', 'K')).toBeUndefined()
    expect(readEnvValue('# K=1\n', 'K')).toBeUndefined()
    expect(readEnvValue('', 'K')).toBeUndefined()
  })
})

describe('setEnvValue', () => {
  it('appends to an empty or missing file', () => {
    expect(setEnvValue('', 'K', 'sk-1')).toBe('K=sk-1\n')
    expect(setEnvValue('A=1', 'K', 'sk-1')).toBe('A=1\nK=sk-1\n')
  })
  it('replaces the first assignment in place, drops later ones, keeps every other line', () => {
    const text = '# top\nK=old\nA=1\nexport K=older\n\n# end\n'
    expect(setEnvValue(text, 'K', 'sk-new')).toBe('# top\nK=sk-new\nA=1\n\n# end\n')
    expect(setEnvValue('export K=old\n', 'K', 'sk-new')).toBe('export K=sk-new\n')
    expect(setEnvValue('K_OTHER=1\n', 'K', 'v')).toBe('K_OTHER=1\nK=v\n')
  })
  it('keeps CRLF line endings', () => {
    expect(setEnvValue('A=1\r\nK=x\r\n', 'K', 'y')).toBe('A=1\r\nK=y\r\n')
  })
  it('refuses values that could break the file', () => {
    expect(() => setEnvValue('', 'K', 'a\nB=evil')).toThrow()
    expect(() => setEnvValue('', 'K', 'a b')).toThrow()
    expect(() => setEnvValue('', 'K', '"x"')).toThrow()
    expect(() => setEnvValue('', 'K-1', 'x')).toThrow()
  })
})
