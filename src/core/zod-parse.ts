/**
 * How keyward parses with zod: without its JIT. zod compiles a parser for each object schema with `new Function`
 * on first use, which no code cache keeps: every run compiled them again to parse one or a few answers (about
 * 1.5% of a `keys list` run). Spend-log rows, the only large answers, are not parsed by zod (api/spend.ts).
 */
export const PARSE = {jitless: true} as const
