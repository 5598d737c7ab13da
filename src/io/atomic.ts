import {randomBytes} from '../core/crypto.js'
import {promises as fs} from 'node:fs'
import path from 'node:path'

/**
 * Write a file atomically: a temporary file in the same folder, created with `mode` (so a secret is
 * never readable by others, not even for a moment), flushed, then renamed over the target.
 */
export async function writeFileAtomic(file: string, data: string, opts: {mode?: number; dirMode?: number} = {}): Promise<void> {
  const dir = path.dirname(file)
  await fs.mkdir(dir, {recursive: true, mode: opts.dirMode ?? 0o700})
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const mode = opts.mode ?? 0o600
  const handle = await fs.open(tmp, 'wx', mode)
  try {
    await handle.writeFile(data, 'utf8')
    await handle.sync()
  } catch (error) {
    await handle.close()
    await fs.rm(tmp, {force: true})
    throw error
  }
  await handle.close()
  try {
    // open() honours the umask; make the mode exact.
    await fs.chmod(tmp, mode)
    await fs.rename(tmp, file)
  } catch (error) {
    await fs.rm(tmp, {force: true})
    throw error
  }
}
