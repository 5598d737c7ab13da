import {randomBytes} from '../core/crypto.js'
import {promises as fs} from 'node:fs'
import type {FileHandle} from 'node:fs/promises'
import path from 'node:path'

/**
 * The one way keyward writes a file atomically: a temporary file `.<name>.<pid>-<random>.tmp` in the
 * same folder, created with `mode` (so a secret is never readable by others, not even for a moment),
 * flushed to disk, then renamed over the target. Until `commit` the target is untouched; `abort` (or a
 * failed commit) removes the temporary file.
 */
export interface AtomicFile {
  /** The temporary file's path. */
  readonly tmp: string
  /** The open temporary file: write to it (`commit` closes it). */
  readonly handle: FileHandle
  /** Flush, close, set the exact mode and rename over the target. */
  commit(): Promise<void>
  /** Close and remove the temporary file; the target is left as it was. Safe to call after a failed commit. */
  abort(): Promise<void>
}

export interface AtomicOptions {
  /** The new file's mode [default: 0600]. */
  mode?: number
  /** Create the folder (with this mode) when it is missing; without it a missing folder is an error. */
  dirMode?: number
  /** Keep the umask's effect on `mode` (exports) instead of setting it exactly (secrets, state) [default: false]. */
  umask?: boolean
}

export async function openAtomic(file: string, opts: AtomicOptions = {}): Promise<AtomicFile> {
  const dir = path.dirname(file)
  if (opts.dirMode !== undefined) await fs.mkdir(dir, {recursive: true, mode: opts.dirMode})
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  const mode = opts.mode ?? 0o600
  const handle = await fs.open(tmp, 'wx', mode)
  let closed = false
  let done = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await handle.close()
  }
  const abort = async (): Promise<void> => {
    if (done) return
    await close().catch(() => {})
    await fs.rm(tmp, {force: true})
  }
  return {
    tmp,
    handle,
    async commit() {
      try {
        await handle.sync()
        await close()
        // open() honours the umask; make the mode exact unless asked not to.
        if (!opts.umask) await fs.chmod(tmp, mode)
        await fs.rename(tmp, file)
        done = true
      } catch (error) {
        await abort()
        throw error
      }
    },
    abort,
  }
}

/** Write a whole file atomically (see openAtomic); its folder is created (0700 by default) when missing. */
export async function writeFileAtomic(file: string, data: string, opts: {mode?: number; dirMode?: number} = {}): Promise<void> {
  const f = await openAtomic(file, {mode: opts.mode, dirMode: opts.dirMode ?? 0o700})
  try {
    await f.handle.writeFile(data, 'utf8')
  } catch (error) {
    await f.abort()
    throw error
  }
  await f.commit()
}
