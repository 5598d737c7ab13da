import * as Args from '@oclif/core/args'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import {loadHelpClass} from '@oclif/core/help'

/**
 * `keyward help [COMMAND]`: what @oclif/plugin-help's command does (the same arguments, flag, text and
 * output), as keyward's own command. As a plugin it made every run of keyward resolve, read and set up a
 * second package before doing anything (scripts/build.mjs, #14); the help itself is keyward's help class.
 */
export default class Help extends Command {
  static args = {
    command: Args.string({description: 'Command to show help for.', required: false}),
  }
  static description = 'Display help for <%= config.bin %>.'
  static flags = {
    'nested-commands': Flags.boolean({char: 'n', description: 'Include all nested commands in the output.'}),
  }
  static strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Help)
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config, {all: flags['nested-commands']}).showHelp(argv as string[])
  }
}
