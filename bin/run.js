#!/usr/bin/env node
// keyward's entry point (CommonJS: bin/package.json). Start-up time is part of the product (cron runs
// keyward every few minutes, people type it all day), so:
// - `--version` is answered without loading the framework;
// - the bundle (dist/keyward.cjs, or dist/help.cjs for a run that only shows help) is compiled with a V8 code
//   cache kept under the user's cache folder (dist/code-cache.cjs; KEYWARD_NO_CODE_CACHE=1 turns it off).
'use strict'
const path = require('node:path')

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const {version} = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'))
  process.stdout.write(`keyward/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // A closed pipe (`keyward spend logs | head`) is not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
  const root = path.join(__dirname, '..')
  const {defaultCacheDir, isHelpRun, loadBundle, manifestServesHelp, runLabel} = require('../dist/code-cache.cjs')
  const full = path.join(root, 'dist', 'keyward.cjs')
  const load = (file, helpBundle) =>
    loadBundle(file, {
      cacheDir: process.env.KEYWARD_NO_CODE_CACHE === '1' ? undefined : defaultCacheDir(),
      // The bundle's import() (oclif loading its ESM plugins) resolves here, in a real module.
      importModule: (specifier) => import(specifier),
      // Each kind of run (help, or a command's first words) has its own code cache: what that kind compiles.
      label: runLabel(argv),
      helpBundle,
    })
  globalThis.__keywardRoot = root
  globalThis.__keywardFullBundle = () => load(full)
  // A run that only shows help needs oclif and the help class: the help bundle, which oclif also gets when it
  // asks for the whole one (src/cli/run-kind.ts, scripts/build.mjs). It describes commands from the manifest.
  const help = isHelpRun(argv) && manifestServesHelp(root)
  const bundle = help ? load(path.join(root, 'dist', 'help.cjs'), {alsoAs: full}) : load(full)
  bundle.execute({dir: root})
}
