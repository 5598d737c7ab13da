/**
 * LiteLLM's metadata columns arrive as an object or, from some endpoints (e.g. /key/update, older
 * spend logs), JSON-encoded as a string: one reading for both. Anything else is no metadata.
 */
export function metadataObject(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  if (typeof v === 'string' && v.trimStart().startsWith('{')) {
    try {
      const o = JSON.parse(v) as unknown
      if (o && typeof o === 'object' && !Array.isArray(o)) return o as Record<string, unknown>
    } catch {
      // not JSON: no metadata worth using
    }
  }
  return {}
}
