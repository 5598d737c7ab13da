// Build: type-check with tsc, bundle src/ into one CommonJS file (dist/keyward.cjs) with esbuild, then write
// oclif.manifest.json so start-up never loads a command to list or describe it. Neither output is committed.
//
// Start-up is the reason for the shape (see bench/startup.ts):
// - One file, so bin/run.js can compile it with a V8 code cache (src/cli/code-cache.ts) instead of
//   compiling ~1.5 MB of JavaScript on every run.
// - Commands are found through oclif's explicit strategy: `COMMANDS` maps each id to a getter that
//   evaluates that command's modules (and what they import: undici, zod, date-fns) the first time oclif
//   asks for it. `--help`, topics and the unknown-command hook never evaluate a command.
// - The oclif plugins (help, autocomplete) keep their own copy in node_modules, as oclif plugins do;
//   the TypeScript loaders oclif only uses in development stay out.
import {execFileSync} from 'node:child_process'
import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {build} from 'esbuild'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
const walk = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name)
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
    })
const posix = (p) => p.split(path.sep).join('/')

rmSync('dist', {recursive: true, force: true})
rmSync('oclif.manifest.json', {force: true})
if (!process.argv.includes('--no-check')) run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'])

// The entry: oclif's execute(), the command table and the hook, each command behind a lazy require().
const commands = walk('src/commands').map((file) => ({id: posix(path.relative('src/commands', file)).replace(/\.ts$/, '').replaceAll('/', ':'), file: `./${posix(file)}`}))
const entry = [
  `export {execute} from '@oclif/core/execute'`,
  `export const COMMANDS = {}`,
  `const define = (id, load) => Object.defineProperty(COMMANDS, id, {enumerable: true, get: () => load().default})`,
  ...commands.map((c) => `define(${JSON.stringify(c.id)}, () => require(${JSON.stringify(c.file)}))`),
  `export function commandNotFound(opts) { return require('./src/hooks/command-not-found.ts').default.call(this, opts) }`,
].join('\n')

// A script compiled by `vm` (as bin/run.js does, for the code cache) cannot use `import()` on Node 20: the
// callback it would need is behind --experimental-vm-modules and is lost when the script comes from a cache.
// So the bundle's `import()` calls (oclif loading its ESM plugins) go through a function the loader passes
// in (`__keywardImport`), and through a plain `import()` when the bundle is loaded by `require`.
// (A string literal is left to esbuild, which bundles what it names.)
const IMPORT_CALL = /(?<![\w$.'"`])import\s*\((?!\s*['"`])/g
const routeDynamicImports = {
  name: 'route-dynamic-imports',
  setup(b) {
    b.onLoad({filter: /[\\/]node_modules[\\/].*\.(c|m)?js$/}, (args) => {
      const text = readFileSync(args.path, 'utf8')
      if (!text.match(IMPORT_CALL)) return undefined
      return {contents: text.replace(IMPORT_CALL, '__keywardDynamicImport('), loader: 'js'}
    })
  },
}
const IMPORT_BANNER = `var __keywardDynamicImport = typeof __keywardImport === 'function' ? __keywardImport : (s) => import(s);`

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: !process.argv.includes('--readable'),
  minifySyntax: true,
}
const result = await build({
  ...common,
  stdin: {contents: entry, loader: 'ts', resolveDir: process.cwd(), sourcefile: 'keyward-entry.ts'},
  outfile: 'dist/keyward.cjs',
  external: ['@oclif/plugin-help', '@oclif/plugin-autocomplete', 'typescript', 'ts-node', 'tsx'],
  plugins: [routeDynamicImports],
  banner: {js: IMPORT_BANNER},
  metafile: true,
})
// The loader that compiles the bundle with a code cache: Node built-ins only, loaded before everything.
await build({...common, entryPoints: ['src/cli/code-cache.ts'], outfile: 'dist/code-cache.cjs'})
if (process.argv.includes('--metafile')) writeFileSync('dist/meta.json', JSON.stringify(result.metafile))
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
