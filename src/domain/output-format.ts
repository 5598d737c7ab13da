/**
 * Which format a file gets: `--format` when given, else the file's extension, else the default. A
 * `--format` that contradicts a known extension is refused (`-o rep.csv --format json`). Pure.
 */
import {InputError} from '../core/errors.js'

export interface FormatChoice<F extends string> {
  format: F
  /** Set when the extension chose the format (and it is worth saying, e.g. JSON lines in a .json file). */
  note?: string
}

export function chooseFormat<F extends string>(opts: {
  flag: F | undefined
  output: string | undefined
  /** Extension (lower case, no dot) → format. */
  byExtension: Readonly<Record<string, F>>
  fallback: F
  /** What to say when a given extension picks this format (e.g. `json` → "JSON lines, one object a line"). */
  notes?: Readonly<Record<string, string>>
}): FormatChoice<F> {
  const ext = opts.output ? /\.([A-Za-z0-9]+)$/.exec(opts.output)?.[1]?.toLowerCase() : undefined
  const implied = ext !== undefined && Object.hasOwn(opts.byExtension, ext) ? opts.byExtension[ext] : undefined
  if (opts.flag !== undefined) {
    if (implied !== undefined && implied !== opts.flag) {
      throw new InputError(`--format ${opts.flag} contradicts the file name ${opts.output} (.${ext} means ${implied}): drop --format or rename the file`, `--output ${opts.output!.replace(/\.[A-Za-z0-9]+$/, `.${extensionFor(opts.byExtension, opts.flag) ?? opts.flag}`)}`)
    }
    return {format: opts.flag}
  }
  if (implied !== undefined) return {format: implied, note: ext && opts.notes && Object.hasOwn(opts.notes, ext) ? opts.notes[ext] : undefined}
  return {format: opts.fallback}
}

function extensionFor<F extends string>(map: Readonly<Record<string, F>>, format: F): string | undefined {
  return Object.entries(map).find(([, f]) => f === format)?.[0]
}
