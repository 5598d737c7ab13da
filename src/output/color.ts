import {Chalk, type ChalkInstance} from 'chalk'

/** Colour only on a TTY, never with NO_COLOR (any value) or TERM=dumb; FORCE_COLOR wins over a pipe. */
export function colorEnabled(stream: {isTTY?: boolean} = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

const cache = new Map<string, ChalkInstance>()

/** A chalk instance for a stream, honouring colorEnabled(). */
export function colors(stream: 'stdout' | 'stderr' = 'stdout'): ChalkInstance {
  const s = stream === 'stdout' ? process.stdout : process.stderr
  const level = colorEnabled(s) ? 1 : 0
  const id = `${stream}:${level}`
  let c = cache.get(id)
  if (!c) {
    c = new Chalk({level})
    cache.set(id, c)
  }
  return c
}

/** Terminal width for layout: the TTY's, else $COLUMNS, else 100. */
export function terminalWidth(stream: {columns?: number} = process.stdout): number {
  if (stream.columns && stream.columns > 0) return stream.columns
  const env = Number(process.env.COLUMNS)
  return Number.isFinite(env) && env > 0 ? env : 100
}

/**
 * The width tables are laid out for: the terminal's when stdout is one (else $COLUMNS, else 80), and
 * no limit when stdout is a pipe or a file, so `| cat`, cron mail and scripts get every column.
 */
export function layoutWidth(stream: {isTTY?: boolean; columns?: number} = process.stdout): number {
  if (!stream.isTTY) return Number.POSITIVE_INFINITY
  if (stream.columns && stream.columns > 0) return stream.columns
  const env = Number(process.env.COLUMNS)
  return Number.isFinite(env) && env > 0 ? env : 80
}
