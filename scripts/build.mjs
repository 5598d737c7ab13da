// Build: compile src/ to dist/ with tsc, then write oclif.manifest.json so start-up does not import
// every command. Neither output is committed.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
rmSync('dist', {recursive: true, force: true})
rmSync('oclif.manifest.json', {force: true})
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
