/**
 * The V8 code cache of the built CLI (src/cli/code-cache.ts, loaded by bin/run.js): written on a cold start,
 * used (not rewritten) after, one file per kind of run (help, each command), replaced when corrupt, and never
 * a reason to fail: an unwritable or impossible cache folder leaves every output as it was. Needs `npm run build`.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests')
  fx.srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
})

let n = 0
async function freshCacheHome(): Promise<string> {
  const dir = path.join(fx.dir, `cache-${n++}`)
  await fs.mkdir(dir)
  return dir
}
const env = (cacheHome: string) => fx.env(fx.srv, {XDG_CACHE_HOME: cacheHome})
const cacheFiles = async (cacheHome: string) => (await fs.readdir(path.join(cacheHome, 'keyward', 'v8')).catch(() => [] as string[])).sort()

describe('code cache', () => {
  it('is written on a cold start (0600, named by bundle hash and Node version), then used as it is', async () => {
    const home = await freshCacheHome()
    const first = await runBin(['keys', 'list', '--json'], {env: env(home)})
    expect(first.exitCode).toBe(0)
    expect(first.stderr).toBe('')
    const files = await cacheFiles(home)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(new RegExp(`^keyward-[0-9a-f]{32}-${process.version.replace(/\./g, '\\.')}-${process.arch}-keys-list\\.v8$`))
    const file = path.join(home, 'keyward', 'v8', files[0])
    const st = await fs.stat(file)
    expect(st.mode & 0o777).toBe(0o600)
    expect(st.size).toBeGreaterThan(100_000)

    const second = await runBin(['keys', 'list', '--json'], {env: env(home)})
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toBe(first.stdout)
    // Accepted by V8 and already covering this command: not written again.
    const again = await fs.stat(file)
    expect([again.ino, again.mtimeMs, again.size]).toEqual([st.ino, st.mtimeMs, st.size])
  })

  it('a request changes a V8 flag (src/api/wasm-flags.ts), which is put back before the cache is made: the next run accepts it', async () => {
    const home = await freshCacheHome()
    const first = await runBin(['keys', 'list', '--json'], {env: env(home)})
    expect(first.exitCode).toBe(0)
    const [file] = await cacheFiles(home)
    const st = await fs.stat(path.join(home, 'keyward', 'v8', file))
    // --help makes no request: its cache is made under flags never changed. Both are accepted (not rewritten).
    await runBin(['keys', '--help'], {env: env(home)})
    const helpFile = (await cacheFiles(home)).find((f) => f.endsWith('-help.v8'))!
    const helpSt = await fs.stat(path.join(home, 'keyward', 'v8', helpFile))
    for (const args of [['keys', 'list', '--json'], ['keys', '--help']]) expect((await runBin(args, {env: env(home)})).exitCode).toBe(0)
    const after = await fs.stat(path.join(home, 'keyward', 'v8', file))
    const helpAfter = await fs.stat(path.join(home, 'keyward', 'v8', helpFile))
    expect([after.ino, after.mtimeMs]).toEqual([st.ino, st.mtimeMs])
    expect([helpAfter.ino, helpAfter.mtimeMs]).toEqual([helpSt.ino, helpSt.mtimeMs])
  })

  it('a run started with other wasm flags, which keyward cannot put back as they were, writes no cache V8 would reject', async () => {
    const home = await freshCacheHome()
    const plain = await runBin(['keys', 'list', '--json'], {env: env(await freshCacheHome())})
    const odd = await runBin(['keys', 'list', '--json'], {env: env(home), nodeArgs: ['--no-wasm-dynamic-tiering']})
    expect(odd.exitCode).toBe(0)
    expect(odd.stdout).toBe(plain.stdout)
    expect(odd.stderr).toBe('')
    expect(await cacheFiles(home)).toEqual([])
  })

  it('keeps one file per kind of run: help (every form), and each command', async () => {
    const home = await freshCacheHome()
    for (const args of [['keys', 'list', '--json'], ['keys', '--help'], ['help', 'keys'], ['--help'], ['keys', 'list', '--csv'], ['keys', 'info', 'openclaw']]) {
      expect((await runBin(args, {env: env(home)})).exitCode).toBe(0)
    }
    const kinds = (await cacheFiles(home)).map((f) => f.replace(/^keyward-[0-9a-f]{32}-v[\d.]+-\w+-/, ''))
    expect(kinds).toEqual(['help.v8', 'keys-info.v8', 'keys-list.v8'])
   }, 90_000)

  it('a corrupt cache file is ignored (same output) and replaced by a good one', async () => {
    const home = await freshCacheHome()
    const clean = await runBin(['keys', 'list'], {env: env(home)})
    const [name] = await cacheFiles(home)
    const file = path.join(home, 'keyward', 'v8', name)
    for (const junk of [Buffer.from('not a V8 cache at all'), Buffer.alloc(0)]) {
      await fs.writeFile(file, junk)
      const r = await runBin(['keys', 'list'], {env: env(home)})
      expect(r).toEqual(clean)
      expect((await fs.stat(file)).size).toBeGreaterThan(100_000)
    }
  })

  it("another build's cache for this Node is removed when this one is written; other Nodes' stay unless a month old", async () => {
    const home = await freshCacheHome()
    const dir = path.join(home, 'keyward', 'v8')
    await fs.mkdir(dir, {recursive: true})
    const oldBuild = `keyward-${'0'.repeat(32)}-${process.version}-${process.arch}-keys-list.v8`
    const otherNode = `keyward-${'1'.repeat(32)}-v98.0.0-${process.arch}-keys-list.v8`
    const forgotten = `keyward-${'2'.repeat(32)}-v97.0.0-${process.arch}-help.v8`
    for (const f of [oldBuild, otherNode, forgotten, 'unrelated.txt']) await fs.writeFile(path.join(dir, f), 'old')
    const fortyDaysAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000)
    await fs.utimes(path.join(dir, forgotten), fortyDaysAgo, fortyDaysAgo)
    expect((await runBin(['keys', 'list', '--json'], {env: env(home)})).exitCode).toBe(0)
    const files = await cacheFiles(home)
    expect(files).toHaveLength(3)
    expect(files).toEqual(expect.arrayContaining([otherNode, 'unrelated.txt']))
    expect(files.find((f) => f.includes(process.version))).toMatch(/-keys-list\.v8$/)
    expect(files).not.toContain(oldBuild)
  })

  it('an impossible cache folder changes nothing: same output, exit code and stderr, no temporary files', async () => {
    const good = await freshCacheHome()
    // A file where the folder should be: mkdir fails even for root.
    const blocked = await freshCacheHome()
    await fs.writeFile(path.join(blocked, 'keyward'), 'not a folder')
    for (const args of [['keys', 'list', '--json'], ['keys', 'list'], ['keys', '--help'], ['keys', 'lst'], ['status', '--frobnicate']]) {
      const want = await runBin(args, {env: env(good)})
      const got = await runBin(args, {env: env(blocked)})
      expect(got).toEqual(want)
    }
    expect(await fs.readdir(blocked)).toEqual(['keyward'])
    // XDG_CACHE_HOME that is not an absolute path (ignored, as the XDG spec says), and a home that is a file.
    const r = await runBin(['keys', 'list', '--json'], {env: {...env('relative/cache'), HOME: path.join(blocked, 'keyward')}})
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({keys: [{alias: 'openclaw'}]})
   }, 120_000)

  it('KEYWARD_NO_CODE_CACHE=1 writes nothing and prints the same', async () => {
    const home = await freshCacheHome()
    const off = await runBin(['keys', 'list', '--json'], {env: {...env(home), KEYWARD_NO_CODE_CACHE: '1'}})
    expect(off.exitCode).toBe(0)
    expect(await cacheFiles(home)).toEqual([])
    const on = await runBin(['keys', 'list', '--json'], {env: env(home)})
    expect(on).toEqual(off)
  })
})
