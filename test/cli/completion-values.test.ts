/** Every value completion offers for a flag is one the flag's own parser accepts. */
import {describe, expect, it} from '@jest/globals'

import {flagValues} from '../../src/cli/completion-values.js'
import KeysAudit from '../../src/commands/keys/audit.js'
import KeysCreate from '../../src/commands/keys/create.js'
import KeysList from '../../src/commands/keys/list.js'
import SpendLogs from '../../src/commands/spend/logs.js'
import SpendReport from '../../src/commands/spend/report.js'

type AnyFlag = {parse?: (input: string, ctx: unknown, opts: unknown) => Promise<unknown>; type: string}
const cases: Array<[string, Record<string, AnyFlag>, string]> = [
  ['spend:report', SpendReport.flags as unknown as Record<string, AnyFlag>, 'by'],
  ['spend:report', SpendReport.flags as unknown as Record<string, AnyFlag>, 'format'],
  ['spend:logs', SpendLogs.flags as unknown as Record<string, AnyFlag>, 'format'],
  ['spend:logs', SpendLogs.flags as unknown as Record<string, AnyFlag>, 'status'],
  ['spend:logs', SpendLogs.flags as unknown as Record<string, AnyFlag>, 'columns'],
  ['keys:list', KeysList.flags as unknown as Record<string, AnyFlag>, 'sort'],
  ['keys:list', KeysList.flags as unknown as Record<string, AnyFlag>, 'status'],
  ['keys:audit', KeysAudit.flags as unknown as Record<string, AnyFlag>, 'ignore'],
  ['keys:create', KeysCreate.flags as unknown as Record<string, AnyFlag>, 'period'],
]

describe('completion values', () => {
  it.each(cases)('%s --%s: every value offered parses', async (cmd, flags, name) => {
    const src = flagValues(cmd, name)
    expect(src && 'values' in src).toBe(true)
    const values = (src as {values: readonly string[]}).values
    expect(values.length).toBeGreaterThan(1)
    const flag = flags[name]!
    for (const v of values) await expect(flag.parse!(v, {}, flag)).resolves.toBeDefined()
  })
})
