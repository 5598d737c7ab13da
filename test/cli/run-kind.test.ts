/**
 * Which runs bin/run.js gives the help bundle (src/cli/run-kind.ts): exactly those oclif answers with help
 * before it looks for a command (its own helpAddition, with keyward's package.json), and the `help` command.
 */
import {describe, expect, it} from '@jest/globals'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'

import {HELP_FLAGS, isHelpRun, manifestServesHelp, runLabel} from '../../src/cli/run-kind.js'
import {ROOT} from '../helpers/run-command.js'

// oclif's own rule (not among its package's exports: read from the file).
type HelpAddition = (argv: string[], config: unknown) => boolean
const {helpAddition} = createRequire(import.meta.url)(path.join(ROOT, 'node_modules', '@oclif', 'core', 'lib', 'main.js')) as {helpAddition: HelpAddition}
const pjson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {oclif: {additionalHelpFlags?: string[]}}
const config = {isSingleCommandCLI: false, pjson}

// Every argv of up to four words from these (with repeats), in every order: 10 + 100 + 1,000 + 10,000 cases.
const WORDS = ['keys', 'list', 'help', '--help', '-h', '--', '--json', '-v', '--version', 'h']
function* argvs(n: number, prefix: string[] = []): Generator<string[]> {
  yield prefix
  if (n === 0) return
  for (const w of WORDS) yield* argvs(n - 1, [...prefix, w])
}

describe('run kind', () => {
  it("knows oclif's help flags as package.json sets them", () => {
    expect(HELP_FLAGS).toEqual(['--help', ...(pjson.oclif.additionalHelpFlags ?? [])])
  })

  it("is help exactly when oclif's helpAddition says so, or the command is `help`", () => {
    let n = 0
    for (const argv of argvs(4)) {
      n++
      expect([argv, isHelpRun(argv)]).toEqual([argv, helpAddition(argv, config) || argv[0] === 'help'])
    }
    expect(n).toBe(11_111)
  })

  it('labels a run by its kind: help, or the first two words of a command', () => {
    expect(runLabel([])).toBe('help')
    expect(runLabel(['keys', 'list', '--json'])).toBe('keys list')
    expect(runLabel(['keys', 'info', 'openclaw'])).toBe('keys info')
    expect(runLabel(['spend', 'report', '--', '-h'])).toBe('spend report')
    expect(runLabel(['keys', 'list', '-h'])).toBe('help')
    expect(runLabel(['--json'])).toBe('')
  })
})

describe('the manifest the help bundle needs', () => {
  const folder = (version: string | undefined, manifestTail: string | undefined): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keyward-run-kind-'))
    if (version !== undefined) writeFileSync(path.join(dir, 'package.json'), JSON.stringify({name: 'keyward', version}))
    if (manifestTail !== undefined) writeFileSync(path.join(dir, 'oclif.manifest.json'), `{\n  "commands": {"a": {"id": "a", "x": "${'y'.repeat(400)}"}},\n${manifestTail}`)
    return dir
  }
  const check = (version: string | undefined, manifestTail: string | undefined, env: NodeJS.ProcessEnv = {}) => {
    const dir = folder(version, manifestTail)
    try {
      return manifestServesHelp(dir, env)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }

  it("is keyward's own after a build", () => {
    expect(manifestServesHelp(ROOT, {})).toBe(true)
  })

  it('serves when its version is the package version (pre-release tags aside, as oclif compares them)', () => {
    expect(check('1.2.3', '  "version": "1.2.3"\n}\n')).toBe(true)
    expect(check('1.2.3-beta.1', '  "version": "1.2.3"\n}')).toBe(true)
  })

  it('does not serve when oclif would not use it: missing, another version, unreadable; OCLIF_NEXT_VERSION skips the version check', () => {
    expect(check('1.2.3', undefined)).toBe(false)
    expect(check('1.2.4', '  "version": "1.2.3"\n}\n')).toBe(false)
    expect(check('1.2.4', '  "version": "1.2.3"\n}\n', {OCLIF_NEXT_VERSION: '1'})).toBe(true)
    expect(check(undefined, '  "version": "1.2.3"\n}\n')).toBe(false)
    expect(check('1.2.3', '  "version": 1\n}\n')).toBe(false)
    expect(check('1.2.3', '  "versions": "1.2.3"\n}\n')).toBe(false)
  })
})
