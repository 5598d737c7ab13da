import {promises as fs} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'

import {KeywardError} from '../core/errors.js'
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

/** Read the config file; a missing file is an empty config, a broken one a clear error. */
export async function readConfigFile(file: string): Promise<ConfigFile> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
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
  const parsed = ConfigFileSchema.safeParse(json)
  if (!parsed.success) {
    throw new KeywardError('usage', `the config file ${file} has an unexpected shape (${parsed.error.issues[0]?.path.join('.') || 'root'})`, {
      suggestions: [`Fix or remove it, then run: keyward login`],
    })
  }
  return parsed.data
}

/** Write the config file with mode 0600, atomically. */
export async function writeConfigFile(file: string, config: ConfigFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600})
}
