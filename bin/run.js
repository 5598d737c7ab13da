#!/usr/bin/env node
// keyward's entry point. `--version` is answered without loading the framework: cron and shells call
// it often, and start-up time is part of the product.
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`keyward/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // A closed pipe (`keyward spend logs | head`) is not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
