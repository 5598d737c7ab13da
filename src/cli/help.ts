/**
 * keyward's help: oclif's, plus the JSON fields of each command (for `--json a,b`), and at the root the
 * environment variables, the exit codes (from the one table, core/exit-codes.ts) and three examples.
 */
import {format} from 'node:util'

import {CommandHelp, Help} from '@oclif/core/help'
import type {Command} from '@oclif/core/command'
import type {Config} from '@oclif/core/config'
import type {HelpOptions} from '@oclif/core/interfaces'

import {EXIT_CODE_TABLE} from '../core/exit-codes.js'
import {ENVIRONMENT} from './environment.js'
import {fastTemplate} from './help-template.js'
import {JSON_SHAPES} from './json-fields.js'

export const ROOT_EXAMPLES: ReadonlyArray<{command: string; what: string}> = [
  {command: 'keyward login', what: 'store the proxy URL and master key once (or export LITELLM_PROXY_URL and LITELLM_MASTER_KEY)'},
  {command: 'keyward keys create --alias openclaw --budget 50', what: 'a key with $50 a month that really resets monthly'},
  {command: 'keyward budget check --forecast --notify https://hooks.slack.com/services/T000/B000/XXXX', what: 'from cron: alert before a budget runs out (exit 10/11)'},
]

class KeywardCommandHelp extends CommandHelp {
  constructor(command: Command.Loadable, config: Config, opts: HelpOptions) {
    super(command, config, opts)
    this.render = fastTemplate({config, command}, this.render)
  }
}

export default class KeywardHelp extends Help {
  protected override CommandHelpClass = KeywardCommandHelp

  constructor(config: Config, opts: Partial<HelpOptions> = {}) {
    super(config, opts)
    this.render = fastTemplate({config}, this.render)
  }

  /**
   * What oclif's log writes (`console.log(util.format(...args))`: the text and a newline), written to the stream
   * itself: a help run's first console.log set up the console's machinery, about 2% of the run.
   */
  protected override log(...args: string[]): void {
    const text = `${format(...args)}\n`
    if (this.opts.sendToStderr) process.stderr.write(text)
    else process.stdout.write(text)
  }

  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    const list = (rows: Array<[string, string]>): string => this.renderList(rows, {indentation: 2, spacer: '\n', stripAnsi: this.opts.stripAnsi})
    this.log(this.section('ENVIRONMENT', list(ENVIRONMENT.map((e) => [e.name, e.meaning]))))
    this.log('')
    this.log(this.section('EXIT CODES', list(EXIT_CODE_TABLE.map((e) => [String(e.code), e.meaning]))))
    this.log('')
    this.log(this.section('EXAMPLES', ROOT_EXAMPLES.map((e) => `${e.what}\n  $ ${e.command}`).join('\n\n')))
    this.log('')
  }

  public override formatCommand(command: Command.Loadable): string {
    const shape = Object.hasOwn(JSON_SHAPES, command.id) ? JSON_SHAPES[command.id] : undefined
    const text = super.formatCommand(command)
    if (!shape) return text
    const what = shape.list ? `the '${shape.list}' list, each item with only those fields` : 'the result with only those fields'
    const body = `${this.wrap(shape.fields.join(', '))}\n\n${this.wrap(`--json a,b prints ${what}, in that order. --jq EXPR filters the JSON with jq (jq 1.8, built in).`)}`
    return `${text}\n\n${this.section('JSON FIELDS', body)}`
  }
}
