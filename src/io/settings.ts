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

export function resolveSettings({flags, env, file}: SettingsInput): Settings {
  const profileName = nonEmpty(flags.profile) ?? nonEmpty(env.KEYWARD_PROFILE) ?? file.defaultProfile ?? DEFAULT_PROFILE
  const profile: Profile = ownValue(file.profiles, profileName) ?? {}

  let baseUrl = DEFAULT_BASE_URL
  let baseUrlSource: Source = 'default'
  if (nonEmpty(flags.baseUrl)) [baseUrl, baseUrlSource] = [flags.baseUrl!.trim(), 'flag']
  else if (nonEmpty(env.LITELLM_PROXY_URL)) [baseUrl, baseUrlSource] = [env.LITELLM_PROXY_URL!.trim(), 'env']
  else if (profile.baseUrl) [baseUrl, baseUrlSource] = [profile.baseUrl, 'config']

  let adminKey: string | undefined
  let adminKeySource: Source = 'none'
  let adminKeyName: string | undefined
  if (nonEmpty(env.LITELLM_MASTER_KEY)) [adminKey, adminKeySource, adminKeyName] = [nonEmpty(env.LITELLM_MASTER_KEY), 'env', 'LITELLM_MASTER_KEY']
  else if (nonEmpty(env.LITELLM_PROXY_API_KEY)) [adminKey, adminKeySource, adminKeyName] = [nonEmpty(env.LITELLM_PROXY_API_KEY), 'env', 'LITELLM_PROXY_API_KEY']
  else if (profile.masterKey) [adminKey, adminKeySource, adminKeyName] = [profile.masterKey, 'config', `profile ${profileName}`]

  let apiKey: string | undefined
  let apiKeySource: Source = 'none'
  if (nonEmpty(env.LITELLM_API_KEY)) [apiKey, apiKeySource] = [nonEmpty(env.LITELLM_API_KEY), 'env']
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
    keyHeader: nonEmpty(env.KEYWARD_KEY_HEADER) ?? profile.keyHeader,
    timeoutMs: Math.round((Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS : DEFAULT_TIMEOUT_S) * 1000),
  }
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
