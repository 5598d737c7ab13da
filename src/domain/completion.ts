/**
 * Shell completion, decided without I/O: given the command tree and the words typed so far, what to
 * offer (commands, flags, a flag's fixed values) or that key aliases are wanted (fetched by the caller).
 */

export interface CompletionFlag {
  name: string
  char?: string
  /** Takes a value (`--sort spent`), unlike a boolean. */
  takesValue: boolean
  multiple?: boolean
}

export interface CompletionCommand {
  /** oclif's id: `keys:list`. */
  id: string
  flags: CompletionFlag[]
  args: string[]
  hidden?: boolean
}

/** A value source for a flag or argument: a fixed list, a comma-separated list of it, or the proxy's key aliases. */
export type ValueSource = {values: readonly string[]; commaList?: boolean} | {aliases: true}

export interface CompletionSpec {
  commands: readonly CompletionCommand[]
  /** By `command:flag` (e.g. `spend:report:by`), then by flag name alone (`period`). */
  flagValues(command: string, flag: string): ValueSource | undefined
  /** The value source of positional argument `arg` of `command` (e.g. `key` → aliases). */
  argValues(command: string, arg: string): ValueSource | undefined
}

export type CompletionAnswer =
  | {candidates: string[]}
  /** Offer the proxy's key aliases that start with `filter`, each with `prefix` in front. */
  | {aliases: {prefix: string; filter: string}}

/** Names that are safe to hand to a shell as a completion (no spaces, quotes or control characters). */
export const SHELL_SAFE = /^[A-Za-z0-9._:@%+/-]+$/

function byPrefix(list: Iterable<string>, cur: string): string[] {
  return [...new Set(list)].filter((v) => v.startsWith(cur)).sort()
}

function fromSource(src: ValueSource, cur: string, prefix = ''): CompletionAnswer {
  if ('aliases' in src) return {aliases: {prefix, filter: cur}}
  if (src.commaList) {
    const cut = cur.lastIndexOf(',') + 1
    const done = cur.slice(0, cut)
    const chosen = new Set(done.split(',').filter(Boolean))
    return {candidates: byPrefix(src.values.filter((v) => !chosen.has(v)), cur.slice(cut)).map((v) => `${prefix}${done}${v}`)}
  }
  return {candidates: byPrefix(src.values, cur).map((v) => `${prefix}${v}`)}
}

/**
 * `words`: what follows the program name, the last one being the word under the cursor (possibly empty).
 * Topics and commands are separated by spaces (`keys list`), as keyward's topic separator is a space.
 */
export function complete(spec: CompletionSpec, words: readonly string[]): CompletionAnswer {
  const cur = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const visible = spec.commands.filter((c) => !c.hidden)
  // The command: the longest run of leading words that names one.
  let command: CompletionCommand | undefined
  let used = 0
  for (let n = before.length; n > 0 && !command; n--) {
    if (before.slice(0, n).some((w) => w.startsWith('-'))) continue
    const id = before.slice(0, n).join(':')
    command = spec.commands.find((c) => c.id === id)
    if (command) used = n
  }
  if (!command) {
    // Still choosing a topic or command: the next level under the words so far.
    if (before.some((w) => w.startsWith('-'))) return {candidates: []}
    const path = before.length > 0 ? `${before.join(':')}:` : ''
    const next = visible.filter((c) => c.id.startsWith(path)).map((c) => c.id.slice(path.length).split(':')[0]!)
    return {candidates: byPrefix(next, cur)}
  }
  const rest = before.slice(used)
  const flagNamed = (word: string): CompletionFlag | undefined => {
    if (word.startsWith('--')) return command!.flags.find((f) => f.name === word.slice(2))
    if (/^-[A-Za-z]$/.test(word)) return command!.flags.find((f) => f.char === word.slice(1))
    return undefined
  }
  // A value right after a flag that takes one: `--by w`.
  const last = rest.at(-1)
  const pending = last ? flagNamed(last) : undefined
  if (pending?.takesValue && !cur.startsWith('-')) {
    const src = spec.flagValues(command.id, pending.name)
    return src ? fromSource(src, cur) : {candidates: []}
  }
  // `--by=w`
  const eq = /^--([A-Za-z0-9-]+)=(.*)$/.exec(cur)
  if (eq) {
    const flag = command.flags.find((f) => f.name === eq[1])
    // (`--json=alias,sp` too: --json is a boolean that takes fields after `=`.)
    const src = flag ? spec.flagValues(command.id, flag.name) : undefined
    return src ? fromSource(src, eq[2]!, `--${eq[1]}=`) : {candidates: []}
  }
  if (cur.startsWith('-')) {
    const given = new Set(rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2).replace(/=.*$/, '')))
    return {candidates: byPrefix(command.flags.filter((f) => f.multiple || !given.has(f.name)).map((f) => `--${f.name}`), cur)}
  }
  // A positional argument: count the ones already given (skipping flags and their values).
  let position = 0
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!
    if (w === '--') break
    if (w.startsWith('-')) {
      const f = flagNamed(w)
      if (f?.takesValue && !w.includes('=')) i++
      continue
    }
    position++
  }
  const arg = command.args[position]
  const src = arg ? spec.argValues(command.id, arg) : undefined
  return src ? fromSource(src, cur) : {candidates: []}
}
