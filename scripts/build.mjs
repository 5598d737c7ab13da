// Build: type-check with tsc, bundle src/ into one CommonJS file (dist/keyward.cjs) with esbuild, then write
// oclif.manifest.json so start-up never loads a command to list or describe it. Neither output is committed.
//
// Start-up is the reason for the shape (see bench/startup.ts):
// - One file, so bin/run.js can compile it with a V8 code cache (src/cli/code-cache.ts) instead of
//   compiling ~1.5 MB of JavaScript on every run.
// - Commands are found through oclif's explicit strategy: `COMMANDS` maps each id to a getter that
//   evaluates that command's modules (and what they import: undici, zod, date-fns) the first time oclif
//   asks for it. `--help`, topics and the unknown-command hook never evaluate a command.
// - No oclif plugin: `help` is keyward's own command (src/commands/help.ts), so Config.load resolves and reads
//   no second package; the TypeScript loaders oclif only uses in development stay out.
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import {build} from 'esbuild'

import {SOURCE_PATCHES} from './source-patches.mjs'

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
// The help bundle (dist/help.cjs) is the same entry with one command, `help`: bin/run.js loads it instead of the
// whole bundle for a run that only shows help (src/cli/run-kind.ts), a quarter of the JavaScript to read and
// set up. Such a run never loads another command; if one ever did, that command's entry hands the whole run to
// the full bundle (a fresh start there, with nothing printed yet).
const entryFor = (only) =>
  [
    `export {execute} from '@oclif/core/execute'`,
    `export const COMMANDS = {}`,
    `const define = (id, load) => Object.defineProperty(COMMANDS, id, {enumerable: true, get: () => load().default})`,
    ...commands.map((c) =>
      !only || only.includes(c.id)
        ? `define(${JSON.stringify(c.id)}, () => require(${JSON.stringify(c.file)}))`
        : `define(${JSON.stringify(c.id)}, () => ({default: {run: () => globalThis.__keywardFullBundle().execute({dir: globalThis.__keywardRoot})}}))`,
    ),
    `export function commandNotFound(opts) { return require('./src/cli/hooks/command-not-found.ts').default.call(this, opts) }`,
    // oclif loads its helpClass by path (dist/cli/help.cjs, below): the class itself lives in the bundle.
    `export function helpClass() { return require('./src/cli/help.ts').default }`,
    `globalThis.__keywardHelpClass = helpClass`,
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
    b.onLoad({filter: /[\\/]node_modules[\\/].*\.(c|m)?js$/}, async (args) => {
      let text = readFileSync(args.path, 'utf8')
      let resolveDir
      let changed = false
      for (const p of SOURCE_PATCHES.filter((x) => x.file.test(args.path))) {
        for (const [from, to] of [[p.from, p.to], ...(p.then ?? [])]) {
          if (!text.includes(from)) throw new Error(`${args.path}: '${from}' not found (did the dependency change? see SOURCE_PATCHES in scripts/build.mjs)`)
          text = text.replace(from, typeof to === 'function' ? to() : to)
        }
        if (p.resolveFrom) resolveDir = path.dirname((await b.resolve(p.resolveFrom, {resolveDir: path.dirname(args.path), kind: 'dynamic-import'})).path)
        changed = true
      }
      if (text.match(IMPORT_CALL)) {
        text = text.replace(IMPORT_CALL, '__keywardDynamicImport(')
        changed = true
      }
      return changed ? {contents: text, loader: 'js', ...(resolveDir ? {resolveDir} : {})} : undefined
    })
  },
}
// Two dependencies load more than keyward uses, every run; both are trimmed here, in the bundle only:
// - zod's namespace (`import {z} from 'zod'`) carries every locale (300 KB): keyward speaks English, the one
//   locale zod sets itself, so `locales` holds `en` only.
// - undici's HTTP/2 client loads node:http2 (and with it tls) when it is first required, ~20 ms, although
//   keyward never enables HTTP/2: it gets http2's constants (protocol numbers and header names, copied
//   from this Node at build time) and a connect() that loads the real module on first use.
const trimDependencies = {
  name: 'trim-dependencies',
  setup(b) {
    b.onResolve({filter: /^\.\.\/locales\/index\.js$/}, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? {path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales'} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'zod-locales'}, (args) => ({contents: `export {default as en} from './en.js'`, resolveDir: path.dirname(args.path), loader: 'js'}))
    // oclif's core requires node:child_process, node:perf_hooks, node:readline and node:fs/promises when it
    // loads, ~15 ms, and uses them only in a few functions (TypeScript's output reads `module.member` at each
    // call; fs/promises: tsconfig reading in development and the file/directory flag parsers, which keyward
    // does not use): it gets a stand-in that loads the real module on first use.
    // The same for packages oclif requires when it loads and calls only in code most runs never reach: tinyglobby
    // (with fdir and picomatch: command discovery by file pattern; keyward's commands are explicit), lilconfig (an
    // `oclif` section outside package.json; keyward's is in package.json; it loads node:fs/promises) and minimatch
    // (plugin patterns; keyward has no plugin).
    b.onResolve({filter: /^(node:(child_process|perf_hooks|readline|fs\/promises)|tinyglobby|lilconfig|minimatch)$/}, (args) =>
      /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? {path: args.path, namespace: 'lazy-builtin', pluginData: {resolveDir: args.resolveDir}} : undefined,
    )
    // oclif's logger makes a `debug` function per namespace, which writes only for namespaces named in DEBUG (read
    // once, when debug loads). Loading debug loads node:tty, node:os and supports-color; with DEBUG unset (or
    // empty) every namespace is off, so the logger gets functions that do nothing, as debug's own would.
    b.onResolve({filter: /^debug$/}, (args) =>
      /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]logger\.js$/.test(args.importer) ? {path: 'debug', namespace: 'lazy-debug', pluginData: {resolveDir: args.resolveDir}} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'lazy-debug'}, (args) => ({
      contents: `const off = (namespace) => Object.assign(() => {}, {enabled: false, namespace, extend: (sub, delimiter = ':') => off(namespace + delimiter + sub)})
module.exports = process.env.DEBUG ? require('debug') : off`,
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }))
    b.onLoad({filter: /.*/, namespace: 'lazy-builtin'}, (args) => ({
      resolveDir: args.pluginData.resolveDir,
      contents: `let real; const load = () => (real ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, {get: (_, k) => load()[k], has: (_, k) => k in load(), ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); return d && {...d, configurable: true} }})`,
      loader: 'js',
    }))
    b.onResolve({filter: /^node:http2$/}, (args) => (/[\\/]node_modules[\\/]undici[\\/]/.test(args.importer) ? {path: 'node:http2', namespace: 'lazy-http2'} : undefined))
    b.onLoad({filter: /.*/, namespace: 'lazy-http2'}, async () => {
      const {constants} = await import('node:http2')
      return {contents: `module.exports = {constants: ${JSON.stringify(constants)}, connect: (...args) => require('node:http2').connect(...args)}`, loader: 'js'}
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
const bundleOptions = {
  ...common,
  // Dependencies only one rarely used option needs stay in node_modules, required from there when used: every
  // run reads the whole bundle and keeps it in memory. @redis/client (--state redis://, 630 KB) and its
  // optional peers (OpenTelemetry metrics, xxhash digests, loaded only if installed); jq-wasm (--jq), which
  // reads its .wasm file from beside itself.
  external: ['typescript', 'ts-node', 'tsx', '@redis/client', '@opentelemetry/api', '@node-rs/xxhash', 'jq-wasm'],
  plugins: [routeDynamicImports, trimDependencies],
  banner: {js: IMPORT_BANNER},
  metafile: true,
}
// The loader that compiles the bundle with a code cache: Node built-ins only, loaded before everything.
// With it, how bin/run.js tells a help run from the others (src/cli/run-kind.ts).
await build({
  ...common,
  stdin: {contents: `export * from './src/cli/code-cache.ts'\nexport * from './src/cli/run-kind.ts'`, loader: 'ts', resolveDir: process.cwd(), sourcefile: 'loader.ts'},
  outfile: 'dist/code-cache.cjs',
})
const {BUNDLE_HEAD, BUNDLE_TAIL} = createRequire(import.meta.url)('../dist/code-cache.cjs')
// Pure ASCII, so the loader reads it as a one-byte string (several times faster to read and to compile than
// the two-byte string a single non-ASCII character makes). esbuild escapes strings but leaves a few characters
// in regular expressions (ansi-regex's CSI, U+009B), where \uXXXX means the same character.
// An external ESM package that keyward's own code imports on demand (jq-wasm for --jq) keeps its import(),
// which a script compiled by `vm` cannot run on Node 20: it goes through the loader's function too.
const EXTERNAL_IMPORT = /\bimport\((["'])(jq-wasm)\1\)/g
// The body is the function the loader compiles (src/cli/code-cache.ts: BUNDLE_HEAD, BUNDLE_TAIL), written out
// here so the loader compiles the text it read as it is: wrapping it at run time made V8 copy the whole
// bundle into a second string, kept to the end of the run. The call on the last line makes the same file an
// ordinary CommonJS module for `require` (oclif's manifest, and dist/cli/help.cjs outside bin/run.js).
async function bundleBody(outfile, entry) {
  const result = await build({...bundleOptions, stdin: {contents: entry, loader: 'ts', resolveDir: process.cwd(), sourcefile: 'keyward-entry.ts'}, outfile})
  const bundle = readFileSync(outfile, 'utf8').replace(EXTERNAL_IMPORT, '__keywardDynamicImport($1$2$1)').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return {outfile, result, body: `${BUNDLE_HEAD}${bundle}${BUNDLE_TAIL}`}
}
const bundles = [await bundleBody('dist/keyward.cjs', entryFor(undefined)), await bundleBody('dist/help.cjs', entryFor(['help']))]
const {result} = bundles[0]
// The first line names the build, both bundles' content (code caches are keyed by it, with the Node version and
// the kind of run, and one build's caches replace another's): no hashing at run time.
const hash = createHash('sha256')
for (const b of bundles) hash.update(b.body)
const id = hash.digest('hex').slice(0, 32)
for (const b of bundles) writeFileSync(b.outfile, `//keyward-bundle ${id}\n${b.body}`)
// The helpClass oclif loads by path: the bundle's class when bin/run.js has loaded the bundle, else the bundle's own.
mkdirSync('dist/cli', {recursive: true})
writeFileSync('dist/cli/help.cjs', `'use strict'\nmodule.exports = (globalThis.__keywardHelpClass ?? require('../keyward.cjs').helpClass)()\n`)
if (process.argv.includes('--metafile')) writeFileSync('dist/meta.json', JSON.stringify(result.metafile))
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
// oclif's help loads a command whose help is dynamic (`hasDynamicHelp`), which the help bundle cannot do.
const dynamic = Object.values(JSON.parse(readFileSync('oclif.manifest.json', 'utf8')).commands).filter((c) => c.hasDynamicHelp)
if (dynamic.length > 0) throw new Error(`dynamic help (${dynamic.map((c) => c.id).join(', ')}): the help bundle (dist/help.cjs) describes commands from the manifest only`)
