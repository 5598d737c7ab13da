/**
 * Loads a CommonJS bundle (dist/keyward.cjs, or dist/help.cjs for help) the way `require` would, but compiled with a V8 code cache:
 * compiling ~1.5 MB of JavaScript is most of a short run's start-up on Node 20, which has no compile cache
 * of its own (on Node 22 and 24 this measured faster than their module.enableCompileCache too). The cache is
 * written at the end of a run that found none (so it holds every function that run compiled, not only the top
 * level), one file per kind of run (help, `keys list`, `spend report`…: each loads only what it needs), under
 * the user's cache folder: `$XDG_CACHE_HOME/keyward/v8` or `~/.cache/keyward/v8`, named by the build's
 * content hash, the Node version and the architecture. V8 checks the rest (its version and flags) and
 * rejects a cache that does not fit; a rejected or missing cache only means compiling from source. Nothing
 * here is ever fatal: an unreadable, unwritable or corrupt cache folder leaves keyward working, just slower.
 *
 * Built on its own into dist/code-cache.cjs (Node built-ins only) and loaded by bin/run.js.
 */
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs'
import type Module from 'node:module'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'

import {WASM_DEFAULT_TIERS} from '../api/wasm-flags.js'

/** At most this many cache files per build (one per kind of run; typos make kinds too). */
const MAX_FILES = 32
/** A script whose cache, made at start and checked at exit, tells whether V8's flags are as they were. */
const PROBE = '"keyward: flags as at start"'

export interface LoadOptions {
  /** Where cache files go; undefined turns the cache off. */
  cacheDir: string | undefined
  /**
   * What the bundle's `import()` calls resolve to (it calls `__keywardImport`, see scripts/build.mjs). A
   * script compiled by `vm` has no module loader of its own: Node 20 refuses `import()` in it without
   * --experimental-vm-modules, so the bin passes a function that imports from its own (real) module.
   */
  importModule: (specifier: string) => Promise<unknown>
  /** What kind of run this is (`help`, `keys list`): each kind has its own cache file. */
  label: string
  /**
   * Loading the help bundle (dist/help.cjs): its one cache file is named `help`, and `alsoAs` is the whole
   * bundle's path, whose `require` gets it too (it stands in for the whole one).
   */
  helpBundle?: {alsoAs: string}
}

/** `$XDG_CACHE_HOME/keyward/v8`, else `~/.cache/keyward/v8` (oclif's own cache folder for keyward, plus v8). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'keyward', 'v8')
  let home: string | undefined
  try {
    home = os.homedir()
  } catch {
    return undefined
  }
  return home ? path.join(home, '.cache', 'keyward', 'v8') : undefined
}

/**
 * The cache file's name for this build, this Node and this kind of run: any change to one selects another
 * file. The build writes the hash of its bundles' content on each bundle's first line (`//keyward-bundle
 * <hash>`, so nothing is hashed at run time); a bundle without that line gets no cache.
 */
export function cacheFileName(source: string, label: string, helpBundle = false): {name: string; build: string} | undefined {
  const id = /^\/\/keyward-bundle ([0-9a-f]{32})\n/.exec(source.slice(0, 64))?.[1]
  if (!id) return undefined
  const typed = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run'
  // `help` names the help bundle's one cache: no run of the whole bundle (`keyward HELP`, or help while the
  // manifest is missing) may take it over, or the two bundles would replace each other's file on every run.
  const kind = helpBundle ? 'help' : typed === 'help' ? 'run-help' : typed
  const build = `keyward-${id}-${process.version}-${process.arch}-`
  return {name: `${build}${kind}.v8`, build}
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** Written whole to a temporary file in the same folder, then renamed over the old one (0600, folder 0700). */
function writeCache(dir: string, {name, build: prefix}: {name: string; build: string}, data: Buffer): void {
  const file = path.join(dir, name)
  const tmp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const names = readdirSync(dir)
    // Caches of other builds for this Node are dead weight (an upgrade); other Node versions' are kept
    // (one user may run several), unless untouched for a month.
    const thisNode = `-${process.version}-${process.arch}-`
    const monthAgo = Date.now() - 30 * 24 * 3600 * 1000
    for (const other of names) {
      if (!other.startsWith('keyward-') || !other.endsWith('.v8') || other.startsWith(prefix)) continue
      const p = path.join(dir, other)
      if (other.includes(thisNode) || statSync(p).mtimeMs < monthAgo) unlinkSync(p)
    }
    if (names.filter((n) => n.startsWith(prefix)).length >= MAX_FILES) return
    const fd = openSync(tmp, 'w', 0o600)
    try {
      writeSync(fd, data)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
  } catch {
    try {
      unlinkSync(tmp)
    } catch {
      // nothing to clean up
    }
  }
}

/**
 * The build writes the bundle as this function (after its `//keyward-bundle <hash>` line), then a call of it, so
 * the file is also an ordinary CommonJS module. The loader compiles the file's text without the call: a slice of
 * the string it read, which V8 compiles without copying (a wrapper added here made a second 1.7 MB string).
 */
export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname, __keywardImport) {'
export const BUNDLE_TAIL = '\n}).call(exports, exports, require, module, __filename, __dirname);\n'

/** The function expression to compile: the file without its last call, or (another layout) the file wrapped. */
export function functionSource(source: string): string {
  const end = source.length - BUNDLE_TAIL.length + '\n})'.length
  if (source.endsWith(BUNDLE_TAIL) && source.indexOf(BUNDLE_HEAD) === source.indexOf('\n') + 1) return source.slice(0, end)
  return `${BUNDLE_HEAD} ${source}\n})`
}

/** Loads `file` as a CommonJS module (in require's cache, so a later `require(file)` gets the same exports). */
export function loadBundle(file: string, opts: LoadOptions): Record<string, unknown> {
  // The build makes the bundle pure ASCII (scripts/build.mjs): latin1 reads it as a one-byte string, fast.
  const source = readFileSync(file, 'latin1')
  const named = cacheFileName(source, opts.label, opts.helpBundle !== undefined)
  const cacheDir = named ? opts.cacheDir : undefined
  const cached = cacheDir && named ? readCache(path.join(cacheDir, named.name)) : undefined
  const script = new vm.Script(functionSource(source), {filename: file, cachedData: cached})
  if (cacheDir && named && (cached === undefined || script.cachedDataRejected)) {
    // At exit the cache also holds every function this run compiled, not only the top level. It must be made
    // under the flags the next run will check it with, the ones this run started with: the run may have
    // changed one (../api/wasm-flags.ts), which is put back first. A probe made now tells whether that worked
    // (a cache V8 would reject is not written); its two names keep V8 from answering it from memory.
    const probe = new vm.Script(PROBE, {filename: 'keyward-flags-at-start'}).createCachedData()
    process.once('exit', () => {
      try {
        process.getBuiltinModule('node:v8').setFlagsFromString(WASM_DEFAULT_TIERS)
        if (new vm.Script(PROBE, {filename: 'keyward-flags-at-exit', cachedData: probe}).cachedDataRejected) return
        writeCache(cacheDir, named, script.createCachedData())
      } catch {
        // never fatal
      }
    })
  }
  // CommonJS's Module class, from this module itself: `node:module` would also load Node's source-map support.
  const ModuleClass = module.constructor as typeof Module & {_nodeModulePaths(dir: string): string[]}
  const mod = new ModuleClass(file)
  mod.filename = file
  mod.paths = ModuleClass._nodeModulePaths(path.dirname(file))
  const req = ModuleClass.createRequire(file)
  req.cache[file] = mod
  if (opts.helpBundle) req.cache[opts.helpBundle.alsoAs] = mod
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string, importModule: LoadOptions['importModule']) => void
  fn.call(mod.exports, mod.exports, req, mod, file, path.dirname(file), opts.importModule)
  mod.loaded = true
  return mod.exports as Record<string, unknown>
}
