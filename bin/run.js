#!/usr/bin/env node
// keyward's entry point. Start-up time is part of the product (cron runs keyward every few minutes):
// `--version` is answered without loading the framework.
import {readFileSync} from 'node:fs'
import module from 'node:module'
import v8 from 'node:v8'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`keyward/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // undici parses HTTP with a WebAssembly module. V8 recompiles it in the background once it has run,
  // and a short-lived process then waits ~200 ms at exit for that work to finish. The baseline compiler
  // alone parses as fast as the proxy can send (measured on a 200,000-row export), so skip the tier-up.
  v8.setFlagsFromString('--liftoff-only')
  // Node 22+ keeps compiled code between runs (a no-op on Node 20).
  module.enableCompileCache?.()
  // A closed pipe (`keyward spend logs | head`) is not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
  const {execute} = await import('../dist/index.js')
  await execute({dir: import.meta.url})
}
