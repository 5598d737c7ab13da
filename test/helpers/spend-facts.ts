import type {LogFacts} from '../../src/domain/spend-aggregate.js'

/** One spend-log row as aggregation sees it: $1, one token each way, gpt-4o on 2026-11-04; `over` changes fields. */
export const fact = (over: Partial<LogFacts>): LogFacts => ({
  ms: Date.parse('2026-11-04T10:00:00Z'),
  model: 'gpt-4o',
  apiKey: 'k'.repeat(64),
  alias: null,
  user: 'u1',
  team: 't1',
  provider: 'openai',
  failed: false,
  inputTokens: 1,
  outputTokens: 1,
  spend: 1,
  ...over,
})
