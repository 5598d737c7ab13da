import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'

import {KeywardError} from '../core/errors.js'
import {PARSE} from '../core/zod-parse.js'
import {writeFileAtomic} from './atomic.js'

export const ProfileSchema = z.object({
  baseUrl: z.string().optional(),
  masterKey: z.string().optional(),
  apiKey: z.string().optional(),
  keyHeader: z.string().optional(),
})
export type Profile = z.infer<typeof ProfileSchema>

export const ConfigFileSchema = z.object({
  version: z.literal(1).default(1),
  defaultProfile: z.string().optional(),
  profiles: z.record(z.string(), ProfileSchema).default({}),
})
export type ConfigFile = z.infer<typeof ConfigFileSchema>

export const CONFIG_FILE_NAME = 'config.json'

export function configPath(configDir: string): string {
  return path.join(configDir, CONFIG_FILE_NAME)
}

// Every command reads this file as it starts: with the synchronous calls (a few hundred bytes, one stat), a
// one-request run never starts libuv's thread pool (four threads, ~5 ms and ~1 MB; scripts/source-patches.mjs
// does the same for oclif's package.json reads).

/** Read the config file; a missing file is an empty config, a broken one a clear error. */
export async function readConfigFile(file: string): Promise<ConfigFile> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {version: 1, profiles: {}}
    throw new KeywardError('usage', `cannot read the config file ${file}: ${(error as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new KeywardError('usage', `the config file ${file} is not valid JSON`, {
      suggestions: [`Fix or remove it, then run: keyward login`],
    })
  }
  const parsed = ConfigFileSchema.safeParse(json, PARSE)
  if (!parsed.success) {
    throw new KeywardError('usage', `the config file ${file} has an unexpected shape (${parsed.error.issues[0]?.path.join('.') || 'root'})`, {
      suggestions: [`Fix or remove it, then run: keyward login`],
    })
  }
  return parsed.data
}

/**
 * The config file holds the master key and the URL it is sent to, so nobody else may change it: a
 * group- or world-writable file or folder is refused (exit 3) with the chmod that fixes it; a file
 * others can read is used with a warning. Returns the warnings. A missing file is not checked.
 */
export async function checkConfigPermissions(file: string): Promise<string[]> {
  if (process.platform === 'win32') return []
  let stat
  try {
    stat = statSync(file)
  } catch {
    return []
  }
  const dir = path.dirname(file)
  const dirStat = statSync(dir)
  const octal = (m: number) => (m & 0o777).toString(8).padStart(3, '0')
  if (stat.mode & 0o022) {
    throw new KeywardError('auth', `the config file ${file} is writable by ${stat.mode & 0o002 ? 'every local user' : 'its group'} (mode ${octal(stat.mode)}): anyone who can change it can send the master key elsewhere, so it is not used`, {
      suggestions: [`Fix it: chmod 600 ${file}`, 'Then check that its baseUrl is the proxy you expect: keyward profiles'],
    })
  }
  // A sticky folder (like /tmp) still lets others create files, but not replace ours.
  if (dirStat.mode & 0o022 && !(dirStat.mode & 0o1000)) {
    throw new KeywardError('auth', `the config folder ${dir} is writable by ${dirStat.mode & 0o002 ? 'every local user' : 'its group'} (mode ${octal(dirStat.mode)}): anyone could replace ${path.basename(file)}, so it is not used`, {
      suggestions: [`Fix it: chmod 700 ${dir}`, 'Then check that its baseUrl is the proxy you expect: keyward profiles'],
    })
  }
  const warnings: string[] = []
  if (stat.mode & 0o044) warnings.push(`the config file ${file} is readable by others (mode ${octal(stat.mode)}) and holds keys: chmod 600 ${file}`)
  return warnings
}

/** Write the config file with mode 0600, atomically. */
export async function writeConfigFile(file: string, config: ConfigFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600})
}
