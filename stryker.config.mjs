// @ts-check
/**
 * Mutation testing (`npm run mutation`, issue #18): Stryker changes one thing at a time in the pure
 * modules below (a `>=` into `>`, a string into `""`, a branch into `true`, ...) and runs the unit tests
 * that cover it (jest.mutation.config.js); a mutant that no test notices "survives". Not part of
 * `npm test` or CI: it takes long. Run it after changing these modules; one file while working:
 *   npx stryker run --mutate src/domain/period.ts
 * Reports: reports/mutation/mutation.html and mutation.json (git-ignored); per-file scores on stdout.
 *
 * Equivalent mutants (they change no result, so no test can kill them; they stay in the score as
 * survivors rather than being switched off, except where a `// Stryker disable next-line` comment beside
 * the code gives the reason):
 * - src/domain/period.ts predictResetAt, `if (days === 1) return at(inDays(midnight, 1))` made false:
 *   the general case, midnight + N days, gives the same for N = 1 (the branch mirrors LiteLLM's code).
 * - src/domain/period.ts predictResetAt, `if (hour >= 24)` made false or `> 24`: the other branch's
 *   wall time {today, hour 24+} normalises to the same instant as {tomorrow, hour % 24}.
 * - src/domain/monthly-reset.ts (moved there from period.ts) isMonthlyDuration, `duration ?? ''` made `?? "Stryker was here!"`: neither
 *   text is a monthly duration.
 * - src/domain/spend-aggregate.ts ExactSum.add, `>=` made `>`: disabled in place (both branches agree
 *   when |s| = |x|).
 * - src/domain/period.ts parseTimestamp, the `^` of the no-offset pattern removed: text before the date
 *   makes an invalid date with or without the appended `Z` (undefined either way).
 * - src/domain/period.ts parseTimestamp, the microsecond trim `/(\.\d{3})\d+/` made `\d`, `\D+` or
 *   `\.\D{3}`: V8 reads any number of fraction digits and keeps milliseconds, so trimming one digit or
 *   none gives the same instant (the trim is there for other engines).
 * - src/domain/spend-aggregate.ts spendKeyLabel, `masterKeyHash !== undefined && hash === masterKeyHash` made
 *   `true && …`: without a master-key hash the comparison is `hash === undefined`, false for the string a hash is.
 * - src/domain/spend-aggregate.ts SpendAggregator.acc, `label !== a.label && …` made `true && …`: when the
 *   labels are equal, the branch sets the label it already has.
 * - src/domain/spend-aggregate.ts addDaily, `this.breakdownBy === 'model'` made true: it then fills a model
 *   breakdown that is never shown when there is no breakdown (toRow reads it only with one), and there is no
 *   other: daily activity gets breakdowns only under days, weeks and months (chooseSpendSource), and
 *   breakdownFor gives those a model breakdown.
 * - src/domain/spend-aggregate.ts chooseSpendSource, `'rows' in q` made `'' in q`: a request for rows has no
 *   time zone, so the `q.timezone === 'UTC'` beside it already rules daily activity out.
 * (Not yet a full list: a complete run of every file takes hours on the project's busy 2-core machines;
 * add what a full run shows.)
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // The project's jest is ESM (ts-jest default-esm preset): jest needs --experimental-vm-modules.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    configFile: 'jest.mutation.config.js',
    // Per mutant, only the test files that import the mutated module (and only the tests that ran its code).
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  mutate: ['src/domain/**/*.ts', 'src/output/csv.ts', 'src/output/sanitize.ts'],
  // Two cores are shared with other work; raise it on a bigger machine (--concurrency 4).
  concurrency: 2,
  // Each jest worker keeps every module it loads under --experimental-vm-modules: over a few hundred mutants it
  // grew to 4 GB and slowed down about sixfold (spend-aggregate.ts: 150 mutants in its first 2 minutes, 200 in
  // the next 14). A fresh worker every 40 mutants keeps it small and fast.
  maxTestRunnerReuse: 40,
  // A mutant's tests may take 3x their time without it plus 20 s before it counts as hanging (a timeout counts
  // as killed): the covering tests take well under a second, so even a machine slowed fivefold by other work
  // stays far inside it, while a mutant that loops forever costs each worker 20 s, not a minute.
  timeoutMS: 20000,
  timeoutFactor: 3,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: {fileName: 'reports/mutation/mutation.html'},
  jsonReporter: {fileName: 'reports/mutation/mutation.json'},
  clearTextReporter: {allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true},
  thresholds: {high: 90, low: 80, break: null},
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
