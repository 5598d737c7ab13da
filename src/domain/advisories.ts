// Which published security advisories apply to a LiteLLM proxy version (the data is domain/advisory-data.ts).

interface AdvisoryBase {
  id: string
  /** compromised: a malicious release (exact versions); vulnerable: a flaw in a range of releases. */
  kind: 'compromised' | 'vulnerable'
  title: string
  /** Exact releases (for `compromised`). */
  versions?: readonly string[]
  /** `introduced <= v < fixed` (for `vulnerable`); `fixed` absent while unfixed. */
  range?: {introduced: string; fixed?: string}
  /** YYYY-MM-DD (UTC). */
  published: string
  alsoSee: readonly string[]
  advice: string
  /** YYYY-MM-DD: when the entry was last checked. */
  checked: string
}

/**
 * One advisory: with the public page it was published on, or, while none exists, `url: null` and a
 * `note` saying where the fact comes from (never a made-up URL). A null url without a note does not compile.
 */
export type Advisory = AdvisoryBase & ({url: string; note?: string} | {url: null; note: string})

/** What `status` reports for one advisory that matches. */
export interface AdvisoryMatch {
  id: string
  kind: Advisory['kind']
  title: string
  published: string
  url: string | null
  /** Where the fact comes from when there is no public page (url null); null otherwise. */
  note: string | null
  advice: string
}

export type Triple = readonly [number, number, number]

/**
 * The release number of a LiteLLM version string: `1.83.7`, `v1.83.10-stable`, `1.82.3-stable.patch.2`,
 * `1.94.0rc1` (a pre-release counts as its release). Undefined when there is no `X.Y.Z` at the start.
 */
export function parseVersion(text: string): Triple | undefined {
  const m = /^\s*v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?![\d])/.exec(text)
  if (!m) return undefined
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

export function compareVersions(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

function parseOrThrow(v: string): Triple {
  const t = parseVersion(v)
  if (!t) throw new Error(`advisory data: '${v}' is not a version`)
  return t
}

/** The advisories that apply to `version` (none when it cannot be read as X.Y.Z). */
export function advisoriesFor(version: string, list: readonly Advisory[]): AdvisoryMatch[] {
  const v = parseVersion(version)
  if (!v) return []
  const hits = list.filter((a) => {
    if (a.kind === 'compromised') return (a.versions ?? []).some((x) => compareVersions(parseOrThrow(x), v) === 0)
    if (!a.range) return false
    if (compareVersions(v, parseOrThrow(a.range.introduced)) < 0) return false
    return a.range.fixed === undefined || compareVersions(v, parseOrThrow(a.range.fixed)) < 0
  })
  return hits.map((a) => ({id: a.id, kind: a.kind, title: a.title, published: a.published, url: a.url, note: a.url === null ? a.note : null, advice: a.advice}))
}
