// Start-up costs in dependencies, fixed in keyward's bundle only (scripts/build.mjs applies them; node_modules
// is not touched). Each `from` must be found, so an upgrade that moves it fails the build instead of silently
// losing the fix. Same behaviour, same output (test/e2e/golden.test.ts compares every output with the plain
// build, which has none of these).
export const SOURCE_PATCHES = [
  {
    // oclif sorts each plugin's commands with localeCompare, whose first call sets up ICU's collator: the
    // largest single cost of a short run. In the locales that collate a-z, ':' and '-' as ASCII does (ICU's
    // root and English, and C/POSIX, which ICU reads as en_US_POSIX), ids made only of those characters
    // (every id keyward and its plugins have) are sorted by code unit, without the collator; any other id,
    // or a locale that tailors letters (Czech 'ch', Danish 'aa'…), still goes to localeCompare.
    // test/build-patches.test.ts checks the two orders agree.
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id))',
    to: () => `.sort(((compare) => (a, b) => compare(a.id, b.id))((${compareIds})(process.env)))`,
  },
  {
    // oclif asks wsl-utils whether this is WSL; wsl-utils re-exports is-wsl's answer but also loads
    // node:child_process, node:fs/promises and PowerShell helpers. Ask is-wsl (resolved from wsl-utils).
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/,
    from: "return (await import('wsl-utils')).isWsl ?",
    to: "return (await import('is-wsl')).default ?",
    resolveFrom: 'wsl-utils',
  },
  {
    // undici's util loads all of node:http for one identity check of a rarely passed stream class.
    file: /[\\/]undici[\\/]lib[\\/]core[\\/]util\.js$/,
    from: "const { IncomingMessage } = require('node:http')",
    to: "let IncomingMessage_; const lazyIncomingMessage = () => (IncomingMessage_ ??= require('node:http').IncomingMessage)",
    then: [["constructor === IncomingMessage)", 'constructor === lazyIncomingMessage())']],
  },
  {
    // undici's client loads all of node:http to read one number, the default maximum header size, which is
    // Node's 16 KiB unless --max-http-header-size is given (in the command line or NODE_OPTIONS): only then
    // is node:http asked (test/build-patches.test.ts checks Node's default).
    file: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    from: "const http = require('node:http')",
    to: '',
    then: [
      [
        `const getDefaultNodeMaxHeaderSize = http &&
  http.maxHeaderSize &&
  Number.isInteger(http.maxHeaderSize) &&
  http.maxHeaderSize > 0
  ? () => http.maxHeaderSize
  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }`,
        `const getDefaultNodeMaxHeaderSize = () => {
  const set = (s) => typeof s === 'string' && s.includes('--max-http-header-size')
  if (!process.execArgv.some(set) && !set(process.env.NODE_OPTIONS)) return 16384
  const http = require('node:http')
  if (http && http.maxHeaderSize && Number.isInteger(http.maxHeaderSize) && http.maxHeaderSize > 0) return http.maxHeaderSize
  throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid')
}`,
      ],
    ],
  },
  {
    // oclif reads package.json files (keyward's and its two plugins') with fs/promises, which starts libuv's
    // thread pool: four threads, ~5 ms and ~1 MB of a one-request run that otherwise never needs them. The same
    // read, synchronous, inside the same async function (a missing file still rejects its promise).
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]fs\.js$/,
    from: "const contents = await (0, promises_1.readFile)(path, 'utf8');",
    to: "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
  },
  {
    // zod's namespace builds its JSON-Schema reader when it loads; keyward never reads JSON Schema.
    file: /[\\/]zod[\\/]v4[\\/]classic[\\/]external\.js$/,
    from: 'export { fromJSONSchema } from "./from-json-schema.js";',
    to: 'export const fromJSONSchema = (...args) => require("./from-json-schema.js").fromJSONSchema(...args);',
  },
]

/**
 * The comparator oclif's command sort gets (see above), made for an environment: code-unit order where it
 * is the same as localeCompare's, localeCompare everywhere else. Self-contained: its source is put into the
 * bundle as it is.
 */
export function compareIds(env) {
  // ICU takes the default locale from LC_ALL, then LC_MESSAGES, then LANG; none (or C/POSIX) is en_US_POSIX.
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  const asciiOrder = locale === '' || /^(C|POSIX|en)([_.@-]|$)/.test(locale)
  const plain = /^[a-z:-]*$/
  return (a, b) => (asciiOrder && plain.test(a) && plain.test(b) ? (a < b ? -1 : a > b ? 1 : 0) : a.localeCompare(b))
}
