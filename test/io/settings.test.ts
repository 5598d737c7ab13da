/** Connection settings: flags → environment → config file → defaults, and base-URL checks. */
import {describe, expect, it} from '@jest/globals'

import type {ConfigFile} from '../../src/io/config-file.js'
import {checkBaseUrl, DEFAULT_BASE_URL, keySourceMismatch, resolveSettings} from '../../src/io/settings.js'

const file = (over: Partial<ConfigFile> = {}): ConfigFile => ({
  version: 1,
  profiles: {
    default: {baseUrl: 'http://from-config:4000', masterKey: 'sk-config-master-AAAA', apiKey: 'sk-config-virtual-BBBB'},
    prod: {baseUrl: 'https://prod.example', masterKey: 'sk-prod-master-CCCC', keyHeader: 'x-litellm-api-key'},
  },
  ...over,
})
const empty: ConfigFile = {version: 1, profiles: {}}

describe('base URL', () => {
  it('defaults to http://localhost:4000', () => {
    const s = resolveSettings({flags: {}, env: {}, file: empty})
    expect(s.baseUrl).toBe(DEFAULT_BASE_URL)
    expect(s.baseUrl).toBe('http://localhost:4000')
    expect(s.baseUrlSource).toBe('default')
  })

  it('config beats the default, the environment beats config, the flag beats the environment', () => {
    expect(resolveSettings({flags: {}, env: {}, file: file()})).toMatchObject({baseUrl: 'http://from-config:4000', baseUrlSource: 'config'})
    expect(resolveSettings({flags: {}, env: {LITELLM_PROXY_URL: 'http://from-env:4000'}, file: file()})).toMatchObject({
      baseUrl: 'http://from-env:4000',
      baseUrlSource: 'env',
    })
    expect(resolveSettings({flags: {baseUrl: 'http://from-flag:4000'}, env: {LITELLM_PROXY_URL: 'http://from-env:4000'}, file: file()})).toMatchObject({
      baseUrl: 'http://from-flag:4000',
      baseUrlSource: 'flag',
    })
  })

  it('treats blank values as unset and trims the rest', () => {
    const s = resolveSettings({flags: {baseUrl: '  '}, env: {LITELLM_PROXY_URL: ' http://from-env:4000 '}, file: file()})
    expect(s).toMatchObject({baseUrl: 'http://from-env:4000', baseUrlSource: 'env'})
    expect(resolveSettings({flags: {}, env: {LITELLM_PROXY_URL: ''}, file: file()}).baseUrlSource).toBe('config')
  })
})

describe('keys', () => {
  it('admin key: LITELLM_MASTER_KEY, else LITELLM_PROXY_API_KEY, else the profile, else none', () => {
    const both = resolveSettings({flags: {}, env: {LITELLM_MASTER_KEY: 'sk-env-master', LITELLM_PROXY_API_KEY: 'sk-env-proxy'}, file: file()})
    expect(both).toMatchObject({adminKey: 'sk-env-master', adminKeySource: 'env', adminKeyName: 'LITELLM_MASTER_KEY'})
    const proxyOnly = resolveSettings({flags: {}, env: {LITELLM_PROXY_API_KEY: 'sk-env-proxy'}, file: file()})
    expect(proxyOnly).toMatchObject({adminKey: 'sk-env-proxy', adminKeySource: 'env', adminKeyName: 'LITELLM_PROXY_API_KEY'})
    const config = resolveSettings({flags: {}, env: {}, file: file()})
    expect(config).toMatchObject({adminKey: 'sk-config-master-AAAA', adminKeySource: 'config', adminKeyName: 'profile default'})
    const none = resolveSettings({flags: {}, env: {}, file: empty})
    expect(none.adminKey).toBeUndefined()
    expect(none.adminKeySource).toBe('none')
  })

  it('a blank LITELLM_MASTER_KEY does not hide the next source', () => {
    const s = resolveSettings({flags: {}, env: {LITELLM_MASTER_KEY: '   ', LITELLM_PROXY_API_KEY: 'sk-env-proxy'}, file: file()})
    expect(s.adminKey).toBe('sk-env-proxy')
  })

  it('self-service key: LITELLM_API_KEY, else the profile; independent of the admin key', () => {
    expect(resolveSettings({flags: {}, env: {LITELLM_API_KEY: 'sk-env-virtual'}, file: file()})).toMatchObject({apiKey: 'sk-env-virtual', apiKeySource: 'env'})
    expect(resolveSettings({flags: {}, env: {}, file: file()})).toMatchObject({apiKey: 'sk-config-virtual-BBBB', apiKeySource: 'config'})
    const none = resolveSettings({flags: {}, env: {LITELLM_MASTER_KEY: 'sk-m'}, file: empty})
    expect(none.apiKey).toBeUndefined()
    expect(none.apiKeySource).toBe('none')
    // LITELLM_API_KEY is never taken as an admin key.
    expect(resolveSettings({flags: {}, env: {LITELLM_API_KEY: 'sk-env-virtual'}, file: empty}).adminKey).toBeUndefined()
  })
})

describe('profiles', () => {
  it('--profile beats KEYWARD_PROFILE beats the default profile beats "default"', () => {
    const f = file({defaultProfile: 'prod'})
    expect(resolveSettings({flags: {}, env: {}, file: empty}).profile).toBe('default')
    expect(resolveSettings({flags: {}, env: {}, file: f}).profile).toBe('prod')
    expect(resolveSettings({flags: {}, env: {KEYWARD_PROFILE: 'default'}, file: f}).profile).toBe('default')
    expect(resolveSettings({flags: {profile: 'prod'}, env: {KEYWARD_PROFILE: 'default'}, file: file()}).profile).toBe('prod')
  })

  it('takes URL, key and key header from the selected profile', () => {
    const s = resolveSettings({flags: {profile: 'prod'}, env: {}, file: file()})
    expect(s).toMatchObject({
      baseUrl: 'https://prod.example',
      baseUrlSource: 'config',
      adminKey: 'sk-prod-master-CCCC',
      adminKeyName: 'profile prod',
      keyHeader: 'x-litellm-api-key',
    })
    // The prod profile has no virtual key: nothing leaks over from "default".
    expect(s.apiKey).toBeUndefined()
  })

  it('an unknown profile is empty: defaults apply, environment still works', () => {
    const s = resolveSettings({flags: {profile: 'nope'}, env: {LITELLM_MASTER_KEY: 'sk-env'}, file: file()})
    expect(s).toMatchObject({profile: 'nope', baseUrl: DEFAULT_BASE_URL, adminKey: 'sk-env'})
  })

  it('a named profile beats the environment for the URL, the keys and the key header (#11 item 3)', () => {
    const env = {LITELLM_PROXY_URL: 'http://env:1', LITELLM_MASTER_KEY: 'sk-env', KEYWARD_KEY_HEADER: 'x-custom'}
    expect(resolveSettings({flags: {profile: 'prod'}, env, file: file()})).toMatchObject({baseUrl: 'https://prod.example', adminKey: 'sk-prod-master-CCCC', keyHeader: 'x-litellm-api-key'})
    expect(resolveSettings({flags: {}, env: {...env, KEYWARD_PROFILE: 'prod'}, file: file()})).toMatchObject({baseUrl: 'https://prod.example', adminKey: 'sk-prod-master-CCCC'})
    // Not named: the environment beats the default profile.
    expect(resolveSettings({flags: {}, env, file: file()})).toMatchObject({baseUrl: 'http://env:1', adminKey: 'sk-env', keyHeader: 'x-custom'})
  })
})

describe('keySourceMismatch', () => {
  it('refuses a key and a URL from different sources, names both', () => {
    const s = resolveSettings({flags: {}, env: {LITELLM_PROXY_URL: 'http://env:1'}, file: file()})
    expect(keySourceMismatch(s, 'admin')).toBe('the proxy URL comes from LITELLM_PROXY_URL but the admin key from profile default: keyward will not send a key to a URL from another source')
    expect(keySourceMismatch(s, 'api')).toContain('the API key from profile default')
    const t = resolveSettings({flags: {}, env: {LITELLM_PROXY_API_KEY: 'sk-e'}, file: file()})
    expect(keySourceMismatch(t, 'admin')).toContain('comes from profile default but the admin key from LITELLM_PROXY_API_KEY')
  })

  it('accepts same-source pairs, --base-url and the default URL', () => {
    expect(keySourceMismatch(resolveSettings({flags: {}, env: {LITELLM_PROXY_URL: 'http://e', LITELLM_MASTER_KEY: 'sk-e'}, file: file()}), 'admin')).toBeUndefined()
    expect(keySourceMismatch(resolveSettings({flags: {}, env: {}, file: file()}), 'admin')).toBeUndefined()
    expect(keySourceMismatch(resolveSettings({flags: {baseUrl: 'http://f'}, env: {}, file: file()}), 'admin')).toBeUndefined()
    expect(keySourceMismatch(resolveSettings({flags: {}, env: {LITELLM_MASTER_KEY: 'sk-e'}, file: empty}), 'admin')).toBeUndefined()
  })
})

describe('timeout', () => {
  it('--timeout beats KEYWARD_TIMEOUT beats 30 s; nonsense falls back to 30 s', () => {
    expect(resolveSettings({flags: {}, env: {}, file: empty}).timeoutMs).toBe(30_000)
    expect(resolveSettings({flags: {}, env: {KEYWARD_TIMEOUT: '12'}, file: empty}).timeoutMs).toBe(12_000)
    expect(resolveSettings({flags: {timeoutS: 2.5}, env: {KEYWARD_TIMEOUT: '12'}, file: empty}).timeoutMs).toBe(2500)
    expect(resolveSettings({flags: {}, env: {KEYWARD_TIMEOUT: 'soon'}, file: empty}).timeoutMs).toBe(30_000)
    expect(resolveSettings({flags: {}, env: {KEYWARD_TIMEOUT: '-5'}, file: empty}).timeoutMs).toBe(30_000)
  })
})

describe('checkBaseUrl', () => {
  it.each([
    ['http://localhost:4000', 'http://localhost:4000'],
    ['http://localhost:4000/', 'http://localhost:4000'],
    ['https://litellm.example.com/proxy/', 'https://litellm.example.com/proxy'],
    ['HTTP://LOCALHOST:4000', 'http://localhost:4000'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
  ])('accepts %s', (input, url) => {
    expect(checkBaseUrl(input)).toEqual({ok: true, url})
  })

  it.each([
    ['not a url', /invalid proxy URL 'not a url'/],
    ['localhost:4000', /only http:\/\/ and https:\/\//],
    ['ftp://example.com', /only http:\/\/ and https:\/\//],
    ['http://', /invalid proxy URL/],
    ['http://host:4000/?x=1', /remove the query or fragment/],
    ['http://host:4000/#frag', /remove the query or fragment/],
  ])('rejects %s', (input, message) => {
    const r = checkBaseUrl(input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toMatch(message)
  })

  it('rejects credentials in the URL without repeating them', () => {
    const r = checkBaseUrl('http://admin:sk-SecretInUrl-9999@proxy.example:4000')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.message).toContain('do not put credentials in the URL')
      expect(r.message).not.toContain('sk-SecretInUrl')
    }
  })
})
