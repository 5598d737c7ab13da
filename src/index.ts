// The bundled entry point: oclif's execute(), bundled with keyward's commands (see scripts/build.mjs).
export {execute} from '@oclif/core/execute'
