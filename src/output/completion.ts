/**
 * The shell scripts of `keyward autocomplete`: each hands the words typed so far to the hidden
 * `keyward complete` command and offers what it prints (commands, flags, fixed values, key aliases).
 */
export const COMPLETION_SHELLS = ['bash', 'zsh'] as const
export type CompletionShell = (typeof COMPLETION_SHELLS)[number]

function bashScript(bin: string): string {
  const fn = `_${bin.replaceAll(/[^A-Za-z0-9_]/g, '_')}_complete`
  return `# ${bin} completion for bash. Load it with:  eval "$(${bin} autocomplete bash)"
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local line=\${COMP_LINE:0:COMP_POINT}
  local -a words
  # Split the line on blanks only (bash also splits at = and :), so --by=w reaches ${bin} whole.
  read -r -a words <<< "$line"
  [[ -z $line || $line == *[[:space:]] ]] && words+=("")
  local last=\${words[\${#words[@]}-1]}
  local prefix=
  [[ $last == *"$cur" ]] && prefix=\${last%"$cur"}
  local IFS=$'\\n'
  COMPREPLY=($(command ${bin} complete -- "\${words[@]:1}" 2>/dev/null))
  # bash replaces only its own last word: drop what comes before it (the "--by=" of --by=week).
  [[ -n $prefix ]] && COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
  return 0
}
complete -o default -F ${fn} ${bin}
`
}

function zshScript(bin: string): string {
  const fn = `_${bin.replaceAll(/[^A-Za-z0-9_]/g, '_')}`
  return `#compdef ${bin}
# ${bin} completion for zsh. Load it with:  eval "$(${bin} autocomplete zsh)"  (after compinit),
# or save it as _${bin} in a folder of $fpath.
${fn}() {
  local -a candidates
  candidates=("\${(@f)$(command ${bin} complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == "${fn}" ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${bin}
fi
`
}

export function completionScript(shell: CompletionShell, bin: string): string {
  return shell === 'bash' ? bashScript(bin) : zshScript(bin)
}
