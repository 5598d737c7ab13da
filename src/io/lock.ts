/**
 * A lock file so that two overlapping `budget check` runs (a slow cron job and the next one) do not
 * both send the same alert. The lock is created atomically with its content complete (written to a
 * temporary file, then hard-linked into place, which fails if the lock exists). A stale lock is taken
 * over: its process is gone (same host), or it is older than `staleMs`.
 */
import {randomBytes} from '../core/crypto.js'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface LockInfo {
  pid: number
  hostname: string
  createdAt: string
}

export interface LockOptions {
  /** Give up waiting for a live lock after this long. */
  waitMs?: number
  /** A lock older than this is stale, whoever holds it. */
  staleMs?: number
  pollMs?: number
  now?: () => number
}

export type LockResult = {acquired: true; release: () => Promise<void>; recovered?: LockInfo | 'unreadable'} | {acquired: false; holder: LockInfo | undefined}

const DEFAULT_STALE_MS = 10 * 60_000

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>
    if (typeof v.pid === 'number' && typeof v.hostname === 'string' && typeof v.createdAt === 'string') return v as LockInfo
  } catch {
    // fall through
  }
  return undefined
}

/** Is this lock stale? `info` undefined means unreadable: stale once its file is a few seconds old. */
export function isStale(
  info: LockInfo | undefined,
  mtimeMs: number,
  now: number,
  staleMs = DEFAULT_STALE_MS,
  host = os.hostname(),
  alive = processAlive,
): boolean {
  if (!info) return now - mtimeMs > 5000
  const created = Date.parse(info.createdAt)
  const age = now - (Number.isNaN(created) ? mtimeMs : created)
  if (age > staleMs) return true
  return info.hostname === host && !alive(info.pid)
}

async function tryCreate(lockFile: string, info: LockInfo): Promise<boolean> {
  const tmp = path.join(path.dirname(lockFile), `.${path.basename(lockFile)}.${process.pid}.${randomBytes(4).toString('hex')}`)
  await fs.writeFile(tmp, JSON.stringify(info), {mode: 0o600})
  try {
    await fs.link(tmp, lockFile)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await fs.rm(tmp, {force: true})
  }
}

/**
 * Take over a stale lock: move it aside atomically, and check that what was moved is the lock judged
 * stale (not a fresh one another process created in between); if it is not, put it back.
 */
async function removeStale(lockFile: string, seen: string): Promise<boolean> {
  const aside = `${lockFile}.stale.${process.pid}.${randomBytes(4).toString('hex')}`
  try {
    await fs.rename(lockFile, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => '')
  if (moved !== seen) {
    await fs.link(aside, lockFile).catch(() => undefined)
    await fs.rm(aside, {force: true})
    return false
  }
  await fs.rm(aside, {force: true})
  return true
}

export async function acquireLock(lockFile: string, opts: LockOptions = {}): Promise<LockResult> {
  const now = opts.now ?? Date.now
  const waitMs = opts.waitMs ?? 30_000
  const pollMs = opts.pollMs ?? 100
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS
  const deadline = now() + waitMs
  await fs.mkdir(path.dirname(lockFile), {recursive: true, mode: 0o700})
  let recovered: LockInfo | 'unreadable' | undefined
  let holder: LockInfo | undefined
  for (;;) {
    const info: LockInfo = {pid: process.pid, hostname: os.hostname(), createdAt: new Date(now()).toISOString()}
    if (await tryCreate(lockFile, info)) {
      const mine = JSON.stringify(info)
      return {
        acquired: true,
        recovered,
        release: async () => {
          // Only remove the lock if it is still ours.
          const text = await fs.readFile(lockFile, 'utf8').catch(() => undefined)
          if (text === mine) await fs.rm(lockFile, {force: true})
        },
      }
    }
    let text: string | undefined
    let mtimeMs = now()
    try {
      text = await fs.readFile(lockFile, 'utf8')
      mtimeMs = (await fs.stat(lockFile)).mtimeMs
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    holder = parseLock(text)
    if (isStale(holder, mtimeMs, now(), staleMs)) {
      if (await removeStale(lockFile, text)) recovered = holder ?? 'unreadable'
      continue
    }
    if (now() >= deadline) return {acquired: false, holder}
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
