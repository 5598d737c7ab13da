/**
 * The start-up patches of scripts/source-patches.mjs that rest on a fact about Node: oclif's command sort
 * without ICU's collator must give localeCompare's order wherever it is used, and undici's default maximum
 * header size without node:http must be Node's, and oclif's package.json reads, synchronous, must fail as before.
 */
import {describe, expect, it} from '@jest/globals'
import {execFileSync} from 'node:child_process'

// @ts-expect-error: a plain JavaScript module of the build, without types
import {compareIds} from '../scripts/source-patches.mjs'

type Compare = (a: string, b: string) => number
const compare = compareIds as (env: Record<string, string | undefined>) => Compare
const sign = (n: number) => Math.sign(n)

// Every id of up to two characters from a-z, ':' and '-', 3,000 longer ones (seeded, so every run sorts the
// same), and some like keyward's.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz:-'
const ids: string[] = ['']
for (const a of ALPHABET) {
  ids.push(a)
  for (const b of ALPHABET) ids.push(a + b)
}
let seed = 7
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31)
for (let i = 0; i < 3000; i++) ids.push(Array.from({length: 3 + (next() % 10)}, () => ALPHABET[next() % ALPHABET.length]).join(''))
ids.push('keys:list', 'keys:lst', 'keys', 'keys-x', 'keysx', 'spend:logs', 'spend:report', 'budget:check', 'autocomplete:script', 'a-b:c', 'a:b-c')

describe("oclif's command order without the collator", () => {
  it.each([['unset', {}], ['C.UTF-8', {LANG: 'C.UTF-8'}], ['POSIX', {LC_ALL: 'POSIX'}], ['en_US.UTF-8', {LANG: 'en_US.UTF-8'}], ['en_GB', {LC_MESSAGES: 'en_GB'}]])(
    'sorts a-z, colon and hyphen ids as localeCompare does (locale %s)',
    (_name, env) => {
      const fast = compare(env)
      // The locales whose collation the fast path stands for: ICU's root, English and C/POSIX (en_US_POSIX).
      for (const locale of ['und', 'en', 'en-US', 'en-US-POSIX']) {
        const want = [...ids].sort(new Intl.Collator(locale).compare)
        expect([...ids].sort(fast)).toEqual(want)
      }
    },
  )

  it('leaves other ids and other locales to localeCompare', () => {
    const en = compare({LANG: 'en_US.UTF-8'})
    for (const [a, b] of [['Keys', 'keys'], ['a1', 'a:'], ['a_b', 'a-b'], ['ä', 'b']]) expect(sign(en(a, b))).toBe(sign(a.localeCompare(b)))
    // Czech sorts "ch" after "h": the fast path would say otherwise, so it is not taken.
    const cs = compare({LANG: 'cs_CZ.UTF-8'})
    let localeCalls = 0
    const original = String.prototype.localeCompare
    String.prototype.localeCompare = function (this: string, ...args: Parameters<typeof original>) {
      localeCalls++
      return original.apply(this, args)
    }
    try {
      cs('check', 'help')
      compare({LC_ALL: 'da_DK', LANG: 'en_US.UTF-8'})('aa', 'b')
    } finally {
      String.prototype.localeCompare = original
    }
    expect(localeCalls).toBe(2)
    expect(sign('check'.localeCompare('help', 'cs'))).toBe(1)
  })
})

describe("undici's default maximum header size without node:http", () => {
  it("is Node's own default when no --max-http-header-size is given", () => {
    const env = {PATH: process.env.PATH}
    expect(execFileSync(process.execPath, ['-p', "require('node:http').maxHeaderSize"], {env, encoding: 'utf8'}).trim()).toBe('16384')
    // …and the option still counts, so the patch asks node:http then.
    expect(execFileSync(process.execPath, ['--max-http-header-size=32768', '-p', "require('node:http').maxHeaderSize"], {env, encoding: 'utf8'}).trim()).toBe('32768')
  })
})

describe("oclif's package.json reads without the thread pool", () => {
  it('read and fail as before: a missing file still rejects readJson and makes safeReadJson undefined', async () => {
    const {readFileSync, mkdtempSync, writeFileSync} = await import('node:fs')
    const os = await import('node:os')
    const path = await import('node:path')
    const {createRequire} = await import('node:module')
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', '@oclif', 'core', 'lib', 'util', 'fs.js')
    // @ts-expect-error: a plain JavaScript module of the build, without types
    const {SOURCE_PATCHES} = (await import('../scripts/source-patches.mjs')) as {SOURCE_PATCHES: Array<{file: RegExp; from: string; to: string | (() => string)}>}
    const patch = SOURCE_PATCHES.find((p) => p.file.test(file))!
    const text = readFileSync(file, 'utf8')
    expect(text).toContain(patch.from)
    const patched = text.replace(patch.from, typeof patch.to === 'function' ? patch.to() : patch.to)
    expect(patched).not.toContain('promises_1.readFile)')
    const mod = {exports: {} as Record<string, (p: string, cache?: boolean) => Promise<unknown>>}
    new Function('exports', 'require', 'module', patched)(mod.exports, createRequire(file), mod)
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-patch-'))
    writeFileSync(path.join(dir, 'package.json'), '{"name": "x"}')
    const {readJson, safeReadJson} = mod.exports
    expect(await readJson!(path.join(dir, 'package.json'), false)).toEqual({name: 'x'})
    const missing = readJson!(path.join(dir, 'nope.json'), false)
    expect(missing).toBeInstanceOf(Promise)
    await expect(missing).rejects.toMatchObject({code: 'ENOENT'})
    await expect(safeReadJson!(path.join(dir, 'nope.json'), false)).resolves.toBeUndefined()
  })
})
