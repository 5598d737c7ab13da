/**
 * The import rule (.dependency-cruiser.cjs, ARCHITECTURE.md) is checked on src/ by `npm run lint:deps`
 * before the tests. Here: the check really fails when a rule is broken. Small trees are cruised with
 * the same rule file, one that keeps the rule and one that breaks each rule once.
 */
import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, describe, expect, test} from '@jest/globals'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs')

function cruise(cwd: string): Promise<{code: number; out: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'err'], {cwd}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({code, out: `${stdout}${stderr}`})
    })
  })
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'keyward-deps-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), {recursive: true})
    writeFileSync(path.join(dir, file), text)
  }
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({compilerOptions: {module: 'Node16', moduleResolution: 'Node16', strict: true}}))
  return dir
}

describe('the import rule', () => {
  test('a tree that keeps it passes with the same rule file (the fixture set-up is sound)', async () => {
    const dir = tree('good', {
      'src/core/errors.ts': 'export const E = 1\n',
      'src/domain/rule.ts': "import {E} from '../core/errors.js'\nexport const R = E\n",
      'src/commands/keys/create.ts': "import {R} from '../../domain/rule.js'\nexport default R\n",
    })
    const r = await cruise(dir)
    expect(r.out).toContain('no dependency violations found')
    expect(r.code).toBe(0)
  })

  test('an upward import, a command importing a command and a cycle each fail, by rule name', async () => {
    const dir = tree('bad', {
      'src/api/client.ts': 'export const client = 1\n',
      // core reaching up into api
      'src/core/errors.ts': "import {client} from '../api/client.js'\nexport const E = client\n",
      // domain reaching up into output
      'src/output/format.ts': 'export const fmt = 1\n',
      'src/domain/rule.ts': "import {fmt} from '../output/format.js'\nexport const R = fmt\n",
      // one command taking flags from another
      'src/commands/keys/create.ts': 'export const flags = 1\nexport default 1\n',
      'src/commands/keys/update.ts': "import {flags} from './create.js'\nexport default flags\n",
      // a loop inside one layer
      'src/domain/a.ts': "import {b} from './b.js'\nexport const a = () => b\n",
      'src/domain/b.ts': "import {a} from './a.js'\nexport const b = () => a\n",
    })
    const r = await cruise(dir)
    expect(r.code).not.toBe(0)
    expect(r.out).toMatch(/core-imports-only-down: src\/core\/errors\.ts → src\/api\/client\.ts/)
    expect(r.out).toMatch(/domain-imports-only-down: src\/domain\/rule\.ts → src\/output\/format\.ts/)
    expect(r.out).toMatch(/commands-never-import-commands: src\/commands\/keys\/update\.ts → src\/commands\/keys\/create\.ts/)
    expect(r.out).toMatch(/no-circular: src\/domain\/a\.ts → /)
  })
})

describe('commands stay thin', () => {
  test('no command file is over 150 lines (multi-step logic goes to src/workflows/)', async () => {
    const {readdirSync, readFileSync} = await import('node:fs')
    const dir = path.join(ROOT, 'src', 'commands')
    const files = readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(15)
    const long = files.map((f) => ({f, lines: readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n').length})).filter((x) => x.lines > 150)
    expect(long).toEqual([])
  })
})
