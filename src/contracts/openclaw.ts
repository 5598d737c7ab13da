/** The --json results of `openclaw connect` and `openclaw status`. */
import type {OpenClawModel} from '../domain/openclaw-models.js'
import type {ResetVerdict} from '../domain/monthly-reset.js'

/** `openclaw connect`; also its --json output. The key itself is never part of it. */
export interface ConnectResult {
  alias: string
  /** A key was minted by this run. */
  minted: boolean
  /** `sk-...WXYZ`, as the proxy names the key. */
  keyName: string | null
  /** Where the key came from: minted now, or the working key OpenClaw already had. */
  keySource: 'minted' | 'existing' | 'would-mint' | 'rotated' | 'would-rotate'
  configPath: string
  envPath: string
  /** The OpenClaw version the config was written for (on PATH, else the config's meta), if known. */
  openclawVersion: string | null
  /** How `apiKey` is written: a SecretRef object, or the `${LITELLM_API_KEY}` string. */
  apiKeyForm: 'secret-ref' | 'string'
  backupPath: string | null
  baseUrl: string
  models: OpenClawModel[]
  primary: string | null
  primaryChanged: boolean
  /** Something was (or, with --dry-run, would be) written: the config or the .env file. */
  changed: boolean
  configChanged: boolean
  envChanged: boolean
  budget: number | null
  period: string | null
  resetAt: string | null
  dryRun: boolean
  /** The config change as a unified diff (only with --dry-run). */
  diff: string | null
  warnings: string[]
}

/** Where OpenClaw takes its key from: the environment wins over its .env, which wins over gateway.env. */
export type KeySource = 'environment' | '.env' | 'gateway.env' | 'config'

/** A different key in a source OpenClaw does not use (it loses to `key.source`). */
export interface OtherKey {
  source: KeySource
  path: string | null
  name: string
  valid: boolean | null
  alias: string | null
  remaining: number | null
  budget: number | null
  status: string | null
}

/** `openclaw status`; also its --json output. */
export interface OpenClawStatusResult {
  configPath: string
  envPath: string
  configFound: boolean
  /** `models.providers.litellm` is present. */
  connected: boolean
  provider: {
    baseUrl: string | null
    api: string | null
    /** How the key is referenced (`${LITELLM_API_KEY}`, `SecretRef env:default:LITELLM_API_KEY`); a literal key is shown abbreviated. */
    apiKey: string | null
    models: string[]
  } | null
  otherProviders: string[]
  primary: string | null
  /** The proxy URL the key was checked against. */
  checkedAt: string | null
  key: {
    variable: string | null
    /** The key OpenClaw really uses: where it comes from. */
    source: KeySource | null
    /** The file it is in (null for the environment). */
    path: string | null
    name: string | null
    valid: boolean | null
    alias: string | null
    error: string | null
  }
  budget: {
    spent: number
    budget: number | null
    remaining: number | null
    pctUsed: number | null
    period: string | null
    resetAt: string | null
    status: string
    resetCheck: ResetVerdict | null
  } | null
  /** Different keys in the sources OpenClaw does not use, each checked. */
  otherKeys: OtherKey[]
  problems: string[]
}
