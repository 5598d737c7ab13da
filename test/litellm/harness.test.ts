/** test/litellm/harness.mjs refuses the compromised LiteLLM releases before it installs or starts anything. */
import {describe, expect, it} from '@jest/globals'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'

const harness = (args: string[], cache: string) =>
  spawnSync(process.execPath, [path.join(ROOT, 'test', 'litellm', 'harness.mjs'), ...args], {encoding: 'utf8', env: {PATH: process.env.PATH, HOME: cache, KEYWARD_CACHE_DIR: cache}})

describe('litellm harness', () => {
  it.each(['1.82.7', '1.82.8', '1.107.0'])('refuses LiteLLM %s (compromised) with exit 2, installing nothing', (version) => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'keyward-harness-'))
    try {
      const r = harness(['up', '--version', version, '--state', path.join(cache, 'state.json')], cache)
      expect(r.status).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(new RegExp(`refusing LiteLLM ${version.replace(/\./g, '\\.')}: a compromised release`))
      expect(readdirSync(cache)).toEqual([])
    } finally {
      rmSync(cache, {recursive: true, force: true})
    }
  })

  it('rejects a version that is not exact, and unknown commands, with exit 2', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'keyward-harness-'))
    try {
      expect(harness(['up', '--version', '1.108'], cache)).toMatchObject({status: 2, stdout: ''})
      expect(harness(['sideways'], cache).status).toBe(2)
      expect(readdirSync(cache)).toEqual([])
    } finally {
      rmSync(cache, {recursive: true, force: true})
    }
  })

  it('rejects a --general-setting or --ui-setting that is not K=V with exit 2, before installing anything', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'keyward-harness-'))
    try {
      const r = harness(['up', '--general-setting', 'no-equals-sign'], cache)
      expect(r).toMatchObject({status: 2, stdout: ''})
      expect(r.stderr).toContain('--general-setting wants K=V')
      expect(harness(['up', '--ui-setting', '=true'], cache).status).toBe(2)
      expect(readdirSync(cache)).toEqual([])
    } finally {
      rmSync(cache, {recursive: true, force: true})
    }
  })
})
