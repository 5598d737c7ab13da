/**
 * Connection settings, resolved flags → environment → config file → defaults.
 * No flag carries a secret: keys come from the environment or the 0600 config file.
 */
import type {ConfigFile, Profile} from './config-file.js'
import {ownValue} from '../core/own.js'

export const DEFAULT_BASE_URL = 'http://localhost:4000'
export const DEFAULT_TIMEOUT_S = 30
export const DEFAULT_PROFILE = 'default'

export type Source = 'flag' | 'env' | 'config' | 'default' | 'none'

export interface Settings {
  profile: string
  baseUrl: string
  baseUrlSource: Source
  /** Master (admin) key: LITELLM_MASTER_KEY, else LITELLM_PROXY_API_KEY, else the profile. */
  adminKey?: string
  adminKeySource: Source
  adminKeyName?: string
  /** A virtual key for self-service reads: LITELLM_API_KEY, else the profile. */
  apiKey?: string
  apiKeySource: Source
  keyHeader?: string
  timeoutMs: number
}

export interface SettingsInput {
  flags: {profile?: string; baseUrl?: string; timeoutS?: number}
  env: Record<string, string | undefined>
  file: ConfigFile
}

const nonEmpty = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined)

/**
 * A profile named on purpose (`--profile` or KEYWARD_PROFILE) wins over the environment for the URL and
 * the keys: `LITELLM_PROXY_URL=X keyward status --profile prod` talks to prod's URL with prod's key.
 * Without a named profile the environment beats the (default) profile. `--base-url` always wins.
 */
export function resolveSettings({flags, env, file}: SettingsInput): Settings {
  const named = nonEmpty(flags.profile) ?? nonEmpty(env.KEYWARD_PROFILE)
  const profileName = named ?? file.defaultProfile ?? DEFAULT_PROFILE
  const profile: Profile = ownValue(file.profiles, profileName) ?? {}
  const profileFirst = named !== undefined && ownValue(file.profiles, named) !== undefined

  let baseUrl = DEFAULT_BASE_URL
  let baseUrlSource: Source = 'default'
  if (nonEmpty(flags.baseUrl)) [baseUrl, baseUrlSource] = [flags.baseUrl!.trim(), 'flag']
  else if (profileFirst && profile.baseUrl) [baseUrl, baseUrlSource] = [profile.baseUrl, 'config']
  else if (nonEmpty(env.LITELLM_PROXY_URL)) [baseUrl, baseUrlSource] = [env.LITELLM_PROXY_URL!.trim(), 'env']
  else if (profile.baseUrl) [baseUrl, baseUrlSource] = [profile.baseUrl, 'config']

  let adminKey: string | undefined
  let adminKeySource: Source = 'none'
  let adminKeyName: string | undefined
  if (profileFirst && profile.masterKey) [adminKey, adminKeySource, adminKeyName] = [profile.masterKey, 'config', `profile ${profileName}`]
  else if (nonEmpty(env.LITELLM_MASTER_KEY)) [adminKey, adminKeySource, adminKeyName] = [nonEmpty(env.LITELLM_MASTER_KEY), 'env', 'LITELLM_MASTER_KEY']
  else if (nonEmpty(env.LITELLM_PROXY_API_KEY)) [adminKey, adminKeySource, adminKeyName] = [nonEmpty(env.LITELLM_PROXY_API_KEY), 'env', 'LITELLM_PROXY_API_KEY']
  else if (profile.masterKey) [adminKey, adminKeySource, adminKeyName] = [profile.masterKey, 'config', `profile ${profileName}`]

  let apiKey: string | undefined
  let apiKeySource: Source = 'none'
  if (profileFirst && profile.apiKey) [apiKey, apiKeySource] = [profile.apiKey, 'config']
  else if (nonEmpty(env.LITELLM_API_KEY)) [apiKey, apiKeySource] = [nonEmpty(env.LITELLM_API_KEY), 'env']
  else if (profile.apiKey) [apiKey, apiKeySource] = [profile.apiKey, 'config']

  const timeoutS = flags.timeoutS ?? (nonEmpty(env.KEYWARD_TIMEOUT) ? Number(env.KEYWARD_TIMEOUT) : DEFAULT_TIMEOUT_S)
  return {
    profile: profileName,
    baseUrl,
    baseUrlSource,
    adminKey,
    adminKeySource,
    adminKeyName,
    apiKey,
    apiKeySource,
    keyHeader: (profileFirst ? profile.keyHeader : undefined) ?? nonEmpty(env.KEYWARD_KEY_HEADER) ?? profile.keyHeader,
    timeoutMs: Math.round((Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS : DEFAULT_TIMEOUT_S) * 1000),
  }
}

/** Where a setting came from, in the words of an error message. */
export function describeSource(source: Source, s: Settings, what: 'url' | 'admin' | 'api'): string {
  if (what === 'admin' && source === 'env') return s.adminKeyName ?? 'the environment'
  if (source === 'env') return what === 'url' ? 'LITELLM_PROXY_URL' : 'LITELLM_API_KEY'
  if (source === 'config') return `profile ${s.profile}`
  if (source === 'flag') return '--base-url'
  return 'the default'
}

/**
 * A key may only go to a URL from the same source: a key from the environment to a URL from the
 * environment, a profile's key to that profile's URL. A URL typed as --base-url, or the default
 * (loopback), takes any key. Returns the refusal, or undefined when the pair is fine.
 */
export function keySourceMismatch(s: Settings, which: 'admin' | 'api'): string | undefined {
  const keySource = which === 'admin' ? s.adminKeySource : s.apiKeySource
  if (keySource === 'none' || s.baseUrlSource === 'flag' || s.baseUrlSource === 'default') return undefined
  if (keySource === s.baseUrlSource) return undefined
  const key = describeSource(keySource, s, which)
  const url = describeSource(s.baseUrlSource, s, 'url')
  return `the proxy URL comes from ${url} but the ${which === 'admin' ? 'admin' : 'API'} key from ${key}: keyward will not send a key to a URL from another source`
}

/** A base URL must be http(s) with a host; checked before any request. Returns the normalised URL or an error text. */
export function checkBaseUrl(value: string): {ok: true; url: string; droppedV1?: boolean} | {ok: false; message: string} {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    return {ok: false, message: `invalid proxy URL '${value}': use http(s)://host[:port], e.g. http://localhost:4000`}
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return {ok: false, message: `invalid proxy URL '${value}': only http:// and https:// are supported`}
  }
  if (!u.hostname) return {ok: false, message: `invalid proxy URL '${value}': no host`}
  if (u.username || u.password) return {ok: false, message: `invalid proxy URL: do not put credentials in the URL; use LITELLM_MASTER_KEY or keyward login`}
  if (u.search || u.hash) return {ok: false, message: `invalid proxy URL '${value}': remove the query or fragment`}
  const url = u.toString().replace(/\/+$/, '')
  // OpenAI-style base URLs end in /v1; keyward talks to the proxy's admin routes, which live at its root.
  if (/\/v1$/i.test(url)) return {ok: true, url: url.replace(/\/v1$/i, ''), droppedV1: true}
  return {ok: true, url}
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
}

/** Plain http:// to a host that is not this machine: the key would cross the network in clear. */
export function isInsecureUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' && !isLoopbackHost(u.hostname)
  } catch {
    return false
  }
}
