/**
 * Where OpenClaw reads its config and its `.env`, resolved the way OpenClaw 2026.9.6 resolves them
 * (its src/config/paths.ts, src/config/state-dir.ts, src/infra/home-dir.ts, src/infra/dotenv-global-core.ts
 * and src/cli/profile.ts, read in the installed package). Pure: the environment, the OS home directory
 * and a file-exists test are parameters.
 *
 * - Home: `OPENCLAW_HOME` (a leading `~` is the OS home), else `HOME`, else `USERPROFILE`, else the OS home.
 * - Paths in variables: trimmed; a leading `~` is that home; relative paths are taken from the working directory.
 * - State directory: `OPENCLAW_STATE_DIR`, else `~/.openclaw` when it exists, else a legacy `~/.clawdbot`
 *   when that exists, else `~/.openclaw`.
 * - Config: `OPENCLAW_CONFIG_PATH`; else `openclaw.json` (or legacy `clawdbot.json`) in the state
 *   directory when one exists; else, with `OPENCLAW_STATE_DIR` set, `$OPENCLAW_STATE_DIR/openclaw.json`;
 *   else the first existing of `~/.openclaw/{openclaw,clawdbot}.json`, `~/.clawdbot/{openclaw,clawdbot}.json`;
 *   else `<state dir>/openclaw.json`.
 * - `.env`: `$OPENCLAW_STATE_DIR/.env`, else the `.env` next to `OPENCLAW_CONFIG_PATH`, else `~/.openclaw/.env`
 *   (not a legacy folder). `~/.config/openclaw/gateway.env` is read after it, unless `OPENCLAW_STATE_DIR`
 *   moved the `.env` away from `~/.openclaw/.env`. Variables already in the environment win over both.
 * - `openclaw --profile NAME` (NAME: letters, digits, `_`, `-`; `default` = no profile) sets
 *   `OPENCLAW_STATE_DIR=~/.openclaw-NAME` and `OPENCLAW_CONFIG_PATH=<that>/openclaw.json`, unless those are
 *   already set (to something other than the previous profile's folder).
 */
import path from 'node:path'

import {InputError} from '../core/errors.js'

export type Env = Record<string, string | undefined>

export interface OpenClawLocation {
  /** The home OpenClaw uses (OPENCLAW_HOME-aware). */
  home: string
  stateDir: string
  configPath: string
  /** The `.env` OpenClaw loads its variables from (after the process environment). */
  envPath: string
  /** `~/.config/openclaw/gateway.env` when OpenClaw also reads it, else null. */
  gatewayEnvPath: string | null
  /** What decided the config path. */
  source: 'OPENCLAW_CONFIG_PATH' | 'OPENCLAW_STATE_DIR' | 'profile' | 'default'
  profile: string | null
}

export interface ResolveOptions {
  /** `os.homedir()`. */
  osHome: string
  exists: (file: string) => boolean
  /** As `openclaw --profile NAME`. */
  profile?: string
  cwd?: string
}

const PROFILE_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/i
const CONFIG_FILENAME = 'openclaw.json'
const LEGACY_CONFIG_FILENAMES = ['clawdbot.json']
const STATE_DIRNAME = '.openclaw'
const LEGACY_STATE_DIRNAMES = ['.clawdbot']

/** `openclaw --profile`'s rule for names. */
export function parseOpenClawProfile(raw: string): string {
  const name = raw.trim()
  if (!PROFILE_RE.test(name)) throw new InputError(`invalid OpenClaw profile '${raw}': use letters, digits, '_' and '-' (at most 64, starting with a letter or digit)`, '--openclaw-profile work')
  return name
}

/** A trimmed, non-empty variable. */
const value = (v: string | undefined): string | undefined => v?.trim() || undefined
/** Home variables also ignore the words `undefined` and `null` (OpenClaw's normalizeHomeDirValue). */
const homeValue = (v: string | undefined): string | undefined => {
  const t = value(v)
  return t !== 'undefined' && t !== 'null' ? t : undefined
}

function osHomeOf(env: Env, osHome: string): string {
  return homeValue(env.HOME) ?? homeValue(env.USERPROFILE) ?? osHome
}

function homeOf(env: Env, o: ResolveOptions): string {
  const cwd = o.cwd ?? process.cwd()
  const explicit = homeValue(env.OPENCLAW_HOME)
  if (!explicit) return path.resolve(cwd, osHomeOf(env, o.osHome))
  if (explicit === '~' || explicit.startsWith('~/') || explicit.startsWith('~\\')) return path.resolve(cwd, explicit.replace(/^~(?=$|[\\/])/, () => osHomeOf(env, o.osHome)))
  return path.resolve(cwd, explicit)
}

function userPath(input: string, home: string, cwd: string): string {
  const t = input.trim()
  return path.resolve(cwd, t.startsWith('~') ? t.replace(/^~(?=$|[\\/])/, () => home) : t)
}

function profileDir(name: string, home: string): string {
  return path.join(home, name.toLowerCase() === 'default' ? STATE_DIRNAME : `${STATE_DIRNAME}-${name}`)
}

/** The variables `openclaw --profile NAME` sets before anything is read. */
export function applyProfile(env: Env, profile: string, o: ResolveOptions): Env {
  const name = parseOpenClawProfile(profile)
  const cwd = o.cwd ?? process.cwd()
  const out: Env = {...env}
  const home = homeOf(env, o)
  const inherited = value(env.OPENCLAW_PROFILE) ?? 'default'
  const existingState = value(env.OPENCLAW_STATE_DIR)
  const existingConfig = value(env.OPENCLAW_CONFIG_PATH)
  const inheritedDir = profileDir(PROFILE_RE.test(inherited) ? inherited : 'default', home)
  const selectedDir = profileDir(name, home)
  const switches = inheritedDir !== selectedDir
  const switchesState = Boolean(existingState && switches && userPath(existingState, home, cwd) === inheritedDir)
  const replacesConfig = Boolean(
    switches && (!existingState || switchesState) && existingConfig && userPath(existingConfig, home, cwd) === path.join(inheritedDir, CONFIG_FILENAME),
  )
  out.OPENCLAW_PROFILE = name
  const stateDir = existingState && !switchesState ? existingState : selectedDir
  if (!existingState || switchesState) out.OPENCLAW_STATE_DIR = stateDir
  if (!existingConfig || replacesConfig) out.OPENCLAW_CONFIG_PATH = path.join(userPath(stateDir, home, cwd), CONFIG_FILENAME)
  return out
}

export function resolveOpenClawPaths(input: Env, o: ResolveOptions): OpenClawLocation {
  const cwd = o.cwd ?? process.cwd()
  const env = o.profile === undefined ? input : applyProfile(input, o.profile, o)
  const home = homeOf(env, o)
  const stateOverride = value(env.OPENCLAW_STATE_DIR)
  const configOverride = value(env.OPENCLAW_CONFIG_PATH)
  const defaultStateDir = path.join(home, STATE_DIRNAME)

  let stateDir: string
  if (stateOverride) stateDir = userPath(stateOverride, home, cwd)
  else if (o.exists(defaultStateDir)) stateDir = defaultStateDir
  else stateDir = LEGACY_STATE_DIRNAMES.map((d) => path.join(home, d)).find((d) => o.exists(d)) ?? defaultStateDir

  let configPath: string
  const inState = [CONFIG_FILENAME, ...LEGACY_CONFIG_FILENAMES].map((f) => path.join(stateDir, f))
  if (configOverride) configPath = userPath(configOverride, home, cwd)
  else {
    const existing = inState.find((f) => o.exists(f))
    if (existing) configPath = existing
    else if (stateOverride) configPath = inState[0]!
    else {
      const candidates = [STATE_DIRNAME, ...LEGACY_STATE_DIRNAMES].flatMap((d) => [
        CONFIG_FILENAME,
        ...LEGACY_CONFIG_FILENAMES,
      ].map((f) => path.join(home, d, f)))
      configPath = candidates.find((f) => o.exists(f)) ?? inState[0]!
    }
  }

  const envDir = stateOverride ? stateDir : configOverride ? path.dirname(configPath) : defaultStateDir
  const envPath = path.join(envDir, '.env')
  const gatewayEnvPath = env.OPENCLAW_STATE_DIR !== undefined && path.resolve(envPath) !== path.join(defaultStateDir, '.env') ? null : path.join(home, '.config', 'openclaw', 'gateway.env')
  const profile = o.profile === undefined ? null : parseOpenClawProfile(o.profile)
  const source = configOverride && !(profile && !value(input.OPENCLAW_CONFIG_PATH)) ? 'OPENCLAW_CONFIG_PATH' : profile ? 'profile' : stateOverride ? 'OPENCLAW_STATE_DIR' : 'default'
  return {home, stateDir, configPath, envPath, gatewayEnvPath, source, profile}
}
