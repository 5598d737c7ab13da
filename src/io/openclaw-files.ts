/**
 * Where OpenClaw keeps its config and key, and the file operations `openclaw connect` needs:
 * reading, a timestamped backup, and atomic writes (src/io/atomic.ts).
 *
 * The config and the `.env` are found exactly as OpenClaw finds them (src/domain/openclaw-paths.ts):
 * OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, OPENCLAW_HOME, `openclaw --profile NAME` (`~/.openclaw-NAME`),
 * else `~/.openclaw/openclaw.json` and `~/.openclaw/.env`.
 */
import {constants as fsConstants, existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {writeFileAtomic} from './atomic.js'
import {readEnvValue, setEnvValue} from '../domain/openclaw-env.js'
import {resolveOpenClawPaths, type OpenClawLocation} from '../domain/openclaw-paths.js'

export interface OpenClawPaths extends OpenClawLocation {
  /** The config file's folder. */
  dir: string
}

/** OpenClaw's config and `.env` for this environment (and `openclaw --profile`, when given). */
export function openclawPaths(env: Record<string, string | undefined>, profile?: string): OpenClawPaths {
  const loc = resolveOpenClawPaths(env, {osHome: os.homedir(), exists: existsSync, profile})
  return {...loc, dir: path.dirname(loc.configPath)}
}

/** The file's text, or undefined when it does not exist (also when a file stands where a folder of its path should be). */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
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
 * Copy `file` to `<file>.bak-<timestamp>`, mode 0600 from the first byte whatever the original's mode (a
 * previous config may hold a key in plain text), never overwriting an earlier backup (a `-2`, `-3`, ...
 * suffix is added). Returns the backup's path.
 */
export async function backupFile(file: string, now: Date): Promise<string> {
  const base = `${file}.bak-${backupStamp(now)}`
  const data = await fs.readFile(file)
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    try {
      await fs.writeFile(candidate, data, {flag: 'wx', mode: 0o600})
      await fs.chmod(candidate, 0o600)
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`could not find a free backup name next to ${file}`)
}

const DENIED = new Set(['EACCES', 'EPERM', 'EROFS'])

/**
 * Why `file` could not be written the way keyward writes it (a temporary file in its folder, renamed
 * over it; a missing folder is created), or undefined when it can: an existing file must be writable,
 * and its folder, or the nearest one that exists, a writable folder.
 */
export async function writeProblem(file: string): Promise<string | undefined> {
  try {
    if ((await fs.stat(file)).isDirectory()) return `${file} is a folder`
    await fs.access(file, fsConstants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (DENIED.has(code)) return `${file} is not writable (${code})`
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot write ${file} (${code})`
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      if (!(await fs.stat(dir)).isDirectory()) return `${dir} is not a folder`
      await fs.access(dir, fsConstants.W_OK | fsConstants.X_OK)
      return undefined
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (DENIED.has(code)) return `the folder ${dir} is not writable (${code})`
      if (code !== 'ENOENT' || path.dirname(dir) === dir) return `cannot write in ${dir} (${code})`
    }
  }
}

/** The file a config write lands in: through a symlink (dotfile managers), the link's target. */
export async function configTarget(file: string): Promise<string> {
  return fs.realpath(file).catch(() => file)
}

/**
 * Write the config atomically, keeping the file's permissions (0600 for a new file; its folder 0700).
 * A symlinked config (dotfile managers) is written through the link, which stays in place.
 */
export async function writeConfig(file: string, text: string): Promise<void> {
  const target = await configTarget(file)
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

/**
 * The version of the OpenClaw found first on PATH: `openclaw` is npm's link to the package's
 * `openclaw.mjs`, next to its package.json. Undefined when there is none (or it is not an npm install).
 */
export async function installedOpenClawVersion(env: Record<string, string | undefined>): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const bin = path.join(dir, 'openclaw')
    let target: string
    try {
      target = await fs.realpath(bin)
      await fs.access(target, fsConstants.X_OK)
    } catch {
      continue
    }
    try {
      const pkg = JSON.parse(await fs.readFile(path.join(path.dirname(target), 'package.json'), 'utf8')) as {name?: unknown; version?: unknown}
      if (pkg.name === 'openclaw' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // Not an npm install (a wrapper script): the version stays unknown.
    }
    return undefined
  }
  return undefined
}
