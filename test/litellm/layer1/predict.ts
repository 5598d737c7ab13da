/**
 * Layer 1, keyward's side of the period cross-check: reads a grid as JSON on stdin and prints keyward's
 * own answers (src/domain/period.ts, src/domain/inputs.ts, src/domain/forecast.ts) as JSON on stdout.
 * check_periods.py drives it and compares each answer with LiteLLM's functions.
 *
 * stdin:  {"rows": [{"id", "duration", "now", "tz", "resetAt"}]}   resetAt: LiteLLM's reset (ISO) or null
 * stdout: {"rows": [{"id", ...answers}]}
 */
import {currentWindow} from '../../../src/domain/forecast.js'
import {parseExpiry} from '../../../src/domain/inputs.js'
import {isMonthlyDuration, isWordDuration, verifyMonthlyReset} from '../../../src/domain/monthly-reset.js'
import {budgetWindow, durationMs, durationParts, parsePeriod, predictResetAt} from '../../../src/domain/period.js'

interface Row {
  id: number
  duration: string
  now: string
  tz: string
  resetAt: string | null
}

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null)

function attempt<T>(fn: () => T): {ok: T} | {error: string} {
  try {
    return {ok: fn()}
  } catch (e) {
    return {error: e instanceof Error ? e.message : String(e)}
  }
}

function answer(r: Row): Record<string, unknown> {
  const now = new Date(r.now)
  const resetAt = r.resetAt ? new Date(r.resetAt) : undefined
  const period = attempt(() => parsePeriod(r.duration))
  const sent = 'ok' in period ? period.ok.duration : undefined
  const resetCheck = isMonthlyDuration(r.duration) ? verifyMonthlyReset(resetAt, now) : null
  const window = currentWindow({duration: r.duration, resetAt, createdAt: undefined, resetCheck, now})
  return {
    id: r.id,
    parsePeriod: period,
    parseExpiry: attempt(() => parseExpiry(r.duration)),
    durationParts: durationParts(r.duration) ?? null,
    durationMs: durationMs(r.duration) ?? null,
    isWordDuration: isWordDuration(r.duration),
    isMonthlyDuration: isMonthlyDuration(r.duration),
    predictResetAt: iso(predictResetAt(r.duration, now, r.tz)),
    predictResetAtSent: sent === undefined ? null : iso(predictResetAt(sent, now, r.tz)),
    budgetWindowStart: iso(budgetWindow(r.duration, resetAt, now, r.tz)?.start),
    verifyMonthlyReset: resetCheck,
    currentWindow: window ? {start: iso(window.start), end: iso(window.end ?? undefined), basis: window.basis} : null,
  }
}

async function main(): Promise<void> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {rows: Row[]}
  process.stdout.write(JSON.stringify({rows: input.rows.map(answer)}))
}

main().catch((e: unknown) => {
  process.stderr.write(`predict: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
