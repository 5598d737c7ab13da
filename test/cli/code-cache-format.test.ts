/**
 * The bundle's layout (src/cli/code-cache.ts, scripts/build.mjs): one file that bin/run.js compiles as a function
 * with a code cache and that `require` runs as an ordinary CommonJS module.
 */
import {describe, expect, it} from '@jest/globals'
import {createRequire} from 'node:module'
import vm from 'node:vm'

import {BUNDLE_HEAD, BUNDLE_TAIL, cacheFileName, functionSource} from '../../src/cli/code-cache.js'

const require = createRequire(import.meta.url)
const built = (body: string) => `//keyward-bundle ${'0'.repeat(32)}\n${BUNDLE_HEAD}${body}${BUNDLE_TAIL}`
const run = (fnSource: string) => {
  const mod = {exports: {} as Record<string, unknown>}
  ;(vm.runInThisContext(fnSource) as (...a: unknown[]) => void).call(mod.exports, mod.exports, require, mod, '/x.cjs', '/', () => undefined)
  return mod.exports
}

describe('the bundle file', () => {
  it('compiles, without its last call, to the function the build wrote: the same text, not a copy with a wrapper', () => {
    const file = built('exports.answer = 42; exports.self = this === exports')
    const fn = functionSource(file)
    expect(file.startsWith(fn)).toBe(true)
    expect(fn.endsWith('\n})')).toBe(true)
    expect(file.slice(fn.length)).toBe(BUNDLE_TAIL.slice('\n})'.length))
    expect(run(fn)).toEqual({answer: 42, self: true})
  })

  it('runs as an ordinary CommonJS module too (the call on its last line)', () => {
    const mod = {exports: {} as Record<string, unknown>}
    new Function('exports', 'require', 'module', '__filename', '__dirname', built('module.exports = {kind: typeof __keywardImport}'))(mod.exports, require, mod, '/x.cjs', '/')
    expect(mod.exports).toEqual({kind: 'undefined'})
  })

  it('another layout (no call at the end, or the function not right after the first line) is wrapped as before', () => {
    for (const file of ['//keyward-bundle x\nexports.answer = 42', `//keyward-bundle x\n//\n${BUNDLE_HEAD}exports.answer = 42${BUNDLE_TAIL}`.replace(BUNDLE_HEAD, 'exports.answer = 42;(function () {')]) {
      const fn = functionSource(file)
      expect(fn.startsWith(BUNDLE_HEAD)).toBe(true)
      expect(run(fn)).toMatchObject({answer: 42})
    }
  })
})

describe("the cache file's name", () => {
  const source = built('')
  const kind = (label: string, helpBundle = false) => cacheFileName(source, label, helpBundle)!.name.replace(/^keyward-0{32}-v[\d.]+-\w+-/, '')
  it('is named by the kind of run; `help` is the help bundle only, whatever a run of the whole bundle is typed as', () => {
    expect(kind('help', true)).toBe('help.v8')
    expect(kind('keys list')).toBe('keys-list.v8')
    expect(kind('')).toBe('run.v8')
    for (const typed of ['help', 'HELP', 'Help', 'help!', 'help-', ' help']) expect(kind(typed)).toBe('run-help.v8')
  })

  it('is none for a bundle without its build line', () => {
    expect(cacheFileName('(function () {})', 'help')).toBeUndefined()
  })
})
