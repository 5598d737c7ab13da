/**
 * Streaming sinks for exports. A file is written to a temporary name next to the target and renamed
 * only when everything was written, so a failed or interrupted export never leaves a complete-looking
 * file. Writes wait for 'drain' (back-pressure), so memory does not grow with the row count. Stdout
 * works the same way; a closed pipe (`| head`) stops the export quietly.
 */
import {randomBytes} from '../core/crypto.js'
import {createWriteStream, type WriteStream} from 'node:fs'
import {open, rename, stat, unlink} from 'node:fs/promises'
import path from 'node:path'

export interface ExportSink {
  /** Resolves once the chunk is accepted (immediately, or after 'drain'). Never throws for a closed stdout pipe. */
  write(chunk: string): Promise<void>
  /** Finish: flush and, for a file, move it into place. */
  commit(): Promise<void>
  /** Give up: for a file, delete the temporary file (the target is left as it was). */
  abort(): Promise<void>
  /** The reader went away (EPIPE on stdout): stop producing. */
  readonly closed: boolean
  readonly bytes: number
  /** Where the data goes: a path, or `-` for stdout. */
  readonly target: string
}

/** Problems with --output, found before anything is fetched. Returns a message, or undefined when fine. */
export async function checkOutputPath(file: string): Promise<string | undefined> {
  const dir = path.dirname(path.resolve(file))
  try {
    const d = await stat(dir)
    if (!d.isDirectory()) return `cannot write ${file}: ${dir} is not a folder`
  } catch {
    return `cannot write ${file}: the folder ${dir} does not exist`
  }
  try {
    const f = await stat(file)
    if (f.isDirectory()) return `cannot write ${file}: it is a folder`
  } catch {
    // does not exist yet: fine
  }
  return undefined
}

function waitDrain(stream: NodeJS.WritableStream & {destroyed?: boolean}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('error', fail)
      stream.off('close', done)
      resolve()
    }
    const fail = (err: Error): void => {
      stream.off('drain', done)
      stream.off('error', fail)
      stream.off('close', done)
      reject(err)
    }
    stream.on('drain', done)
    stream.on('error', fail)
    stream.on('close', done)
  })
}

/** A file sink: `.<name>.<random>.tmp` in the target's folder, renamed on commit. */
export async function openFileSink(file: string): Promise<ExportSink> {
  const target = path.resolve(file)
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  const stream: WriteStream = createWriteStream(tmp, {flags: 'wx', mode: 0o644})
  let failure: Error | undefined
  stream.on('error', (e) => (failure ??= e))
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve())
    stream.once('error', reject)
  })
  let bytes = 0
  let finished = false
  const removeTmp = async (): Promise<void> => {
    await unlink(tmp).catch(() => {})
  }
  return {
    target: file,
    get closed() {
      return false
    },
    get bytes() {
      return bytes
    },
    async write(chunk: string): Promise<void> {
      if (failure) throw failure
      bytes += Buffer.byteLength(chunk)
      if (!stream.write(chunk)) await waitDrain(stream)
      if (failure) throw failure
    },
    async commit(): Promise<void> {
      if (failure) throw failure
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject)
        stream.end(() => resolve())
      })
      const fh = await open(tmp, 'r')
      try {
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, target)
      finished = true
    },
    async abort(): Promise<void> {
      if (finished) return
      await new Promise<void>((resolve) => {
        if (stream.closed) return resolve()
        stream.once('close', () => resolve())
        stream.destroy()
      })
      await removeTmp()
    },
  }
}

/** A stdout sink with back-pressure; EPIPE marks it closed instead of failing. */
export function stdoutSink(out: NodeJS.WriteStream = process.stdout): ExportSink {
  let closed = false
  let bytes = 0
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true
  }
  out.on('error', onError)
  const detach = (): void => {
    out.off('error', onError)
  }
  return {
    target: '-',
    get closed() {
      return closed
    },
    get bytes() {
      return bytes
    },
    async write(chunk: string): Promise<void> {
      if (closed) return
      bytes += Buffer.byteLength(chunk)
      let ok: boolean
      try {
        ok = out.write(chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
          closed = true
          return
        }
        throw error
      }
      if (!ok && !closed) {
        await waitDrain(out).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'EPIPE') closed = true
          else throw error
        })
      }
    },
    async commit(): Promise<void> {
      detach()
    },
    async abort(): Promise<void> {
      detach()
    },
  }
}
