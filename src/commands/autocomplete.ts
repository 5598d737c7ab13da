import * as Args from '@oclif/core/args'

import {BaseCommand} from '../cli/base-command.js'
import {usageError} from '../core/errors.js'
import {COMPLETION_SHELLS, completionScript, type CompletionShell} from '../output/completion.js'
import type {AutocompleteResult} from '../contracts/completion.js'

export default class Autocomplete extends BaseCommand<typeof Autocomplete> {
  static args = {
    shell: Args.string({description: 'bash or zsh [default: from $SHELL]'}),
  }
  static description = `Prints the completion script for bash or zsh on stdout. It completes commands, flags, the fixed values of --by, --format, --period, --sort, --status, --columns and --ignore, the fields of --json=, and key aliases (for keys info/update/delete/... and --key), which it asks the proxy for with the URL and key keyward would use (one request of at most 1.5 s, cached for a minute in keyward's cache folder; no proxy, no aliases, never an error).

bash: add  eval "$(keyward autocomplete bash)"  to ~/.bashrc, or save the script once: keyward autocomplete bash > ~/.local/share/bash-completion/completions/keyward
zsh: add  eval "$(keyward autocomplete zsh)"  to ~/.zshrc after compinit, or save it as _keyward in a folder of $fpath.

Other shells (fish, PowerShell) are not supported: exit 2.`
  static examples = [
    '<%= config.bin %> <%= command.id %> bash > ~/.local/share/bash-completion/completions/keyward',
    '<%= config.bin %> <%= command.id %> zsh > "${fpath[1]}/_keyward"',
  ]
  static summary = 'print the shell completion script (bash or zsh)'

  async run(): Promise<AutocompleteResult> {
    const given = this.args.shell ?? process.env.SHELL?.split('/').pop() ?? ''
    const shell = given.trim().toLowerCase()
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
      const what = this.args.shell === undefined ? `your shell ('${given || 'unknown'}', from $SHELL)` : `'${given}'`
      throw usageError(`${this.config.bin} autocomplete supports bash and zsh only, not ${what}`)
    }
    const script = completionScript(shell as CompletionShell, this.config.bin)
    this.out(script.trimEnd())
    if (process.stdout.isTTY) this.note(`To load it in every new shell: eval "$(${this.config.bin} autocomplete ${shell})" in your ~/.${shell}rc (see --help)`)
    return {shell: shell as CompletionShell, script}
  }
}
