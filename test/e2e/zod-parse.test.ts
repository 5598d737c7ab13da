/**
 * keyward parses with zod without its JIT (src/core/zod-parse.ts): a run compiles no parser from a string.
 * Needs `npm run build`.
 */
import {describe, expect, it} from '@jest/globals'
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})

describe('zod without its JIT', () => {
  it('a keys list run compiles no zod parser from a string (no code cache keeps them)', async () => {
    fx.srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
    const preload = path.join(fx.dir, 'count-functions.cjs')
    await fs.writeFile(
      preload,
      `const F = Function; let zod = 0
globalThis.Function = new Proxy(F, {construct(t, args) { if (args.some((a) => String(a).includes('return function (payload, ctx)'))) zod++; return Reflect.construct(t, args) }})
process.on('exit', () => process.stderr.write('ZOD PARSERS ' + zod + '\\n'))`,
    )
    const r = await runBin(['keys', 'list', '--json'], {env: fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir}), nodeArgs: ['--require', preload]})
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout).keys.length).toBeGreaterThan(0)
    expect(r.stderr).toBe('ZOD PARSERS 0\n')
  })
})
