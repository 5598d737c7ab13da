/**
 * The record of a `keys rotate --replace` in progress: one file per rotated key in
 * `<data dir>/rotations/<old hash>.json`, readable by the owner only, written atomically.
 *
 * It holds the new key's secret from before the key is minted until the secret has been printed, so a
 * run interrupted at any step can be finished by running the command again, without a second new key
 * and without losing the secret. It is removed once the rotation is done and the key was shown.
 */
import {promises as fs} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'

import {writeFileAtomic} from './atomic.js'

export const RotationSchema = z.object({
  version: z.literal(1),
  /** The key being replaced. */
  oldHash: z.string(),
  oldKeyName: z.string().nullable(),
  /** The alias that moves from the old key to the new one. */
  alias: z.string(),
  /** The new key's alias until it takes over `alias`. */
  tempAlias: z.string(),
  /** What the old key is renamed to. */
  rotatedAlias: z.string(),
  /** The new key's secret: chosen here, or the proxy's once it minted the key (disable_custom_api_keys). */
  secret: z.string().startsWith('sk-'),
  newHash: z.string(),
  /** The marker (metadata keyward_create_id) the new key is minted with where the proxy generates secrets. */
  createId: z.string().optional(),
  /** --grace: the old key expires this long after the alias moved; null: it is blocked at the end. */
  grace: z.string().nullable(),
  /** --grace-budget as given (USD), null for the default. */
  graceBudget: z.number().nullable(),
  startedAt: z.string(),
  /** Set just before the old key is renamed: its spend then, and what it may still spend during the grace. */
  carry: z.object({spend: z.number(), graceShare: z.number()}).nullable(),
})
export type Rotation = z.infer<typeof RotationSchema>

export function rotationsDir(dataDir: string): string {
  return path.join(dataDir, 'rotations')
}

function fileFor(dir: string, oldHash: string): string {
  if (!/^[0-9a-f]{16,128}$/i.test(oldHash)) throw new Error(`not a key hash: ${oldHash.slice(0, 12)}`)
  return path.join(dir, `${oldHash}.json`)
}

/** Every rotation in progress (files that do not parse are reported, never deleted). */
export async function readRotations(dir: string): Promise<{rotations: Array<{file: string; rotation: Rotation}>; unreadable: string[]}> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {rotations: [], unreadable: []}
    throw error
  }
  const rotations: Array<{file: string; rotation: Rotation}> = []
  const unreadable: string[] = []
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const file = path.join(dir, name)
    try {
      const parsed = RotationSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')))
      if (parsed.success) rotations.push({file, rotation: parsed.data})
      else unreadable.push(file)
    } catch {
      unreadable.push(file)
    }
  }
  return {rotations, unreadable}
}

/**
 * Record a new rotation; refuses (returns false) when one is already recorded for this key, so two
 * runs started at once cannot both mint.
 */
export async function startRotation(dir: string, r: Rotation): Promise<boolean> {
  const file = fileFor(dir, r.oldHash)
  await fs.mkdir(dir, {recursive: true, mode: 0o700})
  let handle
  try {
    handle = await fs.open(file, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    await handle.writeFile(`${JSON.stringify(r, null, 2)}\n`, 'utf8')
    await handle.sync()
  } catch (error) {
    await handle.close()
    await fs.rm(file, {force: true})
    throw error
  }
  await handle.close()
  await fs.chmod(file, 0o600)
  return true
}

export async function saveRotation(dir: string, r: Rotation): Promise<void> {
  await writeFileAtomic(fileFor(dir, r.oldHash), `${JSON.stringify(r, null, 2)}\n`, {mode: 0o600})
}

export async function finishRotation(dir: string, oldHash: string): Promise<void> {
  await fs.rm(fileFor(dir, oldHash), {force: true})
}
