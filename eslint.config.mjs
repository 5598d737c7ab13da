// ESLint (flat config) with typescript-eslint: the recommended rules that the code keeps, and a line-length
// limit. Kept modest on purpose: it guards against new mistakes, it is not a style rewrite.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const node = {process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', AbortSignal: 'readonly', AbortController: 'readonly', WebAssembly: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly'}

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'oclif.manifest.json', 'coverage/', '.stryker-tmp/', 'reports/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,mjs,js,cjs}'],
    languageOptions: {globals: node},
    rules: {
      // 160 columns of code. Help texts and messages are single strings (wrapping them would change
      // what is printed), so strings, template literals, URLs and regular expressions may run longer.
      'max-len': ['error', {code: 160, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true}],
      // `_name` marks a value that is deliberately left out (e.g. `const {source: _source, ...rest} = x`).
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
      // A default before a try/catch that may overwrite it reads more safely than one assigned only in the catch.
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {...node, module: 'writable', require: 'readonly', __dirname: 'readonly'}},
  },
  {
    // The bins are CommonJS (bin/package.json: the bundle is loaded with require and a code cache).
    files: ['bin/**/*.js'],
    languageOptions: {sourceType: 'commonjs', globals: {...node, module: 'writable', require: 'readonly', __dirname: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests look for escape and control characters on purpose (terminal and CSV sanitising).
      'no-control-regex': 'off',
      // Table layouts are asserted with their literal spacing.
      'no-regex-spaces': 'off',
      // The test server rethrows parse errors as HTTP answers; a cause would never be read.
      'preserve-caught-error': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
)
