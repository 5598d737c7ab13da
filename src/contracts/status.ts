import type {ProxyFeatures} from '../core/wire.js'
import type {AdvisoryMatch} from '../domain/advisories.js'

/** What `keyward status` found; also its --json output. */
export interface StatusResult {
  baseUrl: string
  profile: string
  reachable: boolean
  latencyMs: number | null
  version: string | null
  /** Where the version was read: public readiness, readiness details (with the key), or /openapi.json's info.version. */
  versionSource: 'readiness' | 'readiness/details' | 'openapi' | null
  db: string | null
  key: {
    role: 'admin' | 'self' | null
    source: string | null
    name: string | null
    valid: boolean | null
    error: string | null
  }
  /** What the key can do with keyward: everything (the master key), its own key only (a virtual key), or nothing known. */
  access: 'admin' | 'own-key' | null
  features: Omit<ProxyFeatures, 'source'> | null
  /** Security advisories (domain/advisory-data.ts) that apply to `version`; empty when none, or when the version is unknown. */
  advisories: AdvisoryMatch[]
  verdict: 'ok' | 'warning' | 'error'
  problems: string[]
}
