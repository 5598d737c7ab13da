/**
 * #11 items 1 and 2: every path that may have minted or rotated a key prints its secret once (or says
 * that the key exists without a known secret and how to delete it). Lost answers against the test
 * server's faults, Ctrl-C, a full disk and a closed pipe, with the built CLI where signals and stdout
 * matter.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {spawn} from 'node:child_process'
import {existsSync, openSync, closeSync} from 'node:fs'
import path from 'node:path'

import KeysCreate from '../../../src/commands/keys/create.js'
import KeysRotate from '../../../src/commands/keys/rotate.js'
import {ROOT, runCommand} from '../../helpers/run-command.js'
import {pinnedEnv} from '../../helpers/spawn.js'
import {hashKey} from '../../server/index.js'
import {count, keysWithAlias, NOW, withoutNodeWarnings} from './helpers.js'
import {useTestServers} from '../../helpers/test-server.js'
import type {CreateResult, RotateResult} from '../../../src/contracts/keys.js'

const fx = useTestServers({srv: {flavor: 'new', features: {regenerate: true}}}, {now: NOW})
beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'keyward.cjs'))) throw new Error('dist/ is missing: run `npm run build` before these tests')
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const SK = /sk-[A-Za-z0-9_-]{32}/g

interface Child {
  stdout: string
  stderr: string
  code: number | null
}

/** The built CLI with a chosen stdout (a pipe we may close, or a file descriptor) and an optional signal after `signalAfterMs`. */
function bin(args: string[], opts: {stdoutFd?: number; closeStdout?: boolean; signal?: NodeJS.Signals; signalWhen?: () => boolean} = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], {
      env: pinnedEnv({...fx.env(fx.srv)}),
      stdio: ['ignore', opts.stdoutFd ?? 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    if (child.stdout) {
      if (opts.closeStdout) child.stdout.destroy()
      else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    }
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    // The signal goes once the request it should interrupt has reached the server.
    const poll = opts.signal
      ? setInterval(() => {
          if (opts.signalWhen?.() ?? true) {
            clearInterval(poll)
            setTimeout(() => child.kill(opts.signal), 100)
          }
        }, 25)
      : undefined
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (poll) clearInterval(poll)
      resolve({stdout, stderr, code})
    })
  })
}

describe('keys rotate: lost answers', () => {
  it('a slow proxy that rotates after keyward gave up: the new secret is printed once, "may or may not be active", exit 6', async () => {
    const {token: oldHash} = fx.srv.addKey({key_alias: 'rot-slow', max_budget: 5, budget_duration: '30d'})
    fx.srv.fault({path: `/key/${oldHash}/regenerate`, method: 'POST', kind: 'slow', delayMs: 1500})
    const r = withoutNodeWarnings(await runCommand<RotateResult>(KeysRotate, ['rot-slow', '--timeout', '0.5'], fx.env(fx.srv)))
    expect(r.exitCode).toBe(6)
    const printed = r.stdout.match(SK) ?? []
    expect(printed).toHaveLength(1)
    expect(r.stderr).toContain('may or may not be active')
    expect(r.stderr).not.toContain('was not changed')
    expect(r.stderr).not.toMatch(SK)
    expect(r.result).toMatchObject({rotated: 'uncertain', key: printed[0]})
    // The proxy applies the rotation late, with the secret keyward chose and printed.
    await sleep(1500)
    expect(keysWithAlias(fx.srv, 'rot-slow')[0].token).toBe(hashKey(printed[0]!))
  })

  it('a lost answer and a failing check: the secret is still printed once, exit 6', async () => {
    const {token: oldHash} = fx.srv.addKey({key_alias: 'rot-check-fails', max_budget: 5, budget_duration: '30d'})
    fx.srv.fault({path: `/key/${oldHash}/regenerate`, method: 'POST', kind: 'reset', after: true})
    // Every check after the loss fails (the key was resolved by /key/info before).
    fx.srv.fault({path: '/key/info', method: 'GET', kind: 'status503', times: 10, skip: 1})
    const r = withoutNodeWarnings(await runCommand<RotateResult>(KeysRotate, ['rot-check-fails', '--quiet'], fx.env(fx.srv)))
    expect(r.exitCode).toBe(6)
    expect(r.stdout).toMatch(/^sk-[A-Za-z0-9_-]{32}\n$/)
    expect(keysWithAlias(fx.srv, 'rot-check-fails')[0].token).toBe(hashKey(r.stdout.trim()))
    expect(r.stderr).toContain('may or may not be active')
  })

  it('Ctrl-C while the rotation is in flight: the secret is printed once, exit 130', async () => {
    const {token: oldHash} = fx.srv.addKey({key_alias: 'rot-sigint', max_budget: 5, budget_duration: '30d'})
    fx.srv.fault({path: `/key/${oldHash}/regenerate`, method: 'POST', kind: 'slow', delayMs: 2500})
    const r = await bin(['keys', 'rotate', 'rot-sigint'], {signal: 'SIGINT', signalWhen: () => fx.srv.requests.some((q) => q.path.endsWith('/regenerate'))})
    expect(r.code).toBe(130)
    const printed = r.stdout.match(SK) ?? []
    expect(printed).toHaveLength(1)
    expect(r.stderr).toContain('may or may not be active')
    await sleep(3000)
    expect(keysWithAlias(fx.srv, 'rot-sigint')[0].token).toBe(hashKey(printed[0]!))
  })
})

describe('keys create: lost answers', () => {
  it('a second lost answer never ends in a bare timeout: the secret is printed once, exit 6', async () => {
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'reset'})
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'slow', delayMs: 1500})
    const r = withoutNodeWarnings(await runCommand<CreateResult>(KeysCreate, ['--alias', 'twice-lost', '--budget', '5', '--timeout', '0.5'], fx.env(fx.srv)))
    expect(r.exitCode).toBe(6)
    const printed = r.stdout.match(SK) ?? []
    expect(printed).toHaveLength(1)
    expect(r.result).toMatchObject({created: 'uncertain', key: printed[0]})
    expect(r.stderr).toContain('may or may not')
    await sleep(1500)
    const rows = keysWithAlias(fx.srv, 'twice-lost')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token).toBe(hashKey(printed[0]!))
  })

  it('Ctrl-C during create: the secret is printed once, exit 130', async () => {
    fx.srv.fault({path: '/key/generate', method: 'POST', kind: 'slow', delayMs: 2500})
    const r = await bin(['keys', 'create', '--alias', 'create-sigint', '--budget', '5', '--quiet'], {signal: 'SIGINT', signalWhen: () => fx.srv.requests.some((q) => q.path === '/key/generate')})
    expect(r.code).toBe(130)
    expect(count(r.stdout, 'sk-')).toBe(1)
    expect(r.stderr).toContain('may or may not')
    await sleep(3000)
    expect(keysWithAlias(fx.srv, 'create-sigint')[0]!.token).toBe(hashKey(r.stdout.trim()))
  })

  it('stdout on a full disk (--quiet > /dev/full): no stack trace; says the key exists and how to delete it; exit 6', async () => {
    const fd = openSync('/dev/full', 'w')
    let r: Child
    try {
      r = await bin(['keys', 'create', '--alias', 'full-disk', '--budget', '5', '--quiet'], {stdoutFd: fd})
    } finally {
      closeSync(fd)
    }
    const [row] = keysWithAlias(fx.srv, 'full-disk')
    expect(row).toBeDefined()
    expect(r.code).toBe(6)
    expect(r.stderr.split('\n')[0]).toBe(`Error: the key 'full-disk' was created, but its secret could not be written to stdout (ENOSPC) and is not shown anywhere else`)
    expect(r.stderr).toContain(`keyward keys delete ${row!.token} --yes`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stderr).not.toMatch(SK)
  })

  it('a closed pipe: not a silent exit 0; says the key exists and how to delete it; exit 6', async () => {
    const r = await bin(['keys', 'create', '--alias', 'closed-pipe', '--budget', '5', '--quiet'], {closeStdout: true})
    const [row] = keysWithAlias(fx.srv, 'closed-pipe')
    expect(row).toBeDefined()
    expect(r.code).toBe(6)
    expect(r.stderr).toContain(`Error: the key 'closed-pipe' was created, but its secret could not be written to stdout (EPIPE)`)
    expect(r.stderr).toContain(`keys delete ${row!.token} --yes`)
    expect(r.stderr).not.toMatch(SK)
  })

  it('keys rotate to a closed pipe: says so, exit 6', async () => {
    fx.srv.addKey({key_alias: 'rot-pipe', max_budget: 5, budget_duration: '30d'})
    const r = await bin(['keys', 'rotate', 'rot-pipe', '--quiet'], {closeStdout: true})
    expect(r.code).toBe(6)
    expect(r.stderr).toContain("Error: the key 'rot-pipe' was rotated, but its secret could not be written to stdout (EPIPE)")
    expect(r.stderr).toContain('keys rotate ')
  })
})
