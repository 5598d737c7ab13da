/**
 * Run a command class in-process, with stdout and stderr captured separately and the exit code read
 * from (and restored on) process.exitCode. Environment overrides apply for the duration of the run.
 */
import {Config} from '@oclif/core'
import {jest} from '@jest/globals'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface RunResult<R = unknown> {
  stdout: string
  stderr: string
  exitCode: number
  result: R | undefined
}

type Runnable = {run(argv: string[], config: Config): Promise<unknown>}

export type Env = Record<string, string | undefined>

function applyEnv(env: Env): () => void {
  const saved = new Map<string, string | undefined>()
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k])
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

const fmt = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')

export async function runCommand<R = unknown>(cmd: Runnable, argv: string[], env: Env = {}): Promise<RunResult<R>> {
  const restoreEnv = applyEnv(env)
  const out: string[] = []
  const err: string[] = []
  const spies = [
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${fmt(a)}\n`)),
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(`${fmt(a)}\n`)),
    jest.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void err.push(`${fmt(a)}\n`)),
    jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined
      cb?.()
      return true
    }) as typeof process.stdout.write),
    jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined
      cb?.()
      return true
    }) as typeof process.stderr.write),
  ]
  const savedExit = process.exitCode
  process.exitCode = undefined
  let result: R | undefined
  let exitCode = 0
  try {
    const config = await Config.load({root: ROOT})
    result = (await cmd.run(argv, config)) as R | undefined
  } finally {
    for (const s of spies) s.mockRestore()
    restoreEnv()
    // Read, then restore, even when the command threw: a leaked exit code would fail the jest worker.
    exitCode = typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0)
    process.exitCode = savedExit
  }
  return {stdout: out.join(''), stderr: err.join(''), exitCode, result}
}
