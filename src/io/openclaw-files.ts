/**
 * Where OpenClaw keeps its config and key, and the file operations `openclaw connect` needs:
 * reading, a timestamped backup, and atomic writes (src/io/atomic.ts).
 *
 * - Config: `OPENCLAW_CONFIG_PATH` if set (a leading `~/` is expanded), else `~/.openclaw/openclaw.json`.
 * - Key: the `.env` file in the config file's directory (`~/.openclaw/.env` by default). When
 *   OPENCLAW_CONFIG_PATH points elsewhere, the `.env` next to that config is used, so one setting moves both.
 * - HOME is `env.HOME` when set, else the OS home directory.
 */
import {constants as fsConstants, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {writeFileAtomic} from './atomic.js'
import {readEnvValue, setEnvValue} from '../domain/openclaw-env.js'

export interface OpenClawPaths {
  configPath: string
  envPath: string
  dir: string
  /** Where the config path came from. */
  source: 'OPENCLAW_CONFIG_PATH' | 'default'
}

export function openclawPaths(env: Record<string, string | undefined>): OpenClawPaths {
  const home = env.HOME && env.HOME.trim() !== '' ? env.HOME : os.homedir()
  const override = env.OPENCLAW_CONFIG_PATH?.trim()
  let configPath: string
  if (override) configPath = path.resolve(override === '~' ? home : override.startsWith('~/') ? path.join(home, override.slice(2)) : override)
  else configPath = path.join(home, '.openclaw', 'openclaw.json')
  const dir = path.dirname(configPath)
  return {configPath, envPath: path.join(dir, '.env'), dir, source: override ? 'OPENCLAW_CONFIG_PATH' : 'default'}
}

/** The file's text, or undefined when it does not exist. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** The file's permission bits, or undefined when it does not exist. */
export async function fileMode(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o777
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** `20261103T091244Z`: sortable, no colons (safe in file names everywhere). */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
}

/**
 * Copy `file` to `<file>.bak-<timestamp>` with the same permissions, never overwriting an earlier
 * backup (a `-2`, `-3`, ... suffix is added). Returns the backup's path.
 */
export async function backupFile(file: string, now: Date): Promise<string> {
  const base = `${file}.bak-${backupStamp(now)}`
  const mode = (await fileMode(file)) ?? 0o600
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    try {
      await fs.copyFile(file, candidate, fsConstants.COPYFILE_EXCL)
      await fs.chmod(candidate, mode)
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`could not find a free backup name next to ${file}`)
}

/**
 * Write the config atomically, keeping the file's permissions (0600 for a new file; its folder 0700).
 * A symlinked config (dotfile managers) is written through the link, which stays in place.
 */
export async function writeConfig(file: string, text: string): Promise<void> {
  const target = await fs.realpath(file).catch(() => file)
  const mode = (await fileMode(target)) ?? 0o600
  await writeFileAtomic(target, text, {mode, dirMode: 0o700})
}

/** A variable from OpenClaw's `.env`, or undefined (also when the file does not exist). */
export async function readEnvFileValue(envPath: string, name: string): Promise<string | undefined> {
  const text = await readTextIfExists(envPath)
  return text === undefined ? undefined : readEnvValue(text, name)
}

/**
 * Set `name=value` in the `.env` file, keeping its other lines; written atomically with mode 0600.
 * Returns the value it replaced, if any.
 */
export async function writeEnvFileValue(envPath: string, name: string, value: string): Promise<{previous: string | undefined; created: boolean}> {
  const text = await readTextIfExists(envPath)
  const previous = text === undefined ? undefined : readEnvValue(text, name)
  await writeFileAtomic(envPath, setEnvValue(text ?? '', name, value), {mode: 0o600, dirMode: 0o700})
  return {previous, created: text === undefined}
}
