// The reference build for the byte-for-byte test (test/e2e/golden.test.ts) and the start-up bench: the same
// src/ built the plain way, as keyward was built before its start-up work — ESM, one file per command plus
// shared chunks, oclif's pattern strategy over dist/commands, an ESM bin that imports dist/index.js (and
// Node 22+'s own compile cache), no V8 code cache of ours, no trimmed or patched dependencies — into a package folder of its own (node_modules linked to
// this project's). The fast build must print exactly what this one prints.
//
//   node scripts/build-reference.mjs <folder>
import {execFileSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {build} from 'esbuild'

const out = process.argv[2]
if (!out) throw new Error('usage: node scripts/build-reference.mjs <folder>')
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
  })

rmSync(out, {recursive: true, force: true})
mkdirSync(path.join(out, 'bin'), {recursive: true})
symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir')
const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
pjson.type = 'module'
pjson.main = 'dist/index.js'
pjson.oclif.commands = './dist/commands'
pjson.oclif.hooks = {command_not_found: './dist/cli/hooks/command-not-found.js'}
pjson.oclif.helpClass = './dist/cli/help.js'
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pjson, null, 2)}\n`)
writeFileSync(
  path.join(out, 'bin', 'run.js'),
  `#!/usr/bin/env node
import {readFileSync} from 'node:fs'
import module from 'node:module'
import v8 from 'node:v8'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(\`keyward/\${pkg.version} \${process.platform}-\${process.arch} node-\${process.version}\\n\`)
} else {
  v8.setFlagsFromString('--liftoff-only')
  module.enableCompileCache?.()
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
  const {execute} = await import('../dist/index.js')
  await execute({dir: import.meta.url})
}
`,
)
const src = (p) => path.join(root, p)
await build({
  entryPoints: [src('src/index.ts'), src('src/cli/help.ts'), ...walk(src('src/commands')), ...walk(src('src/cli/hooks'))],
  outdir: path.join(out, 'dist'),
  outbase: src('src'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@oclif/plugin-help', 'typescript', 'ts-node', 'tsx', '@opentelemetry/api', '@node-rs/xxhash', 'jq-wasm'],
  banner: {js: "import {createRequire as __keywardRequire} from 'node:module'; const require = __keywardRequire(import.meta.url);"},
  logLevel: 'warning',
  legalComments: 'none',
})
// In the reference folder: `oclif manifest` first deletes ./oclif.manifest.json of wherever it runs.
execFileSync(process.execPath, [path.join(root, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest', '.'], {cwd: out, stdio: ['ignore', 'ignore', 'inherit']})
