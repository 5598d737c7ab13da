/**
 * Shell completion through the built bin/run.js (#12): the hidden `keyward complete` command against
 * the test server, and the bash and zsh scripts of `keyward autocomplete`, run by real shells with
 * their completion variables set as the shell sets them on TAB. Needs `npm run build`.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, promises as fs, statSync} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {pinnedEnv, runBin} from '../helpers/spawn.js'
import {forgetRequests, useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
let shimDir: string
beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
  fx.srv.addKey({key: 'sk-cmp-openclaw-00000000001', key_alias: 'openclaw', max_budget: 50})
  fx.srv.addKey({key: 'sk-cmp-monthly-000000000002', key_alias: 'openclaw-monthly', max_budget: 25})
  fx.srv.addKey({key: 'sk-cmp-ci-bot-0000000000003', key_alias: 'ci-bot', max_budget: 20})
  fx.srv.addKey({key: 'sk-cmp-hostile-000000000004', key_alias: 'open $(touch pwned)', max_budget: 1})
  // `keyward` on PATH, as the scripts call it.
  shimDir = path.join(fx.dir, 'bin')
  await fs.mkdir(shimDir, {recursive: true})
  await fs.writeFile(path.join(shimDir, 'keyward'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'run.js')}" "$@"\n`, {mode: 0o755})
})
const env = (extra: Record<string, string | undefined> = {}) => ({...fx.env(fx.srv), XDG_CACHE_HOME: path.join(fx.dir, 'cache'), ...extra})
const lines = (s: string) => s.split('\n').filter(Boolean)

function shell(bin: 'bash' | 'zsh', script: string, extra: Record<string, string | undefined> = {}): Promise<{stdout: string; stderr: string; code: number | null}> {
  return new Promise((resolve, reject) => {
    const e = pinnedEnv({...env(extra), PATH: `${shimDir}:${process.env.PATH}`})
    const child = spawn(bin, bin === 'zsh' ? ['-f', '-c', script] : ['--norc', '--noprofile', '-c', script], {env: e, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({stdout, stderr, code})
    })
  })
}

describe('keyward complete (what the scripts call)', () => {
  it('offers the proxy\'s key aliases (never one a shell would misread), then serves them from a 0600 cache', async () => {
    const r = await runBin(['complete', '--', 'keys', 'info', 'op'], {env: env()})
    expect({code: r.exitCode, stderr: r.stderr}).toEqual({code: 0, stderr: ''})
    expect(lines(r.stdout)).toEqual(['openclaw', 'openclaw-monthly'])
    expect(fx.srv.requests.filter((q) => q.path === '/key/list').length).toBeGreaterThan(0)
    const cacheDir = path.join(fx.dir, 'cache', 'keyward', 'completion')
    const [file] = await fs.readdir(cacheDir)
    expect(statSync(path.join(cacheDir, file!)).mode & 0o777).toBe(0o600)
    forgetRequests(fx.srv)
    const again = await runBin(['complete', '--', 'budget', 'check', '--key', ''], {env: env()})
    expect(lines(again.stdout)).toEqual(['ci-bot', 'openclaw', 'openclaw-monthly'])
    expect(fx.srv.requests).toEqual([])
  })

  it('with no proxy: no suggestions, exit 0, nothing on stderr, within the short timeout', async () => {
    const started = Date.now()
    const r = await runBin(['complete', '--', 'keys', 'delete', ''], {env: env({LITELLM_PROXY_URL: 'http://127.0.0.1:9', XDG_CACHE_HOME: path.join(fx.dir, 'nocache')})})
    expect({code: r.exitCode, stdout: r.stdout, stderr: r.stderr}).toEqual({code: 0, stdout: '', stderr: ''})
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('fixed lists: --by, --format, --period, --sort, --columns', async () => {
    const ask = async (...words: string[]) => lines((await runBin(['complete', '--', ...words], {env: env()})).stdout)
    expect(await ask('spend', 'report', '--by', '')).toEqual(['day', 'error', 'key', 'model', 'month', 'provider', 'team', 'user', 'week'])
    expect(await ask('spend', 'report', '--format', '')).toEqual(['csv', 'json', 'table'])
    expect(await ask('keys', 'create', '--period', 'm')).toEqual(['monthly'])
    expect(await ask('keys', 'list', '--sort=re')).toEqual(['--sort=remaining', '--sort=resets'])
    expect(await ask('spend', 'logs', '--columns', 'date,mo')).toEqual(['date,model', 'date,model_group'])
    expect(await ask('keys', 'list', '--json=sp')).toEqual(['--json=spent'])
  })
})

/**
 * Types into an interactive shell in a pseudo-terminal (util-linux `script`): `setup` lines first, then
 * `typed` followed by TAB; resolves with everything the terminal showed once `expected` appears.
 */
function typeTab(cmd: string, setup: string[], typed: string, expected: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const e = {...pinnedEnv({...env(), PATH: `${shimDir}:${process.env.PATH}`}), TERM: 'dumb', PS1: 'READY> ', PROMPT: 'READY> '}
    const child = spawn('script', ['-qfc', cmd, '/dev/null'], {env: e, stdio: ['pipe', 'pipe', 'pipe']})
    let seen = ''
    let step = 0
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no '${expected}' in the terminal after 60 s:\n${seen}`))
    }, 60_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      seen += d.replace(/\r/g, '')
      const prompts = seen.split('READY> ').length - 1
      if (step < setup.length && prompts > step) child.stdin.write(`${setup[step++]}\n`)
      else if (step === setup.length && prompts > step) {
        step++
        child.stdin.write(`${typed}\t`)
      } else if (step > setup.length && seen.slice(seen.lastIndexOf('READY> ')).includes(expected)) {
        clearTimeout(timer)
        child.stdin.write('\u0003exit\n')
        child.kill('SIGTERM')
        resolve(seen)
      }
    })
    child.on('error', reject)
  })
}

describe('in a real interactive shell (pseudo-terminal), TAB completes', () => {
  it('bash', async () => {
    const shown = await typeTab('bash --norc --noprofile -i', ['eval "$(keyward autocomplete bash)"'], 'keyward spend report --by=w', '--by=week ')
    expect(shown).toContain('keyward spend report --by=week ')
    const alias = await typeTab('bash --norc --noprofile -i', ['eval "$(keyward autocomplete bash)"'], 'keyward keys info openclaw-m', 'openclaw-monthly ')
    expect(alias).toContain('keyward keys info openclaw-monthly ')
  })

  const zsh = spawnSync('zsh', ['--version']).status === 0
  ;(zsh ? it : it.skip)('zsh', async () => {
    const shown = await typeTab('zsh -f -i', ['autoload -Uz compinit && compinit -u', 'eval "$(keyward autocomplete zsh)"'], 'keyward keys info openclaw-m', 'openclaw-monthly ')
    expect(shown).toContain('keyward keys info openclaw-monthly ')
  })
})

describe('keyward autocomplete', () => {
  it('bash: the script\'s function fills COMPREPLY as bash calls it on TAB', async () => {
    const script = `eval "$(keyward autocomplete bash)"
t() { COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}; read -r -a COMP_WORDS <<< "$2"; [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(""); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _keyward_complete; echo "\${COMPREPLY[*]}"; }
complete -p keyward
t "keyward keys info op" "keyward keys info op"
t "keyward spend report --by=w" "keyward spend report --by = w"
t "keyward spend report --by " "keyward spend report --by"
t "keyward sp" "keyward sp"`
    const r = await shell('bash', script)
    expect(r.stderr).toBe('')
    expect(lines(r.stdout)).toEqual(['complete -o default -F _keyward_complete keyward', 'openclaw openclaw-monthly', 'week', 'day error key model month provider team user week', 'spend'])
  })

  const zsh = spawnSync('zsh', ['--version']).status === 0
  ;(zsh ? it : it.skip)('zsh: the script registers with compdef and hands compadd the candidates', async () => {
    const script = `compdef() { print "compdef $*" }
compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -r -- "compadd: $*" }
_files() { print "_files" }
eval "$(keyward autocomplete zsh)"
t() { words=("\${(@s: :)1}"); [[ $1 == *' ' ]] && words+=(""); CURRENT=\${#words}; _keyward }
t "keyward keys info op"
t "keyward spend report --by=w"
t "keyward spend logs --output "`
    const r = await shell('zsh', script)
    expect(r.stderr).toBe('')
    expect(lines(r.stdout)).toEqual(['compdef _keyward keyward', 'compadd: openclaw openclaw-monthly', 'compadd: --by=week', '_files'])
  })

  it.each([['fish'], ['powershell']])('autocomplete %s says which shells are supported: exit 2, one line', async (sh) => {
    const r = await runBin(['autocomplete', sh], {env: env()})
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`Error: keyward autocomplete supports bash and zsh only, not '${sh}'\n`)
  })
})
