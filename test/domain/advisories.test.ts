import {describe, expect, it} from '@jest/globals'

import {advisoriesFor, compareVersions, parseVersion, type Advisory} from '../../src/domain/advisories.js'
import {ADVISORIES} from '../../src/domain/advisory-data.js'

const ids = (v: string) => advisoriesFor(v, ADVISORIES).map((a) => a.id)

describe('parseVersion', () => {
  it.each([
    ['1.83.7', [1, 83, 7]],
    ['v1.83.10-stable', [1, 83, 10]],
    ['1.82.3-stable.patch.2', [1, 82, 3]],
    ['1.94.0rc1', [1, 94, 0]],
    [' 1.107.0 ', [1, 107, 0]],
  ])('%s', (text, want) => expect(parseVersion(text)).toEqual(want))
  it.each(['', 'latest', '1.83', 'main-stable', '1.2.3456789'])('%s is not a version', (text) => expect(parseVersion(text)).toBeUndefined())
  it('compares numerically, not as text', () => {
    expect(compareVersions([1, 83, 10], [1, 83, 7])).toBeGreaterThan(0)
    expect(compareVersions([1, 9, 0], [1, 83, 0])).toBeLessThan(0)
  })
})

describe('the advisory list', () => {
  it('flags the compromised releases 1.82.7, 1.82.8 and 1.107.0, and nothing next to them', () => {
    expect(ids('1.82.7')).toEqual(expect.arrayContaining(['PYSEC-2026-2']))
    expect(ids('1.82.8')).toEqual(expect.arrayContaining(['PYSEC-2026-2']))
    expect(ids('1.107.0')).toEqual(['LITELLM-2026-10-1.107.0'])
    expect(ids('v1.107.0-stable')).toEqual(['LITELLM-2026-10-1.107.0'])
    expect(ids('1.107.1')).toEqual([])
    expect(ids('1.106.9')).toEqual([])
  })
  it('flags the SQL injection range >= 1.81.16, < 1.83.7 (CVE-2026-42208), both ends checked', () => {
    expect(ids('1.81.15')).toEqual([])
    expect(ids('1.81.16')).toEqual(['CVE-2026-42208'])
    expect(ids('1.83.6')).toEqual(['CVE-2026-42208'])
    expect(ids('1.83.7')).toEqual([])
    // 1.82.7 is both compromised and inside the range.
    expect(ids('1.82.7').sort()).toEqual(['CVE-2026-42208', 'PYSEC-2026-2'])
  })
  it('says nothing for versions it cannot read', () => {
    expect(ids('unknown')).toEqual([])
  })
  it('every entry is dated, has a source URL (or says why not) and well-formed versions', () => {
    const seen = new Set<string>()
    for (const a of ADVISORIES) {
      expect(seen.has(a.id)).toBe(false)
      seen.add(a.id)
      expect(a.published).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(a.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(Number.isNaN(Date.parse(a.published))).toBe(false)
      if (a.url === null) expect(a.note).toEqual(expect.stringMatching(/\S/))
      else expect(a.url).toMatch(/^https:\/\/(?!(www\.)?example\.)\S+$/)
      for (const u of a.alsoSee) expect(u).toMatch(/^https:\/\/\S+$/)
      const versions = a.kind === 'compromised' ? [...(a.versions ?? [])] : [a.range!.introduced, ...(a.range!.fixed ? [a.range!.fixed] : [])]
      expect(versions.length).toBeGreaterThan(0)
      for (const v of versions) expect(parseVersion(v)).toBeDefined()
    }
  })
  it('1.107.0 has no public advisory yet: url null and a note saying where the fact comes from, not a made-up URL', () => {
    const a = ADVISORIES.find((x) => x.id === 'LITELLM-2026-10-1.107.0')!
    expect(a.url).toBeNull()
    expect(a.note).toMatch(/reported in keyward's project brief .*not yet published/)
    // The note travels with the match (what `status` shows and returns), and only while there is no URL.
    expect(advisoriesFor('1.107.0', ADVISORIES)[0]).toMatchObject({url: null, note: a.note})
    expect(advisoriesFor('1.82.7', ADVISORIES).every((m) => m.url !== null && m.note === null)).toBe(true)
  })
  it('the type refuses an entry with neither a URL nor a note', () => {
    const base = {id: 'x', kind: 'compromised', title: 't', versions: ['1.0.0'], published: '2026-01-01', alsoSee: [], advice: 'a', checked: '2026-01-01'} as const
    // @ts-expect-error: url null needs a note
    const bad: Advisory = {...base, url: null}
    const ok: Advisory = {...base, url: null, note: 'from the brief'}
    expect([bad.url, ok.note]).toEqual([null, 'from the brief'])
  })
})
