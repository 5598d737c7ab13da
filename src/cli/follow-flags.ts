/** `spend logs --follow` and its poll interval. */
import * as Flags from '@oclif/core/flags'

import {parseTimeoutSeconds} from './base-command.js'

export const followFlags = {
  follow: Flags.boolean({
    description: 'print new requests as the proxy logs them, one line each with the running total (and the key\'s budget with one --key), until Ctrl-C, which prints the total and exits 0; --json gives one object per line. The view lags by the proxy\'s spend-log batch interval (proxy_batch_write_at, 10 s by default)',
  }),
  interval: Flags.custom<number>({parse: async (input) => parseTimeoutSeconds(input, 'interval', '--interval 2')})({
    description: 'with --follow: seconds between polls while requests arrive; idle polls back off to 8 times this [default: 2]',
    helpValue: 'SECONDS',
  }),
}
