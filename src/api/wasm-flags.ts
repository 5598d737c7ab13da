/**
 * keyward compiles two WebAssembly modules: undici parses HTTP with one (llhttp), and `--jq` is jq compiled to
 * WebAssembly. Left to itself, V8 soon recompiles them with its optimising compiler in the background, and a
 * short-lived process then waits at exit for that work (measured: a one-request run twice as long, 94 MB instead
 * of 58). The baseline compiler alone parses as fast as the proxy can send (measured on a 200,000-row export), so
 * keyward turns the optimising tier off: `--liftoff-only`.
 *
 * When matters. V8 keeps one hash of its flags and a code cache made under other flags is rejected: Node's own
 * built-in modules (node:net, the streams) are loaded from such a cache, and so is keyward's bundle
 * (src/cli/code-cache.ts). Set when a run starts, the flag made Node compile every built-in loaded after it from
 * source. So it is set just before the first request (src/api/undici.ts: llhttp is compiled then) or before jq
 * is loaded, after those modules have loaded, and the bundle's cache is written with the flags put back as every
 * run starts with them.
 */
export const WASM_BASELINE_ONLY = '--liftoff-only'
/**
 * V8's defaults again: the flag off, and the two it turned off with it (`--liftoff-only` implies
 * `--no-wasm-tier-up --no-wasm-dynamic-tiering` on Node 20 and 22; without them back, the hash still differs).
 */
export const WASM_DEFAULT_TIERS = '--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering'

let set = false
/**
 * Turns V8's optimising tier for WebAssembly off, once: call it before compiling a WebAssembly module, with the
 * URL the run's requests go to. For an https:// URL, Node's TLS modules are loaded first: the connection would
 * load them after the flag, compiled from source (about 9 ms), not from Node's cache.
 */
export function baselineWasmOnly(url?: URL): void {
  if (set) return
  set = true
  if (url?.protocol === 'https:') process.getBuiltinModule('node:tls')
  process.getBuiltinModule('node:v8').setFlagsFromString(WASM_BASELINE_ONLY)
}
