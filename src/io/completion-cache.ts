/**
 * The key aliases shell completion offers, cached briefly in the user's cache folder (one small file per
 * proxy URL, mode 0600: aliases are not secrets, but they are nobody else's business).
 */
import {createHash} from 'node:crypto'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {writeFileAtomic} from './atomic.js'

export function aliasCacheFile(cacheDir: string, baseUrl: string): string {
  return path.join(cacheDir, 'completion', `aliases-${createHash('sha256').update(baseUrl).digest('hex').slice(0, 16)}.json`)
}

/** The cached aliases if written less than `maxAgeMs` ago, else undefined (also for a missing or broken file). */
export async function readAliasCache(file: string, nowMs: number, maxAgeMs: number): Promise<string[] | undefined> {
  try {
    const doc = JSON.parse(await fs.readFile(file, 'utf8')) as {at?: unknown; aliases?: unknown}
    if (typeof doc.at !== 'number' || nowMs - doc.at > maxAgeMs || nowMs < doc.at || !Array.isArray(doc.aliases)) return undefined
    return doc.aliases.filter((a): a is string => typeof a === 'string')
  } catch {
    return undefined
  }
}

export async function writeAliasCache(file: string, nowMs: number, aliases: readonly string[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({at: nowMs, aliases})}\n`, {mode: 0o600})
}
