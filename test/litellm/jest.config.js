/**
 * The real-LiteLLM suite (`npm run test:litellm`): its own config so plain `npm test` never picks it up
 * (its files end in .litellm.ts, not .test.ts). It needs a proxy from test/litellm/harness.mjs, which
 * test/litellm/run.mjs starts for each LiteLLM version before running this.
 * @type {import('jest').Config}
 */
export default {
  rootDir: '../..',
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/litellm'],
  testMatch: ['**/*.litellm.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {
    '^.+\\.ts$': ['ts-jest', {useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: {ignoreCodes: [151002]}}],
  },
  setupFiles: ['<rootDir>/test/litellm/setup-real.ts', '<rootDir>/test/setup-env.ts'],
  testTimeout: 300000,
  maxWorkers: 1,
}
