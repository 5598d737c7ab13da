/** "Did you mean": the closest known name to what was typed. Pure. */

/** Edit distance (insertions, deletions, substitutions, transpositions of neighbours). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The candidate closest to `typed`, if it is close enough to be a typo (at most a third of its length). */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  let best: {name: string; distance: number} | undefined
  for (const name of candidates) {
    const distance = editDistance(typed, name)
    if (!best || distance < best.distance) best = {name, distance}
  }
  return best && best.distance <= Math.max(1, Math.floor(typed.length / 3)) ? best.name : undefined
}
