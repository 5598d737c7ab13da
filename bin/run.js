#!/usr/bin/env node
// keyward's entry point (CommonJS: bin/package.json). Start-up time is part of the product (cron runs
// keyward every few minutes, people type it all day), so:
// - `--version` is answered without loading the framework;
// - the bundle (dist/keyward.cjs) is compiled with a V8 code cache kept under the user's cache folder
//   (dist/code-cache.cjs; KEYWARD_NO_CODE_CACHE=1 turns it off).
'use strict'
const path = require('node:path')

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const {version} = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'))
  process.stdout.write(`keyward/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // What kind of run this is: help (nothing but oclif) or a command (its first two words). Each kind has
  // its own code cache, holding what that kind compiles.
  const words = []
  for (const a of argv) {
    if (a.startsWith('-') || words.length === 2) break
    words.push(a)
  }
  const help = words.length === 0 || words[0] === 'help' || argv.includes('--help') || argv.includes('-h')
  // A closed pipe (`keyward spend logs | head`) is not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
  const root = path.join(__dirname, '..')
  const {defaultCacheDir, loadBundle} = require('../dist/code-cache.cjs')
  const bundle = loadBundle(path.join(root, 'dist', 'keyward.cjs'), {
    cacheDir: process.env.KEYWARD_NO_CODE_CACHE === '1' ? undefined : defaultCacheDir(),
    // The bundle's import() (oclif loading its ESM plugins) resolves here, in a real module.
    importModule: (specifier) => import(specifier),
    label: help ? 'help' : words.join(' '),
  })
  bundle.execute({dir: root})
}
