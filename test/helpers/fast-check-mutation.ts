// Loaded by jest.mutation.config.js only: under Stryker a property that fails only has to fail; shrinking
// the counterexample (many more runs) is for a person reading a failure, and would slow every mutant.
import fc from 'fast-check'

fc.configureGlobal({endOnFailure: true})
