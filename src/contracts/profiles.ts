/** The --json results of `login`, `logout` and `profiles`. */
export interface LoginResult {
  profile: string
  baseUrl: string
  key: string
  verified: boolean
  configFile: string
}

export interface LogoutResult {
  removed: string[]
  configFile: string
  /** The default profile after the logout (another one when the default was removed), or null. */
  defaultProfile: string | null
}

export interface ProfileRow {
  name: string
  default: boolean
  active: boolean
  baseUrl: string | null
  masterKey: string | null
  apiKey: string | null
}

export interface ProfilesResult {
  configFile: string
  profiles: ProfileRow[]
}
