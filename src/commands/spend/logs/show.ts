import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../../cli/base-command.js'
import type {ShowRequestResult} from '../../../contracts/spend-debug.js'
import {InputError, usageError} from '../../../core/errors.js'
import {renderRequest} from '../../../output/spend-request.js'
import {findRequest} from '../../../workflows/spend-request.js'

const atFlag = Flags.custom<number>({
  parse: async (input) => {
    const t = input.trim()
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t.replace(' ', 'T')}Z` : t)
    if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t) || Number.isNaN(ms)) throw new InputError(`invalid time '${input}': use an ISO 8601 time such as 2026-10-01T12:00:00Z (UTC when no zone is given)`, '--at 2026-10-01T12:00:00Z')
    return ms
  },
})

export default class SpendLogsShow extends BaseCommand<typeof SpendLogsShow> {
  static args = {
    request_id: Args.string({description: 'the request id (the request_id column of spend logs; chatcmpl-... for chat completions)', required: true}),
  }
  static description = `Shows one request from the proxy's spend logs on one screen: key alias and name, user, team, end user, the model asked for and the deployment that served it (model, provider, API base), status and error (type, message, HTTP status) of a failure, tokens (cached too, when recorded), spend, cache hit, tags, and timings (start, end, time to first token for streamed requests, latency).

When the proxy stores prompts (general_settings.store_prompts_in_spend_logs), the messages and the response follow, shortened in a terminal (--full shows all) and raw in --json; otherwise it says how to turn that on. Everything from the proxy is shown with control characters escaped.

The row is found with one request: /spend/logs?request_id=ID (an indexed lookup over all time). A proxy without that endpoint is asked through /spend/logs/v2 (or /spend/logs/ui) filtered by request_id within the last 30 days, or 15 minutes around --at, plus /spend/logs/ui/ID for the messages. Spend logs are written in batches (10 s by default), so a request just made can take that long to appear. Exit 4 when no such request is logged.`
  static examples = [
    '<%= config.bin %> <%= command.id %> chatcmpl-6dcb2540-d3d7-4e49-bb27-291f863f112e',
    '<%= config.bin %> <%= command.id %> chatcmpl-6dcb2540-d3d7-4e49-bb27-291f863f112e --full',
    '<%= config.bin %> <%= command.id %> chatcmpl-6dcb2540-d3d7-4e49-bb27-291f863f112e --json | jq .request.payload.messages',
  ]
  static flags = {
    at: atFlag({description: 'when the request started (narrows the search on proxies without the id lookup), e.g. 2026-10-01T12:00:00Z', helpValue: 'TIME'}),
    full: Flags.boolean({description: 'show the whole prompt and response (a terminal gets them shortened)'}),
  }
  static summary = 'show one request in full: who, which model, error, tokens, timings, messages'

  async run(): Promise<ShowRequestResult> {
    const id = this.args.request_id.trim()
    if (id === '' || id.length > 512) throw usageError('give the request id (at most 512 characters)', `${this.config.bin} spend logs show chatcmpl-6dcb2540-d3d7-4e49-bb27-291f863f112e`)
    const client = this.adminClient()
    const found = await findRequest(client, id, {nowMs: this.now().getTime(), atMs: this.flags.at, signal: this.interrupted})
    this.out(renderRequest(found.details, {full: this.flags.full || !process.stdout.isTTY, bin: this.config.bin}))
    return {via: found.via, spendLogRequests: found.spendLogRequests, request: found.details}
  }
}
