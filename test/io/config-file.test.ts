/** The config file: 0600, written atomically, read strictly. */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {KeywardError} from '../../src/core/errors.js'
import {writeFileAtomic} from '../../src/io/atomic.js'
import {configPath, readConfigFile, writeConfigFile, type ConfigFile} from '../../src/io/config-file.js'

let root: string
let n = 0
const freshDir = () => path.join(root, `case-${++n}`)
const mode = async (p: string) => (await fs.stat(p)).mode & 0o777

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-config-'))
})
afterAll(async () => {
  await fs.rm(root, {recursive: true, force: true})
})

const sample: ConfigFile = {
  version: 1,
  defaultProfile: 'default',
  profiles: {default: {baseUrl: 'http://localhost:4000', masterKey: 'sk-sample-master-1234'}},
}

describe('writeConfigFile', () => {
  it('creates the folder (0700) and the file (0600) with the config as JSON', async () => {
    const dir = path.join(freshDir(), 'nested', 'keyward')
    const file = configPath(dir)
    expect(path.basename(file)).toBe('config.json')
    await writeConfigFile(file, sample)
    expect(await mode(file)).toBe(0o600)
    expect(await mode(dir)).toBe(0o700)
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(sample)
    expect(await fs.readdir(dir)).toEqual(['config.json'])
  })

  it('is 0600 even with a permissive umask', async () => {
    const old = process.umask(0)
    try {
      const file = configPath(freshDir())
      await writeConfigFile(file, sample)
      expect(await mode(file)).toBe(0o600)
    } finally {
      process.umask(old)
    }
  })

  it('replaces an existing file by rename: new inode, mode 0600 again, no temporary files left', async () => {
    const dir = freshDir()
    await fs.mkdir(dir, {recursive: true})
    const file = configPath(dir)
    await fs.writeFile(file, '{"version":1,"profiles":{"old":{}}}', {mode: 0o644})
    await fs.chmod(file, 0o644)
    const before = await fs.stat(file)
    await writeConfigFile(file, sample)
    const after = await fs.stat(file)
    expect(after.ino).not.toBe(before.ino)
    expect(after.mode & 0o777).toBe(0o600)
    expect(await readConfigFile(file)).toEqual(sample)
    expect(await fs.readdir(dir)).toEqual(['config.json'])
  })

  it('leaves the old file whole and no temporary file when the write cannot complete', async () => {
    const dir = freshDir()
    await fs.mkdir(dir, {recursive: true})
    // The target is a directory: the final rename fails.
    const target = path.join(dir, 'config.json')
    await fs.mkdir(target)
    await fs.writeFile(path.join(target, 'keep'), 'x')
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow()
    expect((await fs.readdir(dir)).sort()).toEqual(['config.json'])
    expect(await fs.readFile(path.join(target, 'keep'), 'utf8')).toBe('x')
  })

  it('many concurrent writers never leave a half-written file', async () => {
    const dir = freshDir()
    const file = configPath(dir)
    const configs = Array.from({length: 8}, (_, i): ConfigFile => ({version: 1, profiles: {[`p${i}`]: {baseUrl: `http://h${i}:4000`, masterKey: `sk-${'x'.repeat(2000)}${i}`}}}))
    await Promise.all(configs.map((c) => writeConfigFile(file, c)))
    const got = await readConfigFile(file)
    expect(configs).toContainEqual(got)
    expect(await fs.readdir(dir)).toEqual(['config.json'])
    expect(await mode(file)).toBe(0o600)
  })
})

describe('readConfigFile', () => {
  it('a missing file is an empty config', async () => {
    expect(await readConfigFile(path.join(freshDir(), 'config.json'))).toEqual({version: 1, profiles: {}})
  })

  it('fills defaults for a minimal file and keeps unknown profile fields out', async () => {
    const dir = freshDir()
    await fs.mkdir(dir)
    const file = configPath(dir)
    await fs.writeFile(file, JSON.stringify({profiles: {a: {baseUrl: 'http://a:1', extra: 1}}}))
    expect(await readConfigFile(file)).toEqual({version: 1, profiles: {a: {baseUrl: 'http://a:1'}}})
  })

  it('broken JSON is a clear usage error (exit 2) pointing at the file, without its content', async () => {
    const dir = freshDir()
    await fs.mkdir(dir)
    const file = configPath(dir)
    await fs.writeFile(file, '{"profiles": {"default": {"masterKey": "sk-leaky-secret-0000"')
    const err = await readConfigFile(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(KeywardError)
    expect((err as KeywardError).exitCode).toBe(2)
    expect((err as KeywardError).message).toBe(`the config file ${file} is not valid JSON`)
    expect((err as KeywardError).suggestions.join(' ')).toContain('keyward login')
  })

  it('an unexpected shape names the bad field', async () => {
    const dir = freshDir()
    await fs.mkdir(dir)
    const file = configPath(dir)
    await fs.writeFile(file, JSON.stringify({version: 1, profiles: {default: {masterKey: 42}}}))
    await expect(readConfigFile(file)).rejects.toThrow(`the config file ${file} has an unexpected shape (profiles.default.masterKey)`)
  })
})
