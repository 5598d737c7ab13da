/**
 * Streaming sinks for exports. A file is written to a temporary name next to the target and renamed
 * only when everything was written, so a failed or interrupted export never leaves a complete-looking
 * file. Writes wait for 'drain' (back-pressure), so memory does not grow with the row count. Stdout
 * works the same way; a closed pipe (`| head`) stops the export quietly.
 */
import {stat} from 'node:fs/promises'
import path from 'node:path'

import {openAtomic} from './atomic.js'

export interface ExportSink {
  /** Resolves once the chunk is accepted (immediately, or after 'drain'). Never throws for a closed stdout pipe. */
  write(chunk: string | Uint8Array): Promise<void>
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

/** Bytes gathered before one write to the file: few system calls, bounded memory. */
const FILE_CHUNK = 64 * 1024

/** A file sink: a temporary file in the target's folder (io/atomic.ts), renamed on commit. */
export async function openFileSink(file: string): Promise<ExportSink> {
  const atomic = await openAtomic(path.resolve(file), {mode: 0o644, umask: true})
  let pending: (string | Uint8Array)[] = []
  let pendingBytes = 0
  let bytes = 0
  let finished = false
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return
    // Text (CSV, JSONL) is joined as text; binary pages (Parquet) are concatenated as bytes.
    const text = pending.every((c) => typeof c === 'string')
    const data = text ? pending.join('') : Buffer.concat(pending.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)))
    pending = []
    pendingBytes = 0
    if (typeof data === 'string') await atomic.handle.write(data, null, 'utf8')
    else await atomic.handle.write(data)
  }
  return {
    target: file,
    get closed() {
      return false
    },
    get bytes() {
      return bytes
    },
    async write(chunk: string | Uint8Array): Promise<void> {
      const n = Buffer.byteLength(chunk)
      bytes += n
      pending.push(chunk)
      pendingBytes += n
      if (pendingBytes >= FILE_CHUNK) await flush()
    },
    async commit(): Promise<void> {
      await flush()
      await atomic.commit()
      finished = true
    },
    async abort(): Promise<void> {
      if (finished) return
      pending = []
      await atomic.abort()
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
    async write(chunk: string | Uint8Array): Promise<void> {
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
