/**
 * An unknown command: one line in keyward's words (exit 2, JSON with --json) and the closest command,
 * instead of oclif's `command keys:lst not found`.
 */
import type {Hook} from '@oclif/core/hooks'

import {usageError} from '../../core/errors.js'
import {closest} from '../../domain/suggest.js'
import {ExitCode} from '../../core/exit-codes.js'
import {colors} from '../../output/color.js'
import {sanitizeForTerminal} from '../../output/sanitize.js'

const hook: Hook.CommandNotFound = async function (opts) {
  const typed = opts.id.replaceAll(':', ' ')
  const known = [...opts.config.topics.map((t) => t.name), ...opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)].map((id) => id.replaceAll(':', ' '))
  const guess = closest(typed, known)
  const bin = opts.config.bin
  const error = usageError(`unknown command '${typed}'`, ...(guess ? [`Did you mean: ${bin} ${guess}`] : []), `See the commands: ${bin} --help`)
  process.exitCode = ExitCode.USAGE
  if (opts.argv?.includes('--json')) {
    process.stdout.write(`${JSON.stringify({error: error.toJSON()}, null, 2)}\n`)
    return
  }
  const c = colors('stderr')
  process.stderr.write(`${c.red('Error:')} ${sanitizeForTerminal(error.message)}\n${c.dim('Try this:')}\n${error.suggestions.map((s) => `  ${sanitizeForTerminal(s)}`).join('\n')}\n`)
}

export default hook
