/**
 * Reading and editing OpenClaw's JSON5 config without losing the user's comments or formatting.
 * `@croct/json5-parser` keeps a concrete syntax tree: nodes that are not touched print exactly as they
 * were read. Values are only set when they differ, so a run with nothing to change returns the same
 * text byte for byte. No I/O here: text in, text out.
 */
import {JsonArrayNode, JsonError, JsonObjectNode, JsonParseError, JsonParser, JsonStructureNode, type Formatting} from '@croct/json5-parser'

import {KeywardError} from '../core/errors.js'
import {PROVIDER, type ProviderFields} from './openclaw-models.js'

/** A plain JSON value (the parser's own JsonValue type lives in a transitive dependency). */
type JsonValue = null | boolean | number | string | JsonValue[] | {[key: string]: JsonValue}
type SettableValue = Parameters<JsonObjectNode['set']>[1]

export interface ProviderView {
  baseUrl: string | null
  /** `apiKey` when it is a string (`${LITELLM_API_KEY}`, or a key written in plain text). */
  apiKey: string | null
  /** `apiKey` when it is a SecretRef object (`{source: "env", provider: "default", id: "LITELLM_API_KEY"}`). */
  apiKeyRef: {source: string; provider: string | null; id: string} | null
  api: string | null
  models: Array<{id: string; name: string | null; contextWindow: number | null; maxTokens: number | null; reasoning: boolean | null; input: string[]}>
  /** The raw `models` value (for merging). */
  rawModels: unknown
}

/** What an OpenClaw config says about keyward's provider and the default model. */
export interface ConfigView {
  provider: ProviderView | null
  /** Other providers configured under `models.providers`. */
  otherProviders: string[]
  primary: string | null
  /** `agents.defaults.model` may be an object (`{primary, fallbacks}`) or a bare model string. */
  primaryShape: 'object' | 'string' | 'none'
  /** `meta.lastTouchedVersion`: the OpenClaw version that last wrote the file. */
  lastTouchedVersion: string | null
  /** `plugins.entries.litellm.enabled`, when set. */
  pluginEnabled: boolean | null
  /** Providers whose `apiKey` is written in plain text (a string that is not a `${VARIABLE}` reference). */
  inlineKeys: string[]
}

interface Parsed {
  root: JsonObjectNode
  bom: string
  /** The file was empty (or `{}` with nothing else): it is laid out from scratch. */
  fresh: boolean
}

/** Parse the config; a syntax error becomes an exit-2 error with its line and column. */
export function parseConfig(text: string, file: string): Parsed {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = bom ? text.slice(1) : text
  if (body.trim() === '') return {root: JsonParser.parse('{}', JsonObjectNode), bom, fresh: true}
  try {
    const root = JsonParser.parse(body, JsonObjectNode)
    const fresh = root.properties.length === 0 && !/\/\/|\/\*/.test(body) && !body.trim().includes('\n')
    return {root, bom, fresh}
  } catch (error) {
    if (error instanceof JsonParseError) {
      const {line, column} = error.location.start
      const what = error.message.replace(/ at \d+:\d+\.?$/, '')
      throw new KeywardError('usage', `cannot parse ${file} at line ${line}, column ${column}: ${what}`, {
        suggestions: [`Fix the file at line ${line}, column ${column} (it was left unchanged), then run this again`, 'OpenClaw reads JSON5: comments, unquoted keys and trailing commas are fine'],
      })
    }
    if (error instanceof JsonError) {
      throw new KeywardError('usage', `${file} does not hold a JSON5 object at the top level (${error.message})`, {
        suggestions: ['The file must look like { models: { ... }, agents: { ... } }; it was left unchanged'],
      })
    }
    throw error
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Read the parts of the config keyward cares about. */
export function inspectConfig(text: string, file: string): ConfigView {
  return viewOf(parseConfig(text, file).root.toJSON())
}

function viewOf(json: Record<string, unknown>): ConfigView {
  const providers = isObject(json.models) && isObject(json.models.providers) ? json.models.providers : {}
  const p = providers[PROVIDER]
  let provider: ProviderView | null = null
  if (isObject(p)) {
    const rawModels = p.models
    const models = Array.isArray(rawModels)
      ? rawModels.filter(isObject).map((m) => ({
          id: String(m.id ?? ''),
          name: str(m.name),
          contextWindow: num(m.contextWindow),
          maxTokens: num(m.maxTokens),
          reasoning: typeof m.reasoning === 'boolean' ? m.reasoning : null,
          input: Array.isArray(m.input) ? m.input.filter((x): x is string => typeof x === 'string') : [],
        }))
      : []
    const ref = isObject(p.apiKey) && typeof p.apiKey.source === 'string' && typeof p.apiKey.id === 'string' ? {source: p.apiKey.source, provider: str(p.apiKey.provider), id: p.apiKey.id} : null
    provider = {baseUrl: str(p.baseUrl), apiKey: str(p.apiKey), apiKeyRef: ref, api: str(p.api), models, rawModels}
  }
  const defaults = isObject(json.agents) && isObject(json.agents.defaults) ? json.agents.defaults : {}
  const model = defaults.model
  let primary: string | null = null
  let primaryShape: ConfigView['primaryShape'] = 'none'
  if (typeof model === 'string') [primary, primaryShape] = [model, 'string']
  else if (isObject(model)) [primary, primaryShape] = [str(model.primary), 'object']
  const lastTouchedVersion = isObject(json.meta) ? str(json.meta.lastTouchedVersion) : null
  const plugin = isObject(json.plugins) && isObject(json.plugins.entries) ? json.plugins.entries[PROVIDER] : undefined
  const pluginEnabled = isObject(plugin) && typeof plugin.enabled === 'boolean' ? plugin.enabled : null
  const inlineKeys = Object.keys(providers).filter((k) => {
    const key = isObject(providers[k]) ? providers[k].apiKey : undefined
    return typeof key === 'string' && key.trim() !== '' && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(key.trim())
  })
  return {provider, otherProviders: Object.keys(providers).filter((k) => k !== PROVIDER), primary, primaryShape, lastTouchedVersion, pluginEnabled, inlineKeys}
}

interface Style {
  indentChar: 'space' | 'tab'
  indentSize: number
  unquoted: boolean
  trailingComma: boolean
  lineEnding: 'lf' | 'crlf'
}

/** How the file is laid out, so that blocks keyward adds look like the rest of it. */
export function detectStyle(text: string, fresh: boolean): Style {
  const lineEnding = text.includes('\r\n') ? 'crlf' : 'lf'
  if (fresh) return {indentChar: 'space', indentSize: 2, unquoted: true, trailingComma: true, lineEnding}
  const lines = text.split(/\r?\n/)
  let indentChar: Style['indentChar'] = 'space'
  let indentSize = 0
  for (const line of lines) {
    const m = /^([ \t]+)\S/.exec(line)
    if (!m) continue
    if (m[1]!.startsWith('\t')) {
      indentChar = 'tab'
      indentSize = 1
      break
    }
    const n = m[1]!.length
    if (indentSize === 0 || n < indentSize) indentSize = n
  }
  if (indentSize === 0 || indentSize > 8) indentSize = 2
  const unquotedKeys = lines.filter((l) => /^\s*[A-Za-z_$][\w$]*\s*:/.test(l)).length
  const quotedKeys = lines.filter((l) => /^\s*(["'])[^"']*\1\s*:/.test(l)).length
  const trailingComma = /,[ \t]*(\/\/[^\n]*)?\r?\n\s*[}\]]/.test(text)
  return {indentChar, indentSize, unquoted: unquotedKeys >= quotedKeys, trailingComma, lineEnding}
}

function formatting(style: Style, level: number): Formatting {
  const block = {
    indentationSize: style.indentSize,
    entryIndentation: true,
    leadingIndentation: true,
    trailingIndentation: true,
    trailingComma: style.trailingComma,
    commaSpacing: true,
    colonSpacing: true,
  }
  return {
    indentationLevel: level,
    indentationCharacter: style.indentChar,
    lineEnding: style.lineEnding,
    string: {quote: 'double'},
    property: {quote: 'double', unquoted: style.unquoted},
    object: block,
    array: block,
  }
}

/** Key-order-insensitive equality of two JSON values. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => sameJson(x, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]))
  }
  return false
}

/** An object or array that holds objects or arrays. */
function isNested(v: JsonValue): boolean {
  const children = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []
  return children.some((c) => typeof c === 'object' && c !== null)
}

class Editor {
  changed = false
  constructor(
    private readonly root: JsonObjectNode,
    private readonly style: Style,
    private readonly file: string,
  ) {}

  /**
   * Set a list of objects identified by `id`, editing the existing array in place so that entries
   * that stay keep their comments and layout: entries no longer wanted are removed, changed fields are
   * set one by one, new entries are inserted where they belong. When the order of the kept entries
   * differs, the array is replaced as a whole.
   */
  setList(path: readonly string[], desired: Array<Record<string, JsonValue>>): void {
    const parent = this.objectAt(path.slice(0, -1))
    const key = path.at(-1)!
    const arr = parent?.has(key) ? parent.get(key) : undefined
    if (!(arr instanceof JsonArrayNode)) return this.set(path, desired)
    if (sameJson(arr.toJSON(), desired)) return
    const wanted = new Map(desired.map((d, i) => [d.id, i]))
    const seen = new Set<unknown>()
    for (let i = arr.elements.length - 1; i >= 0; i--) {
      const el = arr.elements[i]!
      const id = el instanceof JsonObjectNode && el.has('id') ? el.get('id').toJSON() : undefined
      // Keep the first entry for each wanted id (scanning from the end, so drop earlier duplicates last).
      const firstIndex = arr.elements.findIndex((e) => e instanceof JsonObjectNode && e.has('id') && e.get('id').toJSON() === id)
      if (id === undefined || !wanted.has(id as JsonValue) || firstIndex !== i || seen.has(id)) {
        arr.delete(i)
        this.changed = true
      } else seen.add(id)
    }
    const keptOrder = arr.elements.map((e) => wanted.get((e as JsonObjectNode).get('id').toJSON() as JsonValue)!)
    if (keptOrder.some((v, i) => i > 0 && v < keptOrder[i - 1]!)) return this.replace(parent!, key, desired, path.length)
    const multiline = arr.toString().includes('\n')
    // `models: []` (or any one-line list) getting entries: written as a laid-out list, not crammed on one line.
    if (!multiline && desired.some((d) => isNested(d) || Object.keys(d).length > 0)) return this.replace(parent!, key, desired, path.length, path.slice(0, -1))
    let pos = 0
    desired.forEach((entry, index) => {
      const el = arr.elements[pos]
      if (el instanceof JsonObjectNode && wanted.get(el.get('id').toJSON() as JsonValue) === index) {
        for (const [k, v] of Object.entries(entry)) {
          if (el.has(k) && sameJson(el.get(k).toJSON(), v)) continue
          el.set(k, v as SettableValue)
          this.changed = true
        }
        pos++
        return
      }
      arr.splice(pos, 0, entry as SettableValue)
      this.changed = true
      const added = arr.get(pos)
      if (multiline && added instanceof JsonStructureNode) added.rebuild(formatting(this.style, path.length + 1))
      pos++
    })
  }

  private objectAt(path: readonly string[]): JsonObjectNode | undefined {
    let node: JsonObjectNode = this.root
    for (const key of path) {
      if (!node.has(key)) return undefined
      const child = node.get(key)
      if (!(child instanceof JsonObjectNode)) return undefined
      node = child
    }
    return node
  }

  private replace(parent: JsonObjectNode, key: string, value: JsonValue, depth: number, parentPath?: readonly string[]): void {
    const multiline = parent.toString().includes('\n')
    parent.set(key, value as SettableValue)
    this.changed = true
    const node = parent.get(key)
    if (multiline && node instanceof JsonStructureNode) node.rebuild(formatting(this.style, depth))
    else if (!multiline && parentPath && isNested(value) && node instanceof JsonStructureNode) this.relayout(parentPath, node, depth)
  }

  /**
   * A nested block (`added`, at `depth`) was put into the one-line object at `path` (e.g.
   * `providers: {ollama: {...}}`): from the outermost one-line object around it down to the block,
   * each object is put on its own lines, one entry per line, the other entries keeping their own text,
   * and the new block is laid out like the rest of the file, so it does not end up crammed on that
   * line with ragged indentation.
   */
  private relayout(path: readonly string[], added: JsonStructureNode, depth: number): void {
    const chain: JsonObjectNode[] = [this.root]
    for (const key of path) {
      const child = chain.at(-1)!.has(key) ? chain.at(-1)!.get(key) : undefined
      if (!(child instanceof JsonObjectNode)) return
      chain.push(child)
    }
    let k = chain.length - 1
    if (k === 0 || chain[k]!.toString().includes('\n')) return
    while (k > 1 && !chain[k - 1]!.toString().includes('\n')) k--
    // Drop the own layout tokens of each object on the way down to the new block, and only those (the
    // library's reset() would also flatten every other entry).
    for (const node of chain.slice(k)) (node as unknown as {children: unknown[]}).children.length = 0
    chain[k]!.rebuild(formatting(this.style, k))
    added.reset()
    added.rebuild(formatting(this.style, depth))
  }

  /** Set the value at `path`, creating missing objects on the way; nothing happens if it already holds it. */
  set(path: readonly string[], value: JsonValue): void {
    let node = this.root
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!
      const last = i === path.length - 1
      if (node.has(key)) {
        if (last) {
          const current = node.get(key)
          if (sameJson(current.toJSON(), value)) return
          // A one-line value replaced by a nested structure would stay crammed on one line: lay it out.
          const parentMultiline = node.toString().includes('\n')
          const relayout = !current.toString().includes('\n') && isNested(value) && parentMultiline
          node.set(key, value as SettableValue)
          this.changed = true
          const replaced = node.get(key)
          if (relayout && replaced instanceof JsonStructureNode) replaced.rebuild(formatting(this.style, i + 1))
          else if (!parentMultiline && isNested(value) && replaced instanceof JsonStructureNode) this.relayout(path.slice(0, i), replaced, i + 1)
          return
        }
        const child = node.get(key)
        if (!(child instanceof JsonObjectNode)) {
          throw new KeywardError('usage', `'${path.slice(0, i + 1).join('.')}' in ${this.file} is not an object, so keyward cannot add '${path.slice(i + 1).join('.')}' to it`, {
            suggestions: [`Make '${path.slice(0, i + 1).join('.')}' an object (or remove it), then run this again; the file was left unchanged`],
          })
        }
        node = child
        continue
      }
      // Create the rest of the path as one new value, laid out like the file when its parent spans lines.
      let fresh: JsonValue = value
      for (let j = path.length - 1; j > i; j--) fresh = {[path[j]!]: fresh}
      const multiline = node.toString().includes('\n') || node === this.root
      node.set(key, fresh as SettableValue)
      this.changed = true
      const added = node.get(key)
      if (multiline && added instanceof JsonStructureNode) added.rebuild(formatting(this.style, i + 1))
      else if (!multiline && isNested(fresh) && added instanceof JsonStructureNode) this.relayout(path.slice(0, i), added, i + 1)
      return
    }
  }
}

export interface ConnectChange {
  provider: ProviderFields
  /** Set `agents.defaults.model.primary` (or the bare `agents.defaults.model` string) to this. */
  primary?: string
}

export interface ConnectEdit {
  text: string
  changed: boolean
  /** The view of the config before the change. */
  before: ConfigView
}

/** The config text with keyward's provider block and primary model applied; everything else kept. */
export function applyConnect(text: string, file: string, change: ConnectChange, primaryShape?: ConfigView['primaryShape']): ConnectEdit {
  const parsed = parseConfig(text, file)
  const before = viewOf(parsed.root.toJSON())
  const style = detectStyle(parsed.bom ? text.slice(1) : text, parsed.fresh)
  const ed = new Editor(parsed.root, style, file)
  const base = ['models', 'providers', PROVIDER]
  const {request, ...fields} = change.provider
  const {models, ...scalars} = fields
  const json = parsed.root.toJSON() as Record<string, unknown>
  const present = isObject(json.models) && isObject(json.models.providers) && Object.hasOwn(json.models.providers, PROVIDER)
  if (!present) {
    // A new provider goes in as one block (laid out on its own lines even in a one-line `providers`).
    ed.set(base, {...fields, ...(request ? {request} : {})} as unknown as JsonValue)
  } else {
    for (const [k, v] of Object.entries(scalars)) ed.set([...base, k], v as JsonValue)
    ed.setList([...base, 'models'], models as Array<Record<string, JsonValue>>)
    if (request) for (const [k, v] of Object.entries(request)) ed.set([...base, 'request', k], v as JsonValue)
  }
  // OpenClaw's own onboarding enables its litellm plugin, and `doctor --fix` adds the flag (rewriting
  // the file as plain JSON, comments lost): set it here so doctor has nothing to fix. A user's explicit
  // `false` is left alone (the caller warns).
  if (before.pluginEnabled !== false) ed.set(['plugins', 'entries', PROVIDER, 'enabled'], true)
  if (change.primary !== undefined) {
    const shape = primaryShape ?? before.primaryShape
    ed.set(shape === 'string' ? ['agents', 'defaults', 'model'] : ['agents', 'defaults', 'model', 'primary'], change.primary)
  }
  if (!ed.changed) return {text, changed: false, before}
  if (parsed.fresh) parsed.root.rebuild(formatting(style, 0))
  let out = parsed.bom + parsed.root.toString()
  if (parsed.fresh && !out.endsWith('\n')) out += style.lineEnding === 'crlf' ? '\r\n' : '\n'
  return {text: out, changed: out !== text, before}
}
