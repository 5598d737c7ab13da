/**
 * What shell completion offers for each flag value and argument: the fixed lists (from the same
 * constants the flags' parsers check against, where there is one) and, for keys, the proxy's aliases.
 * test/cli/completion.test.ts feeds every value listed here to the flag's own parser.
 */
import type {Command} from '@oclif/core/command'

import {AUDIT_CODES} from '../domain/audit.js'
import type {CompletionCommand, CompletionSpec, ValueSource} from '../domain/completion.js'
import {KEY_STATUSES, SORT_FIELDS} from '../domain/keys-list.js'
import {PERIOD_WORDS} from '../domain/period.js'
import {GROUP_BY} from '../domain/spend-aggregate.js'
import {LOG_COLUMNS} from '../domain/spend-export.js'
import {JSON_SHAPES} from './json-fields.js'

const ALIASES: ValueSource = {aliases: true}

/** By `command:flag`. */
const BY_COMMAND_FLAG: Readonly<Record<string, ValueSource>> = {
  'spend:report:by': {values: GROUP_BY},
  'spend:report:format': {values: ['table', 'csv', 'json']},
  'spend:logs:format': {values: ['csv', 'jsonl', 'table']},
  'spend:logs:status': {values: ['success', 'failure']},
  'spend:logs:columns': {values: Object.keys(LOG_COLUMNS), commaList: true},
  'keys:list:sort': {values: SORT_FIELDS},
  'keys:list:status': {values: KEY_STATUSES},
  'keys:audit:ignore': {values: AUDIT_CODES, commaList: true},
}

/** By flag name, in every command that has the flag. */
const BY_FLAG: Readonly<Record<string, ValueSource>> = {
  key: ALIASES,
  period: {values: Object.keys(PERIOD_WORDS)},
}

export function flagValues(command: string, flag: string): ValueSource | undefined {
  const own = `${command}:${flag}`
  if (Object.hasOwn(BY_COMMAND_FLAG, own)) return BY_COMMAND_FLAG[own]
  if (flag === 'json' && Object.hasOwn(JSON_SHAPES, command)) return {values: JSON_SHAPES[command]!.fields, commaList: true}
  return Object.hasOwn(BY_FLAG, flag) ? BY_FLAG[flag] : undefined
}

/** The `key` argument of keys info/delete/block/unblock/rotate/update: an alias. */
export function argValues(_command: string, arg: string): ValueSource | undefined {
  return arg === 'key' ? ALIASES : undefined
}

/** The command tree from oclif's manifest (every command, hidden ones marked). */
export function completionSpec(commands: readonly Command.Loadable[]): CompletionSpec {
  const list: CompletionCommand[] = commands.map((c) => ({
    id: c.id,
    hidden: c.hidden,
    args: Object.keys(c.args ?? {}),
    flags: Object.entries(c.flags ?? {})
      .filter(([, f]) => !f.hidden)
      .map(([name, f]) => ({name, char: f.char, takesValue: f.type === 'option', multiple: f.type === 'option' && Boolean(f.multiple)})),
  }))
  return {commands: list, flagValues, argValues}
}
