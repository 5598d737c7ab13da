/** The date-range flags that `spend report` and `spend logs` share; values are checked at parse time. */
import * as Flags from '@oclif/core/flags'

import {parseDay, parseMonth} from '../domain/inputs.js'
import {parseTimeZone} from '../domain/spend-range.js'

const monthFlag = Flags.custom<string>({
  parse: async (input) => (input === 'current' ? input : (parseMonth(input), input.trim())),
})
const dayFlag = (flag: string) => Flags.custom<string>({parse: async (input) => parseDay(input, flag).toISOString().slice(0, 10)})
const tzFlag = Flags.custom<string>({parse: async (input) => parseTimeZone(input)})

export const rangeFlags = {
  'last-month': Flags.boolean({description: 'the previous calendar month'}),
  month: monthFlag({description: 'a calendar month, YYYY-MM; alone: the current month to date (the default)', helpValue: '[YYYY-MM]'}),
  since: dayFlag('--since')({description: 'first day, YYYY-MM-DD or YYYYMMDD (inclusive)', helpValue: 'YYYY-MM-DD'}),
  tz: tzFlag({description: 'time zone for the days of the range, e.g. Europe/Berlin [default: UTC]', helpValue: 'ZONE'}),
  until: dayFlag('--until')({description: 'last day, YYYY-MM-DD or YYYYMMDD (inclusive) [default: today]; alone, the range starts on the first of its month', helpValue: 'YYYY-MM-DD'}),
}
