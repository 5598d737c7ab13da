/**
 * OpenClaw's `models.providers.litellm` block, built from what the proxy reports (litellm-api.md §14).
 * Pure: no I/O; the API answers and the current config values are parameters.
 */
import {InputError} from '../core/errors.js'
import type {ModelInfoRow} from '../core/wire-models.js'

/** The provider name keyward writes under `models.providers`, and the prefix of `primary`. */
export const PROVIDER = 'litellm'
/** The key is referenced, never written into the JSON: OpenClaw substitutes `${LITELLM_API_KEY}`. */
export const API_KEY_VAR = 'LITELLM_API_KEY'
export const API_KEY_REF = '${LITELLM_API_KEY}'
/**
 * The same variable as an OpenClaw SecretRef: it resolves the same way, and `openclaw doctor --lint`
 * does not flag it as a plaintext secret (it checks the substituted value of the string form).
 */
export const API_KEY_SECRET_REF = {source: 'env', provider: 'default', id: API_KEY_VAR} as const
export type ApiKeyValue = string | {source: string; provider: string; id: string}
/**
 * The first OpenClaw release keyward writes the SecretRef form for. SecretRefs in
 * `models.providers.*.apiKey` came with the 2026.3 releases; until 2026.5.24 (openclaw#84658) a
 * `models status --probe` could copy the resolved key of a SecretRef provider into models.json, so
 * older versions get the `${LITELLM_API_KEY}` string, which every version reads.
 */
export const SECRET_REF_SINCE = '2026.6.0'

/** `2026.9.6` (also `v2026.9.6`, `2026.9.6-beta.1`) → [2026, 9, 6]; undefined when it is no such version. */
export function parseCalendarVersion(v: string | null | undefined): [number, number, number] | undefined {
  const m = /^v?(\d{4})\.(\d{1,2})\.(\d{1,3})(?:[-+].*)?$/.exec(v?.trim() ?? '')
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

/** Whether this OpenClaw version gets the SecretRef form; an unknown version gets the string form. */
export function supportsSecretRef(version: string | null | undefined): boolean {
  const v = parseCalendarVersion(version)
  const min = parseCalendarVersion(SECRET_REF_SINCE)!
  if (!v) return false
  for (let i = 0; i < 3; i++) if (v[i]! !== min[i]!) return v[i]! > min[i]!
  return true
}

/** The variable an `apiKey` value reads: `${NAME}` or an env SecretRef; undefined for anything else. */
export function apiKeyVariable(apiKey: unknown): string | undefined {
  if (typeof apiKey === 'string') {
    const m = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(apiKey.trim())
    return m ? m[1] : undefined
  }
  if (typeof apiKey === 'object' && apiKey !== null && (apiKey as {source?: unknown}).source === 'env') {
    const id = (apiKey as {id?: unknown}).id
    return typeof id === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(id) ? id : undefined
  }
  return undefined
}
export const PROVIDER_API = 'openai-completions'

/** Used when `/model/info` does not say (old proxies): conservative values OpenClaw can work with. */
export const DEFAULT_CONTEXT_WINDOW = 128_000
export const DEFAULT_MAX_TOKENS = 8_192

/** `/model/info` modes that an OpenAI-completions client cannot use. */
const NON_CHAT_MODES = new Set(['embedding', 'image_generation', 'audio_transcription', 'audio_speech', 'moderation', 'rerank', 'video_generation', 'ocr', 'search'])

/** OpenClaw's model price: USD per 1M tokens. */
export type OpenClawCost = {
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
}

export interface OpenClawModel {
  id: string
  name: string
  reasoning: boolean
  input: Array<'text' | 'image'>
  contextWindow: number
  maxTokens: number
  /** From the proxy's prices, so OpenClaw's own cost figures agree with the proxy's spend. */
  cost?: OpenClawCost
}

export interface ModelCatalogue {
  /** What will be written, in the proxy's order. */
  models: OpenClawModel[]
  /** Listed by the proxy but not chat models (embeddings, image generation, ...): left out. */
  skipped: string[]
  /** Models for which `/model/info` gave no limits: defaults were used. */
  defaulted: string[]
}

const ACRONYMS = new Set(['gpt', 'glm', 'ai', 'llm', 'api', 'xai', 'oss', 'vl', 'tts', 'r1', 'v3'])
/** Written with a hyphen before the version, as their makers write them: GPT-4o, GLM-4.6. */
const HYPHENATED = new Set(['GPT', 'GLM'])

/**
 * A readable name from a model id: `claude-opus-4-6` → `Claude Opus 4.6`, `gemini-2.5-pro` → `Gemini 2.5 Pro`,
 * `gpt-4o-mini` → `GPT-4o Mini`, `gpt-4.1` → `GPT-4.1`. Provider prefixes (`openai/`) are dropped.
 */
export function prettyModelName(id: string): string {
  const slash = id.lastIndexOf('/')
  const base = id.slice(slash + 1)
  const parts = base.split(/[-_\s]+/).filter(Boolean)
  if (parts.length === 0) return id
  const words: string[] = []
  for (const p of parts) {
    const prev = words.at(-1)
    // Short version numbers split by dashes (4-6, 3-5) are one version (4.6, 3.5); dates stay apart.
    if (prev !== undefined && /^\d{1,2}$/.test(p) && /(?:^|-)\d{1,2}(\.\d{1,2})*$/.test(prev)) {
      words[words.length - 1] = `${prev}.${p}`
      continue
    }
    if (prev !== undefined && words.length === 1 && HYPHENATED.has(prev) && /^\d/.test(p)) {
      words[0] = `${prev}-${p}`
      continue
    }
    if (ACRONYMS.has(p.toLowerCase())) words.push(p.toUpperCase())
    else if (/^[a-z]/.test(p)) words.push(p[0]!.toUpperCase() + p.slice(1))
    else words.push(p)
  }
  return words.join(' ')
}

interface Details {
  contextWindow?: number
  maxTokens?: number
  vision?: boolean
  reasoning?: boolean
  nonChat: boolean
  /** USD per token, the highest any deployment of the name charges. */
  price: {input?: number; output?: number; cacheRead?: number; cacheWrite?: number}
}

const price = (n: unknown): number | undefined => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined)
const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b))
/** USD per token → USD per 1M tokens, without float noise (15e-6 × 1e6 is 15.000000000000002). */
export const perMillion = (perToken: number): number => Number((perToken * 1e6).toPrecision(12))

/** OpenClaw's `cost` from per-token prices; undefined unless both input and output prices are known. */
export function costFromPrices(p: Details['price']): OpenClawCost | undefined {
  if (p.input === undefined || p.output === undefined) return undefined
  return {
    input: perMillion(p.input),
    output: perMillion(p.output),
    ...(p.cacheRead === undefined ? {} : {cacheRead: perMillion(p.cacheRead)}),
    ...(p.cacheWrite === undefined ? {} : {cacheWrite: perMillion(p.cacheWrite)}),
  }
}

const positive = (n: number | null | undefined): number | undefined => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined)
const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b))

/**
 * Fold `/model/info` rows by model name. A name can route to several deployments, and a request may
 * land on any of them: take the smallest limits, and a capability only when every deployment that
 * reports it has it.
 */
export function modelDetails(rows: readonly ModelInfoRow[]): Map<string, Details> {
  const out = new Map<string, Details>()
  for (const row of rows) {
    const mi = row.model_info ?? {}
    const mode = typeof (mi as {mode?: unknown}).mode === 'string' ? String((mi as {mode?: unknown}).mode) : undefined
    const d = out.get(row.model_name) ?? {nonChat: true, price: {}}
    const ctx = positive(mi.max_input_tokens)
    const outTok = positive(mi.max_output_tokens) ?? positive(mi.max_tokens)
    d.contextWindow = minOf(d.contextWindow, ctx)
    d.maxTokens = minOf(d.maxTokens, outTok)
    if (typeof mi.supports_vision === 'boolean') d.vision = (d.vision ?? true) && mi.supports_vision
    if (typeof mi.supports_reasoning === 'boolean') d.reasoning = (d.reasoning ?? true) && mi.supports_reasoning
    // A request may land on any deployment: the dearest price, so OpenClaw never shows less than is charged.
    d.price.input = maxOf(d.price.input, price(mi.input_cost_per_token))
    d.price.output = maxOf(d.price.output, price(mi.output_cost_per_token))
    d.price.cacheRead = maxOf(d.price.cacheRead, price(mi.cache_read_input_token_cost))
    d.price.cacheWrite = maxOf(d.price.cacheWrite, price(mi.cache_creation_input_token_cost))
    // A name is a chat model if any deployment is (or does not say).
    if (!mode || !NON_CHAT_MODES.has(mode)) d.nonChat = false
    out.set(row.model_name, d)
  }
  return out
}

/**
 * The models to write: the proxy's `/v1/models` ids (restricted to `only` when given), with limits and
 * capabilities from `/model/info` when available. Throws InputError when `only` names a model the
 * proxy does not serve.
 */
export function buildCatalogue(ids: readonly string[], info: readonly ModelInfoRow[] | undefined, only?: readonly string[]): ModelCatalogue {
  let wanted = [...ids]
  if (only && only.length > 0) {
    const served = new Set(ids)
    const unknown = only.filter((m) => !served.has(m))
    if (unknown.length > 0) {
      throw new InputError(
        `the proxy does not serve ${unknown.map((m) => `'${m}'`).join(', ')} (it serves: ${ids.length > 0 ? ids.join(', ') : 'no models'})`,
        `--models ${ids.slice(0, 2).join(',') || 'gpt-4o'}`,
      )
    }
    wanted = [...new Set(only)]
  }
  const details = info ? modelDetails(info) : new Map<string, Details>()
  const models: OpenClawModel[] = []
  const skipped: string[] = []
  const defaulted: string[] = []
  const explicit = new Set(only ?? [])
  for (const id of wanted) {
    const d = details.get(id)
    if (d?.nonChat && !explicit.has(id)) {
      skipped.push(id)
      continue
    }
    if (d?.contextWindow === undefined || d?.maxTokens === undefined) defaulted.push(id)
    const contextWindow = d?.contextWindow ?? DEFAULT_CONTEXT_WINDOW
    models.push({
      id,
      name: prettyModelName(id),
      reasoning: d?.reasoning ?? false,
      input: d?.vision ? ['text', 'image'] : ['text'],
      contextWindow,
      maxTokens: Math.min(d?.maxTokens ?? DEFAULT_MAX_TOKENS, contextWindow),
      ...(d && costFromPrices(d.price) ? {cost: costFromPrices(d.price)} : {}),
    })
  }
  return {models, skipped, defaulted}
}

type Json = null | boolean | number | string | Json[] | {[k: string]: Json}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The `models` array to write, given what the config already holds. Fields keyward discovers
 * (`reasoning`, `input`, `contextWindow`, `maxTokens`, and `cost` when the proxy has prices) are
 * refreshed; a `name` and any other field the user set on an entry with the same id are kept (a
 * `cost` too, when the proxy reports no price).
 */
export function mergeModelEntries(existing: unknown, desired: readonly OpenClawModel[]): Array<Record<string, Json>> {
  const byId = new Map<string, Record<string, unknown>>()
  if (Array.isArray(existing)) for (const e of existing) if (isObject(e) && typeof e.id === 'string' && !byId.has(e.id)) byId.set(e.id, e)
  return desired.map((m) => {
    const old = byId.get(m.id)
    if (!old) return {...m}
    const merged: Record<string, unknown> = {...old, ...m}
    if (typeof old.name === 'string' && old.name.trim() !== '') merged.name = old.name
    return merged as Record<string, Json>
  })
}

/** Is this hostname an RFC 1918 address? OpenClaw refuses private addresses unless the provider allows it (§14). */
export function isPrivateNetworkHost(hostname: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname)
  if (!m) return false
  const [a, b] = [Number(m[1]), Number(m[2])]
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
}

export interface ProviderFields {
  baseUrl: string
  apiKey: ApiKeyValue
  api: string
  models: Array<Record<string, Json>>
  /** Only for proxies on a private LAN address. */
  request?: {allowPrivateNetwork: true}
}

/** The provider block keyward owns: everything else already in `models.providers.litellm` is kept. */
export function providerFields(baseUrl: string, existingModels: unknown, models: readonly OpenClawModel[], opts: {secretRef?: boolean} = {}): ProviderFields {
  const apiKey: ApiKeyValue = opts.secretRef ? {...API_KEY_SECRET_REF} : API_KEY_REF
  const fields: ProviderFields = {baseUrl, apiKey, api: PROVIDER_API, models: mergeModelEntries(existingModels, models)}
  let host = ''
  try {
    host = new URL(baseUrl).hostname
  } catch {
    host = ''
  }
  if (isPrivateNetworkHost(host)) fields.request = {allowPrivateNetwork: true}
  return fields
}

export type PrimaryDecision =
  | {action: 'keep'; primary: string | null; reason: 'set' | 'no-models'}
  | {action: 'set'; primary: string; reason: 'requested' | 'unset'}

/** `--primary x` or `--primary litellm/x` → `x`; checked against the models being written. */
export function normalizePrimary(requested: string, models: readonly OpenClawModel[]): string {
  const id = requested.startsWith(`${PROVIDER}/`) ? requested.slice(PROVIDER.length + 1) : requested
  if (!models.some((m) => m.id === id)) {
    throw new InputError(
      `--primary '${requested}' is not among the models being configured (${models.map((m) => m.id).join(', ') || 'none'})`,
      `--primary ${models[0]?.id ?? 'gpt-4o'}`,
    )
  }
  return `${PROVIDER}/${id}`
}

/** The model picked when none is set: the first reasoning model the proxy lists, else the first model. */
export function defaultPrimary(models: readonly OpenClawModel[]): string | undefined {
  const pick = models.find((m) => m.reasoning) ?? models[0]
  return pick ? `${PROVIDER}/${pick.id}` : undefined
}

/**
 * `agents.defaults.model.primary`: set to `--primary` when given, else to a default when unset;
 * an existing choice (possibly another provider's model) is kept.
 */
export function choosePrimary(current: string | null, requested: string | undefined, models: readonly OpenClawModel[]): PrimaryDecision {
  if (requested !== undefined) return {action: 'set', primary: normalizePrimary(requested, models), reason: 'requested'}
  if (current && current.trim() !== '') return {action: 'keep', primary: current, reason: 'set'}
  const pick = defaultPrimary(models)
  return pick ? {action: 'set', primary: pick, reason: 'unset'} : {action: 'keep', primary: current, reason: 'no-models'}
}

/** A kept primary that points at a litellm model the proxy no longer serves. */
export function stalePrimary(primary: string | null, models: readonly OpenClawModel[]): boolean {
  if (!primary || !primary.startsWith(`${PROVIDER}/`)) return false
  const id = primary.slice(PROVIDER.length + 1)
  return !models.some((m) => m.id === id)
}
