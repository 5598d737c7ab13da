/**
 * Secrets never reach a log line, an error or debug output. LiteLLM keys start with `sk-`; anything
 * that looks like one is shortened to LiteLLM's own `sk-...WXYZ` form.
 */
const KEY_PATTERN = /sk-[A-Za-z0-9_-]{6,}/g

export function abbreviateKey(key: string): string {
  if (!key.startsWith('sk-')) return key.length > 12 ? `${key.slice(0, 8)}…` : key
  return `sk-...${key.slice(-4)}`
}

export function redactSecrets(text: string, extra: readonly string[] = []): string {
  let out = text
  for (const secret of extra) {
    if (secret && secret.length >= 4) out = out.split(secret).join(abbreviateKey(secret))
  }
  return out.replace(KEY_PATTERN, (m) => abbreviateKey(m))
}
