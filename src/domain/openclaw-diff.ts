/**
 * A line-based unified diff (as `diff -u` prints it), for `openclaw connect --dry-run`. Pure.
 * Config files are small: the common prefix and suffix are trimmed and the middle is compared with a
 * longest-common-subsequence table; a very large middle falls back to "all removed, all added".
 */

type Op = {kind: ' ' | '-' | '+'; line: string}

const MAX_CELLS = 4_000_000

function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

function diffOps(a: string[], b: string[]): Op[] {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({kind: ' ', line}))
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  const n = midA.length
  const m = midB.length
  if (n * m > MAX_CELLS) {
    for (const line of midA) ops.push({kind: '-', line})
    for (const line of midB) ops.push({kind: '+', line})
  } else {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..]
    const lcs: Uint32Array[] = Array.from({length: n + 1}, () => new Uint32Array(m + 1))
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
    let i = 0
    let j = 0
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({kind: ' ', line: midA[i]!})
        i++
        j++
      } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        ops.push({kind: '+', line: midB[j]!})
        j++
      } else {
        ops.push({kind: '-', line: midA[i]!})
        i++
      }
    }
    // Within a run of changes, show removals before additions, as diff -u does.
    normalizeRuns(ops, start)
  }
  for (const line of a.slice(endA)) ops.push({kind: ' ', line})
  return ops
}

function normalizeRuns(ops: Op[], from: number): void {
  let i = from
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++
      continue
    }
    let j = i
    while (j < ops.length && ops[j]!.kind !== ' ') j++
    const run = ops.slice(i, j)
    const sorted = [...run.filter((o) => o.kind === '-'), ...run.filter((o) => o.kind === '+')]
    ops.splice(i, j - i, ...sorted)
    i = j
  }
}

/** `--- a` / `+++ b` and `@@` hunks with `context` lines around each change; '' when nothing differs. */
export function unifiedDiff(before: string, after: string, labels: {from: string; to: string}, context = 3): string {
  if (before === after) return ''
  const ops = diffOps(splitLines(before), splitLines(after))
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0)
  if (changed.length === 0) {
    // Only line endings or a final newline differ.
    return [`--- ${labels.from}`, `+++ ${labels.to}`, '@@ line endings or final newline differ @@'].join('\n')
  }
  // Group changes whose context windows touch.
  const groups: Array<[number, number]> = []
  for (const i of changed) {
    const last = groups.at(-1)
    if (last && i - last[1] - 1 <= 2 * context) last[1] = i
    else groups.push([i, i])
  }
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`]
  for (const [first, lastIdx] of groups) {
    const lo = Math.max(0, first - context)
    const hi = Math.min(ops.length - 1, lastIdx + context)
    // Line numbers: count lines of each side before lo.
    let aLine = 1
    let bLine = 1
    for (let k = 0; k < lo; k++) {
      if (ops[k]!.kind !== '+') aLine++
      if (ops[k]!.kind !== '-') bLine++
    }
    const slice = ops.slice(lo, hi + 1)
    const aCount = slice.filter((o) => o.kind !== '+').length
    const bCount = slice.filter((o) => o.kind !== '-').length
    const range = (start: number, count: number) => (count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`)
    out.push(`@@ -${range(aLine, aCount)} +${range(bLine, bCount)} @@`)
    for (const o of slice) out.push(`${o.kind}${o.line}`)
  }
  return out.join('\n')
}
