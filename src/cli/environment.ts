/**
 * The environment variables keyward reads, for the root help (the README's Configuration table says the
 * same; a test checks both against each other and against what src/ reads).
 */
export const ENVIRONMENT: ReadonlyArray<{name: string; meaning: string}> = [
  {name: 'LITELLM_PROXY_URL', meaning: 'the proxy URL (default http://localhost:4000)'},
  {name: 'LITELLM_MASTER_KEY', meaning: 'the proxy master key, for the admin commands (else LITELLM_PROXY_API_KEY)'},
  {name: 'LITELLM_PROXY_API_KEY', meaning: 'the master key under the name LiteLLM\'s own CLI uses'},
  {name: 'LITELLM_API_KEY', meaning: 'a virtual key: its own info and spend (status, keys info)'},
  {name: 'KEYWARD_PROFILE', meaning: 'the profile from `keyward login` to use (like --profile)'},
  {name: 'KEYWARD_TIMEOUT', meaning: 'seconds before a request is abandoned (like --timeout; default 30)'},
  {name: 'KEYWARD_KEY_HEADER', meaning: 'the header carrying the key (the proxy\'s litellm_key_header_name)'},
  {name: 'KEYWARD_CONFIG_DIR', meaning: 'where profiles are kept (default ~/.config/keyward)'},
  {name: 'KEYWARD_DATA_DIR', meaning: 'where budget check keeps its alert state (default ~/.local/share/keyward)'},
  {name: 'KEYWARD_NOTIFY', meaning: 'webhook URLs for budget check, space-separated (keeps tokens out of ps)'},
  {name: 'KEYWARD_STATE_URL', meaning: 'budget check\'s alert state in Redis, redis://[user:pass@]host:port/db (keeps the password out of ps)'},
  {name: 'KEYWARD_CLAIM_TTL', meaning: 'seconds an in-flight Redis alert claim lasts before another run may re-send it (default 300)'},
  {name: 'KEYWARD_LOCK_TIMEOUT', meaning: 'seconds budget check waits for another run\'s lock (default 30)'},
  {name: 'KEYWARD_NOW', meaning: 'the clock, ISO 8601 (to replay a run)'},
  {name: 'OPENCLAW_CONFIG_PATH', meaning: 'OpenClaw\'s config file (also OPENCLAW_STATE_DIR, OPENCLAW_HOME)'},
  {name: 'NO_COLOR', meaning: 'no colour, even on a terminal'},
]
