/**
 * The tests Stryker runs for `npm run mutation` (stryker.config.mjs): only the fast, pure unit tests of
 * the mutated modules (src/domain, src/output/csv.ts, src/output/sanitize.ts), no servers, no built CLI.
 * They are ordinary *.test.ts files, so `npm test` runs them too.
 * @type {import('jest').Config}
 */
import base from './jest.config.js'

export default {
  ...base,
  roots: ['<rootDir>/test/domain', '<rootDir>/test/output'],
  testMatch: ['<rootDir>/test/domain/**/*.test.ts', '<rootDir>/test/output/format.test.ts'],
  setupFiles: [...base.setupFiles, '<rootDir>/test/helpers/fast-check-mutation.ts'],
  reporters: ['default'],
  maxWorkers: 1,
}
