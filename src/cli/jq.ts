/**
 * `--jq EXPR`: jq itself (jq 1.8, compiled to WebAssembly, shipped inside the jq-wasm package: no
 * binary download, no native build), so a cron script needs no jq installed. Loaded only when --jq is
 * given (it is ~1 MB of wasm); the expression is compiled before any request is sent.
 */
import {baselineWasmOnly} from '../api/wasm-flags.js'
import {InputError} from '../core/errors.js'

interface JqHandle {
  raw(input: string | object | null, query: string, flags?: string[]): {stdout: string; stderr: string; exitCode: number}
}

export interface JqFilter {
  /** jq's output for `doc`: strings raw, other values as JSON (indented on a terminal), one a line, as `gh --jq` prints. */
  run(doc: unknown, opts: {pretty: boolean}): {text: string; error?: string}
}

/** jq's first error line, without its `jq: error…:` prefix. */
function firstError(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? 'jq failed'
  return line
    .replace(/^jq: error(?: \(at [^)]*\))?: /, '')
    .replace(/ at <top-level>, line (\d+), column (\d+):$/, ' (line $1, column $2)')
    .replace(/ at <top-level>, line (\d+):$/, ' (line $1)')
    .trim()
}

/**
 * Loads jq and compiles `expr` without running it: a syntax error or an unknown function is exit 2 here.
 * `proxy` is where the run's requests will go (what is loaded before jq, see ../api/wasm-flags.ts).
 */
export async function compileJq(expr: string, proxy?: URL): Promise<JqFilter> {
  if (expr.trim() === '') throw new InputError('--jq needs an expression, e.g. --jq .keys[].alias', "--jq '.keys[] | select(.spent > 10) | .alias'")
  baselineWasmOnly(proxy)
  const {loadJq} = (await import('jq-wasm')) as unknown as {loadJq: () => Promise<JqHandle>}
  const jq = await loadJq()
  // `empty | (EXPR)` compiles EXPR but never evaluates it (no input is read: -n).
  const probe = jq.raw(null, `empty | (\n${expr}\n)`, ['-n'])
  if (probe.exitCode !== 0) {
    // Report the error with the user's own line and column (the probe's wrapper moves them).
    const plain = jq.raw(null, expr, ['-n'])
    if (plain.exitCode === 3 || /compile error/.test(plain.stderr)) {
      throw new InputError(`invalid --jq expression: ${firstError(plain.stderr)}`, "--jq '.keys[] | .alias'")
    }
  }
  return {
    run(doc, {pretty}) {
      const r = jq.raw(JSON.stringify(doc), expr, pretty ? ['-r'] : ['-r', '-c'])
      const text = r.stdout === '' ? '' : r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`
      return r.exitCode === 0 ? {text} : {text, error: firstError(r.stderr)}
    },
  }
}
