/**
 * oclif's own debug output (the `debug` package's DEBUG variable): the bundle loads `debug` only when DEBUG is
 * set (scripts/build.mjs), so with it set oclif still logs its namespaces to stderr, and without it nothing.
 * Needs `npm run build`.
 */
import {describe, expect, it} from '@jest/globals'

import {runBin} from '../helpers/spawn.js'

describe("oclif's DEBUG logging in the built CLI", () => {
  it('DEBUG=oclif:* logs oclif namespaces to stderr; the help itself is unchanged', async () => {
    const plain = await runBin(['keys', '--help'], {env: {DEBUG: undefined}})
    const debug = await runBin(['keys', '--help'], {env: {DEBUG: 'oclif:*'}})
    expect(plain.exitCode).toBe(0)
    expect(plain.stderr).toBe('')
    expect(debug.exitCode).toBe(0)
    expect(debug.stdout).toBe(plain.stdout)
    expect(debug.stderr).toMatch(/ oclif:main process\.argv: /)
    expect(debug.stderr).toMatch(/ oclif:config /)
  })

  it("passes DEBUG's value to debug: one namespace logs, the others stay off", async () => {
    const r = await runBin(['keys', '--help'], {env: {DEBUG: 'oclif:main'}})
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toMatch(/ oclif:main process\.argv: /)
    expect(r.stderr).not.toMatch(/ oclif:config /)
  })
})
