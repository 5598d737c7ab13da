/**
 * Loads the CommonJS bundle (dist/keyward.cjs) the way `require` would, but compiled with a V8 code cache:
 * compiling ~1.5 MB of JavaScript is most of a short run's start-up on Node 20, which has no compile cache
 * of its own. The cache is written after the first run (and again when a command not seen before runs, so
 * it also holds the functions that command compiled), under the user's cache folder:
 * `$XDG_CACHE_HOME/keyward/v8` or `~/.cache/keyward/v8`, one file per bundle content hash, Node version and
 * architecture. V8 checks the rest (its own version and flags) and rejects a cache that does not fit; a
 * rejected or missing cache only means compiling from source. Nothing here is ever fatal: an unreadable,
 * unwritable or corrupt cache folder leaves keyward working, just not faster.
 *
 * Built on its own into dist/code-cache.cjs (Node built-ins only) and loaded by bin/run.js.
 */
import {closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'

export interface LoadOptions {
  /** Where cache files go; undefined turns the cache off. */
  cacheDir: string | undefined
  /**
   * What the bundle's `import()` calls resolve to (it calls `__keywardImport`, see scripts/build.mjs). A
   * script compiled by `vm` has no module loader of its own: Node 20 refuses `import()` in it without
   * --experimental-vm-modules, so the bin passes a function that imports from its own (real) module.
   */
  importModule: (specifier: string) => Promise<unknown>
  /** Names what this run does (e.g. `keys list`): a cache written by other commands is extended once with it. */
  label: string
}

interface Header {
  /** What runs the cache has seen (labels), so the first run of another command extends it once. */
  labels: string[]
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
 * The cache file for this bundle content on this Node: any change to either selects another file. The build
 * writes the content's hash on the bundle's first line (`//keyward-bundle <hash>`, so nothing is hashed at
 * run time); a bundle without that line gets no cache.
 */
export function cacheFileName(source: string): string | undefined {
  const id = /^\/\/keyward-bundle ([0-9a-f]{32})\n/.exec(source.slice(0, 64))?.[1]
  return id ? `keyward-${id}-${process.version}-${process.arch}.v8` : undefined
}

function readCache(file: string): {header: Header; data: Buffer} | undefined {
  let buf: Buffer
  try {
    buf = readFileSync(file)
  } catch {
    return undefined
  }
  const nl = buf.indexOf(10)
  if (nl < 0) return undefined
  try {
    const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Header
    if (!Array.isArray(header.labels)) return undefined
    return {header, data: buf.subarray(nl + 1)}
  } catch {
    return undefined
  }
}

/** Written whole to a temporary file in the same folder, then renamed over the old one. */
function writeCache(dir: string, name: string, header: Header, data: Buffer): void {
  const file = path.join(dir, name)
  const tmp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const fd = openSync(tmp, 'w', 0o600)
    try {
      writeSync(fd, `${JSON.stringify(header)}\n`)
      writeSync(fd, data)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
    // Caches for other builds or Node versions are dead weight: keep only this one.
    for (const other of readdirSync(dir)) if (other !== name && other.startsWith('keyward-') && other.endsWith('.v8')) unlinkSync(path.join(dir, other))
  } catch {
    try {
      unlinkSync(tmp)
    } catch {
      // nothing to clean up
    }
  }
}

/** Loads `file` as a CommonJS module (in require's cache, so a later `require(file)` gets the same exports). */
export function loadBundle(file: string, opts: LoadOptions): Record<string, unknown> {
  // The build makes the bundle pure ASCII (scripts/build.mjs): latin1 reads it as a one-byte string, fast.
  const source = readFileSync(file, 'latin1')
  const name = cacheFileName(source)
  const cacheDir = name ? opts.cacheDir : undefined
  const cached = cacheDir && name ? readCache(path.join(cacheDir, name)) : undefined
  const wrapper = `(function (exports, require, module, __filename, __dirname, __keywardImport) { ${source}\n})`
  const script = new vm.Script(wrapper, {filename: file, cachedData: cached?.data})
  const accepted = cached !== undefined && !script.cachedDataRejected
  if (cacheDir && name) {
    const labels = accepted ? cached.header.labels : []
    if (!labels.includes(opts.label)) {
      const dir = cacheDir
      // At exit the cache also holds every function this run compiled, not only the top level.
      process.once('exit', () => {
        try {
          writeCache(dir, name, {labels: [...labels, opts.label].slice(-64)}, script.createCachedData())
        } catch {
          // never fatal
        }
      })
    }
  }
  const mod = new Module(file)
  mod.filename = file
  mod.paths = (Module as unknown as {_nodeModulePaths(dir: string): string[]})._nodeModulePaths(path.dirname(file))
  const req = createRequire(file)
  req.cache[file] = mod
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string, importModule: LoadOptions['importModule']) => void
  fn.call(mod.exports, mod.exports, req, mod, file, path.dirname(file), opts.importModule)
  mod.loaded = true
  return mod.exports as Record<string, unknown>
}
