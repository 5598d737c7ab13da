import type {ProxyFeatures} from '../core/wire.js'

/** What `keyward status` found; also its --json output. */
export interface StatusResult {
  baseUrl: string
  profile: string
  reachable: boolean
  latencyMs: number | null
  version: string | null
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
  verdict: 'ok' | 'warning' | 'error'
  problems: string[]
}
