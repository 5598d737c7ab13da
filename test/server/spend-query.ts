// Time-range and filter selection over a SpendDataset, without materialising rows.
import type {SpendDataset} from './spend-data.js'
import type {SpendLogRow} from './types.js'

export interface SpendFilter {
  api_key?: string
  user_id?: string
  team_id?: string
  request_id?: string
  model?: string
  model_group?: string
  /** substring of metadata.user_api_key_alias */
  key_alias?: string
  end_user?: string
  status_filter?: string
  min_spend?: number
  max_spend?: number
}

/** Ascending row indices of one (range, filter) selection. */
export interface Selection {
  count: number
  at(k: number): number
}

const FILTER_CACHE_SIZE = 8

function matcher(f: SpendFilter): (r: SpendLogRow) => boolean {
  return (r) =>
    (f.api_key === undefined || r.api_key === f.api_key) &&
    (f.user_id === undefined || r.user === f.user_id) &&
    (f.team_id === undefined || r.team_id === f.team_id) &&
    (f.request_id === undefined || r.request_id === f.request_id) &&
    (f.model === undefined || r.model === f.model) &&
    (f.model_group === undefined || r.model_group === f.model_group) &&
    (f.key_alias === undefined || (r.metadata.user_api_key_alias ?? '').includes(f.key_alias)) &&
    (f.end_user === undefined || r.end_user === f.end_user) &&
    (f.status_filter === undefined || r.status === f.status_filter) &&
    (f.min_spend === undefined || r.spend >= f.min_spend) &&
    (f.max_spend === undefined || r.spend <= f.max_spend)
}

export class SpendIndex {
  /** LRU of filtered index lists, so paging a filtered set scans the range once, not once per page. */
  private readonly cache = new Map<string, Int32Array>()

  constructor(readonly ds: SpendDataset) {}

  /** First index whose startTime >= ms (binary search: the dataset is sorted). */
  lowerBound(ms: number): number {
    let lo = 0
    let hi = this.ds.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.ds.timeAt(mid) < ms) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** [lo, hi) of rows with fromMs <= startTime < toMsExclusive. */
  range(fromMs: number, toMsExclusive: number): [number, number] {
    const lo = this.lowerBound(fromMs)
    return [lo, Math.max(lo, this.lowerBound(toMsExclusive))]
  }

  /** After rows were appended: cached selections are stale. */
  invalidate(): void {
    this.cache.clear()
  }

  select(lo: number, hi: number, filter: SpendFilter): Selection {
    const active = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as SpendFilter
    if (Object.keys(active).length === 0) return {count: hi - lo, at: (k) => lo + k}
    const cacheKey = `${lo}:${hi}:${JSON.stringify(active)}`
    let ids = this.cache.get(cacheKey)
    if (ids) {
      this.cache.delete(cacheKey)
    } else {
      ids = this.scan(lo, hi, matcher(active))
      if (this.cache.size >= FILTER_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!)
    }
    this.cache.set(cacheKey, ids)
    const found = ids
    return {count: found.length, at: (k) => found[k]!}
  }

  private scan(lo: number, hi: number, match: (r: SpendLogRow) => boolean): Int32Array {
    let buf = new Int32Array(Math.min(1024, Math.max(1, hi - lo)))
    let n = 0
    for (let i = lo; i < hi; i++) {
      if (!match(this.ds.rowAt(i))) continue
      if (n === buf.length) {
        const bigger = new Int32Array(buf.length * 2)
        bigger.set(buf)
        buf = bigger
      }
      buf[n++] = i
    }
    return buf.slice(0, n)
  }

  /** One page of a selection, newest first for 'desc'. Pages past the end are empty. */
  page(sel: Selection, page: number, pageSize: number, order: 'asc' | 'desc'): SpendLogRow[] {
    const first = (page - 1) * pageSize
    const n = Math.max(0, Math.min(pageSize, sel.count - first))
    const out: SpendLogRow[] = new Array(n)
    for (let j = 0; j < n; j++) {
      const k = order === 'asc' ? first + j : sel.count - 1 - first - j
      out[j] = this.ds.rowAt(sel.at(k))
    }
    return out
  }
}
