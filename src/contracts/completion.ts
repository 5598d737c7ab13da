/** The --json result of `keyward autocomplete`. */
export interface AutocompleteResult {
  shell: 'bash' | 'zsh'
  script: string
}
