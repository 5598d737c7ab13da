/** Shared pieces of the `keys` command tests: the pinned clock, request filters. (Servers: helpers/test-server.ts.) */
import type {RecordedRequest, TestServer} from '../../server/index.js'

/** A Wednesday in the middle of a month. */
export const NOW = new Date('2026-11-18T10:20:00Z')

export const requestsTo = (srv: TestServer, method: string, p: string): RecordedRequest[] => srv.requests.filter((r) => r.method === method && r.path === p)

/** Requests that change something on the proxy. */
export const writes = (srv: TestServer): RecordedRequest[] => srv.requests.filter((r) => r.method !== 'GET')

export function count(haystack: string, needle: string): number {
  if (!needle) return 0
  return haystack.split(needle).length - 1
}

export const keysWithAlias = (srv: TestServer, alias: string) => srv.keys().filter((k) => k.key_alias === alias)

/** Node's own process warnings (ExperimentalWarning under jest, oclif's dev-only UnparsedCommand) are not keyward's output. */
export function withoutNodeWarnings<R extends {stderr: string}>(r: R): R {
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !/^\(node:\d+\) /.test(l) && !l.startsWith('(Use `node --trace-warnings'))
    .join('\n')
  return {...r, stderr}
}
