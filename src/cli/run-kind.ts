/**
 * What kind of run the arguments ask for, decided in bin/run.js before anything else loads: a run that only
 * shows help loads the help bundle (dist/help.cjs: oclif, the help class and the `help` command), any other
 * run the whole bundle; and each kind has its own code cache (src/cli/code-cache.ts).
 */
import {closeSync, fstatSync, openSync, readFileSync, readSync} from 'node:fs'
import path from 'node:path'

/** oclif's help flags for keyward: its own `--help` and package.json's `oclif.additionalHelpFlags`. */
export const HELP_FLAGS = ['--help', '-h']

/**
 * True when oclif will show help and load no command but `help`: no arguments, the `help` command, or a help
 * flag before any `--` (oclif's own rule, `helpAddition` in @oclif/core's main.js, checked before it looks for
 * a command). test/cli/run-kind.test.ts holds this to oclif's function.
 */
export function isHelpRun(argv: readonly string[]): boolean {
  if (argv.length === 0 || argv[0] === 'help') return true
  for (const arg of argv) {
    if (HELP_FLAGS.includes(arg)) return true
    if (arg === '--') return false
  }
  return false
}

/** The code cache's name for the kind of run: `help`, or the command's first words (`keys list`). */
export function runLabel(argv: readonly string[]): string {
  if (isHelpRun(argv)) return 'help'
  const words: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-') || words.length === 2) break
    words.push(arg)
  }
  return words.join(' ')
}

/**
 * Whether oclif will describe the commands from keyward's manifest (`oclif.manifest.json`, written by the
 * build), which the help bundle needs: without it, or with another version's (oclif then ignores it), oclif
 * describes each command by loading it, and only the whole bundle has the commands. Reads the manifest's last
 * bytes, where oclif writes its version; anything unexpected means no.
 */
export function manifestServesHelp(root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  let fd: number | undefined
  try {
    const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version?: unknown}
    fd = openSync(path.join(root, 'oclif.manifest.json'), 'r')
    const size = fstatSync(fd).size
    const tail = Buffer.alloc(Math.min(size, 256))
    readSync(fd, tail, 0, tail.length, size - tail.length)
    const manifestVersion = /"version":\s*"([^"]+)"\s*}\s*$/.exec(tail.toString('utf8'))?.[1]
    if (typeof version !== 'string' || manifestVersion === undefined) return false
    return Boolean(env.OCLIF_NEXT_VERSION) || manifestVersion.split('-')[0] === version.split('-')[0]
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
