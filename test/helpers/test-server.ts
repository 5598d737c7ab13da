/**
 * The one set-up for tests that talk to the LiteLLM-compatible test server (test/server):
 *
 *   const fx = useTestServers({new: {flavor: 'new'}, old: {flavor: 'old'}}, {now: NOW})
 *   ... runCommand(Cmd, argv, fx.env(fx.new, {LITELLM_API_KEY: key}))
 *
 * registers jest hooks that start the servers (and a temporary folder for config and data) before all
 * tests of the file, give every test a clean slate (no recorded requests, no faults, the pinned clock),
 * and close everything after the last test.
 */
import {afterAll, beforeAll, beforeEach} from '@jest/globals'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {startTestServer, type TestServer, type TestServerOptions} from '../server/index.js'
import type {Env} from './run-command.js'

export type ServerFixture<K extends string> = {readonly [k in K]: TestServer} & {
  /** A temporary folder for KEYWARD_CONFIG_DIR and KEYWARD_DATA_DIR, removed after the file's tests. */
  readonly dir: string
  /** envFor(srv, dir), with KEYWARD_NOW at the pinned clock when there is one. */
  env(srv: ProxyAddress, extra?: Env): Env
}

export interface FixtureOptions {
  /** Pins every server's clock (and KEYWARD_NOW in envFor when given there). */
  now?: Date
  /** Before each test, delete every key too (tests that each want an empty proxy). */
  freshKeys?: boolean
  /** Also before each test: extra set-up on top of the clean slate. */
  beforeEach?: (servers: TestServer[]) => void | Promise<void>
}

export function useTestServers<K extends string>(specs: Record<K, TestServerOptions>, o: FixtureOptions = {}): ServerFixture<K> {
  const started = new Map<string, TestServer>()
  let dir: string | undefined
  const fixture = {} as Record<string, unknown>
  for (const name of Object.keys(specs)) {
    Object.defineProperty(fixture, name, {
      enumerable: true,
      get: () => {
        const s = started.get(name)
        if (!s) throw new Error(`test server '${name}' is used outside a test (it starts in beforeAll)`)
        return s
      },
    })
  }
  fixture.env = (srv: ProxyAddress, extra: Env = {}): Env =>
    envFor(srv, fixture.dir as string, {...(o.now ? {KEYWARD_NOW: o.now.toISOString()} : {}), ...extra})
  Object.defineProperty(fixture, 'dir', {
    get: () => {
      if (!dir) throw new Error('the fixture folder is used outside a test (it is made in beforeAll)')
      return dir
    },
  })

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyward-test-'))
    const entries = Object.entries(specs) as Array<[string, TestServerOptions]>
    const servers = await Promise.all(entries.map(([, spec]) => startTestServer({...(o.now ? {now: () => o.now!} : {}), ...spec})))
    entries.forEach(([name], i) => started.set(name, servers[i]!))
  })
  afterAll(async () => {
    await Promise.all([...started.values()].map((s) => s.close()))
    started.clear()
    if (dir) await fs.rm(dir, {recursive: true, force: true})
  })
  beforeEach(async () => {
    for (const s of started.values()) {
      forgetRequests(s)
      s.clearFaults()
      if (o.freshKeys) s.forgetKeys()
      if (o.now) s.setNow(o.now)
    }
    await o.beforeEach?.([...started.values()])
  })
  return fixture as ServerFixture<K>
}

/** Forget the requests recorded so far (the fixture does it before each test). */
export function forgetRequests(srv: TestServer): void {
  srv.requests.length = 0
}

/** Where a keyward run sends its requests: a test server, or any other server a test starts (a hostile one). */
export type ProxyAddress = Pick<TestServer, 'url' | 'masterKey'>

/**
 * The environment of a keyward run against `srv`: its URL and master key, config and data in `dir`,
 * and `extra` on top (a variable set to undefined is removed).
 */
export function envFor(srv: ProxyAddress, dir: string, extra: Env = {}): Env {
  return {
    LITELLM_PROXY_URL: srv.url,
    LITELLM_MASTER_KEY: srv.masterKey,
    KEYWARD_CONFIG_DIR: dir,
    KEYWARD_DATA_DIR: dir,
    ...extra,
  }
}
