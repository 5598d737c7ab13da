/** Round US dollars to `decimals` places (6: LiteLLM's own precision), so totals carry no 0.1+0.2 artefacts; never -0. */
export function roundUsd(n: number, decimals = 6): number {
  const f = 10 ** decimals
  const r = Math.round(n * f) / f
  return Object.is(r, -0) ? 0 : r
}
