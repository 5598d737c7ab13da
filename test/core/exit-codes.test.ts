/** The README documents every exit code the program uses, with the same meaning. */
import {describe, expect, it} from '@jest/globals'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {EXIT_CODE_TABLE, ExitCode} from '../../src/core/exit-codes.js'
import {ROOT} from '../helpers/run-command.js'

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 5))

describe('exit codes', () => {
  it('the table covers every code in ExitCode', () => {
    expect(EXIT_CODE_TABLE.map((e) => e.code).sort((a, b) => a - b)).toEqual(Object.values(ExitCode).sort((a, b) => a - b))
  })

  it.each(EXIT_CODE_TABLE)('README documents exit code $code', ({code, meaning}) => {
    const row = section.split('\n').find((l) => l.startsWith(`| ${code} |`))
    expect(row).toBeDefined()
    // The first words of the meaning appear in the README row.
    expect(row!.toLowerCase()).toContain(meaning.split(/[ (,;]/)[0].toLowerCase())
  })
})
