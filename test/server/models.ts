// The model catalogue shared by generated spend logs, /v1/models and /model/info.

export interface ModelSpec {
  name: string
  provider: string
  apiBase: string
  /** USD per token. */
  input: number
  output: number
  /** USD per token for cache reads and writes, where the price map has them. */
  cacheRead?: number
  cacheWrite?: number
  maxInput: number
  maxOutput: number
  vision: boolean
  reasoning: boolean
  /** Relative frequency in generated traffic. */
  weight: number
}

export const MODELS: readonly ModelSpec[] = [
  {name: 'claude-opus-4-6', provider: 'anthropic', apiBase: 'https://api.anthropic.com/v1/messages', input: 15e-6, output: 75e-6, cacheRead: 1.5e-6, cacheWrite: 18.75e-6, maxInput: 200_000, maxOutput: 64_000, vision: true, reasoning: true, weight: 3},
  {name: 'gpt-4o', provider: 'openai', apiBase: 'https://api.openai.com/v1', input: 2.5e-6, output: 10e-6, cacheRead: 1.25e-6, maxInput: 128_000, maxOutput: 16_384, vision: true, reasoning: false, weight: 4},
  {name: 'gemini-2.5-pro', provider: 'gemini', apiBase: 'https://generativelanguage.googleapis.com', input: 1.25e-6, output: 10e-6, maxInput: 1_048_576, maxOutput: 65_535, vision: true, reasoning: true, weight: 2},
  {name: 'gpt-4o-mini', provider: 'openai', apiBase: 'https://api.openai.com/v1', input: 0.15e-6, output: 0.6e-6, maxInput: 128_000, maxOutput: 16_384, vision: true, reasoning: false, weight: 1},
]

/** The first three are what the proxy advertises; gpt-4o-mini only appears in historical logs. */
export const ADVERTISED_MODELS = MODELS.slice(0, 3)

const TOTAL_WEIGHT = MODELS.reduce((s, m) => s + m.weight, 0)

/** Weighted pick for u in [0, 1). */
export function pickModel(u: number): ModelSpec {
  let x = u * TOTAL_WEIGHT
  for (const m of MODELS) {
    x -= m.weight
    if (x < 0) return m
  }
  return MODELS[MODELS.length - 1]!
}
