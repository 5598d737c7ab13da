/**
 * `npm run test:openclaw`: the real OpenClaw against keyward's output (test/openclaw-real). Not part of
 * `npm test`: it installs OpenClaw and Node 24 from npm into a cache folder on first use.
 * @type {import('jest').Config}
 */
import base from './jest.config.js'

export default {
  ...base,
  roots: ['<rootDir>/test/openclaw-real'],
  testMatch: ['**/*.real.ts'],
  testTimeout: 20 * 60_000,
  maxWorkers: 1,
  reporters: ['default'],
}
