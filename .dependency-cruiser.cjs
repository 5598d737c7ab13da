/**
 * The import rule of keyward (see ARCHITECTURE.md): src/ is cut into layers, and a file may import
 * only from its own layer or from layers above it in this list. `npm run lint:deps` checks it
 * (and `npm test` runs that first); a broken rule prints its name and fails.
 */
const LAYERS = ['core', 'domain', 'contracts', 'output', 'api', 'io', 'notify', 'workflows', 'cli', 'commands']

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-only-down`,
  comment: `src/${layer}/ may import only ${LAYERS.slice(0, i).join(', ') || 'no other layer'} (and itself)`,
  severity: 'error',
  from: {path: `^src/${layer}/`},
  to: {path: `^src/(${LAYERS.slice(i + 1).join('|')})/`},
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'commands-never-import-commands',
      comment: 'a command is parse → workflow/api → render; what two commands share goes into a layer above',
      severity: 'error',
      from: {path: '^src/commands/'},
      to: {path: '^src/commands/'},
    },
    {
      name: 'no-circular',
      comment: 'no file reaches itself through its imports',
      severity: 'error',
      from: {path: '^src/'},
      to: {circular: true},
    },
    {
      name: 'src-files-live-in-a-layer',
      comment: `every source file is in one of src/{${LAYERS.join(',')}}/ (src/index.ts excepted)`,
      severity: 'error',
      from: {path: '^src/', pathNot: `^src/((${LAYERS.join('|')})/|index\\.ts$)`},
      to: {},
    },
    {
      name: 'src-never-imports-tests',
      comment: 'the program does not reach into test/, bench/ or scripts/',
      severity: 'error',
      from: {path: '^src/'},
      to: {path: '^(test|bench|scripts)/'},
    },
    {
      name: 'no-unresolvable',
      comment: 'an import that resolves to nothing is a typo',
      severity: 'error',
      from: {path: '^src/'},
      to: {couldNotResolve: true},
    },
  ],
  options: {
    // Type-only imports count: they are dependencies a reader has to follow too.
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    doNotFollow: {path: 'node_modules'},
    exclude: {path: '^(dist|node_modules)/'},
    enhancedResolveOptions: {extensions: ['.ts', '.js'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types']},
  },
}
