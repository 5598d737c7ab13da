/**
 * The help bundle (dist/help.cjs, scripts/build.mjs): a run that only shows help reads it and not the whole
 * bundle, and if oclif ever asked it for a command other than `help`, the whole bundle would run the command
 * as a normal run does. Needs `npm run build`.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {cpSync, existsSync, promises as fs, rmSync, symlinkSync} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'help.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
  fx.srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
})

/** A preload that prints, at exit, which of dist's bundles the run read. */
async function readsRecorder(): Promise<string> {
  const file = path.join(fx.dir, 'reads.cjs')
  await fs.writeFile(
    file,
    `const fs = require('node:fs'); const read = fs.readFileSync; const seen = new Set()
fs.readFileSync = function (p, ...rest) { if (typeof p === 'string' && /[\\\\/]dist[\\\\/](help|keyward)\\.cjs$/.test(p)) seen.add(require('node:path').basename(p)); return read.call(this, p, ...rest) }
process.on('exit', () => process.stderr.write('READ ' + [...seen].sort().join(',') + '\\n'))`,
  )
  return file
}

describe('help bundle', () => {
  it.each([[['keys', '--help']], [['help', 'keys', 'list']], [[]], [['spend', 'report', '-h']]])('%j reads dist/help.cjs only', async (args) => {
    const recorder = await readsRecorder()
    const r = await runBin(args, {env: fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir}), nodeArgs: ['--require', recorder]})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('READ help.cjs\n')
  })

  it('a command run reads dist/keyward.cjs only; one after `--` with -h is a command run', async () => {
    const recorder = await readsRecorder()
    const r = await runBin(['keys', 'list', '--json', '--', '-h'], {env: fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir}), nodeArgs: ['--require', recorder]})
    expect(r.stderr).toMatch(/READ keyward\.cjs\n$/)
  })

  it('without a manifest (oclif then loads every command to describe it), help is the whole bundle\'s, complete', async () => {
    const copy = path.join(fx.dir, 'no-manifest')
    for (const p of ['bin', 'dist', 'package.json']) cpSync(path.join(ROOT, p), path.join(copy, p), {recursive: true})
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'))
    rmSync(path.join(copy, 'oclif.manifest.json'), {force: true})
    const recorder = await readsRecorder()
    const env = fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir})
    const normal = await runBin(['keys', 'list', '--help'], {env})
    const bare = await runBin(['keys', 'list', '--help'], {env, bin: path.join(copy, 'bin', 'run.js'), nodeArgs: ['--require', recorder]})
    expect(normal.exitCode).toBe(0)
    expect(bare.exitCode).toBe(0)
    expect(bare.stdout).toBe(normal.stdout)
    expect(bare.stderr).toBe('READ keyward.cjs\n')
  })

  it('a command asked of the help bundle is run by the whole bundle, as a normal run runs it', async () => {
    const script = path.join(fx.dir, 'ask-help-bundle.cjs')
    await fs.writeFile(
      script,
      `const path = require('node:path'); const root = ${JSON.stringify(ROOT)}
const {loadBundle} = require(path.join(root, 'dist', 'code-cache.cjs'))
const full = path.join(root, 'dist', 'keyward.cjs')
const load = (file, helpBundle) => loadBundle(file, {cacheDir: undefined, importModule: (s) => import(s), label: 'test', helpBundle})
globalThis.__keywardRoot = root
globalThis.__keywardFullBundle = () => load(full)
load(path.join(root, 'dist', 'help.cjs'), {alsoAs: full}).execute({dir: root})`,
    )
    const env = fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir})
    const normal = await runBin(['keys', 'list', '--json'], {env})
    const asked = await runBin(['keys', 'list', '--json'], {env, bin: script})
    expect(normal.exitCode).toBe(0)
    expect(asked.exitCode).toBe(0)
    expect(asked.stderr).toBe(normal.stderr)
    expect(JSON.parse(asked.stdout)).toEqual(JSON.parse(normal.stdout))
    const bad = await runBin(['keys', 'list', '--sort', 'nope'], {env, bin: script})
    const badNormal = await runBin(['keys', 'list', '--sort', 'nope'], {env})
    expect([bad.exitCode, bad.stdout, bad.stderr]).toEqual([badNormal.exitCode, badNormal.stdout, badNormal.stderr])
  })
})
