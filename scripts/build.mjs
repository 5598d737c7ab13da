// Build: type-check with tsc, bundle src/ into dist/ with esbuild (one file per command plus shared
// chunks, so start-up loads a handful of files instead of hundreds), then write oclif.manifest.json
// so start-up does not import every command. Neither output is committed.
import {execFileSync} from 'node:child_process'
import {readdirSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'

import {build} from 'esbuild'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
  })

rmSync('dist', {recursive: true, force: true})
rmSync('oclif.manifest.json', {force: true})
if (!process.argv.includes('--no-check')) run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'])
await build({
  entryPoints: ['src/index.ts', 'src/cli/help.ts', ...walk('src/commands'), ...walk('src/cli/hooks')],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // oclif's core is bundled too (it is most of the start-up time when loaded file by file); the plugins
  // (help) keep their own copy from node_modules, as oclif plugins normally do. The
  // TypeScript loaders that oclif only uses in development stay out, and so does jq-wasm (--jq only), which
  // reads its .wasm file from beside itself.
  external: ['@oclif/plugin-help', 'typescript', 'ts-node', 'tsx', 'jq-wasm'],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {js: "import {createRequire as __keywardRequire} from 'node:module'; const require = __keywardRequire(import.meta.url);"},
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
})
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
