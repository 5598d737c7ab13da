import {describe, expect, it} from '@jest/globals'

import {KeywardError} from '../../src/core/errors.js'
import {providerFields, type OpenClawModel} from '../../src/domain/openclaw-models.js'
import {applyConnect, detectStyle, inspectConfig} from '../../src/domain/openclaw-config.js'

const MODELS: OpenClawModel[] = [{id: 'm1', name: 'M1', reasoning: true, input: ['text'], contextWindow: 1000, maxTokens: 100}]
const change = (primary?: string, existingModels?: unknown) => ({provider: providerFields('http://proxy:4000', existingModels, MODELS), primary})

function connectTwice(text: string, primary?: string) {
  const first = applyConnect(text, 'f', change(primary))
  const second = applyConnect(first.text, 'f', change(primary, first.before.provider?.rawModels ?? inspectConfig(first.text, 'f').provider?.rawModels))
  return {first, second}
}

describe('applyConnect', () => {
  it('adds the provider and primary, keeps comments and other content, and is idempotent', () => {
    const text = '// head\n{\n  // providers below\n  models: {providers: {other: {api: "x"}}}, // trailing\n  keep: [1, 2, /* two */],\n}\n'
    const {first, second} = connectTwice(text, 'litellm/m1')
    expect(first.changed).toBe(true)
    for (const s of ['// head', '// providers below', '// trailing', 'keep: [1, 2, /* two */],', 'other: {api: "x"}']) expect(first.text).toContain(s)
    const view = inspectConfig(first.text, 'f')
    expect(view.provider).toMatchObject({baseUrl: 'http://proxy:4000', apiKey: '${LITELLM_API_KEY}', api: 'openai-completions'})
    expect(view.provider?.models.map((m) => m.id)).toEqual(['m1'])
    expect(view.otherProviders).toEqual(['other'])
    expect(view.primary).toBe('litellm/m1')
    expect(second.changed).toBe(false)
    expect(second.text).toBe(first.text)
  })

  it('lays out a new file from scratch, JSON5 style, ending with a newline', () => {
    for (const empty of ['', '  \n', '{}']) {
      const {first, second} = connectTwice(empty, 'litellm/m1')
      expect(first.text.startsWith('{\n  models: {\n    providers: {\n      litellm: {\n        baseUrl: "http://proxy:4000",')).toBe(true)
      expect(first.text.endsWith('}\n')).toBe(true)
      expect(second.changed).toBe(false)
    }
  })

  it('keeps a strict JSON file strict JSON (quoted keys, no trailing commas, its indentation)', () => {
    const text = '{\n    "gateway": {\n        "port": 1\n    }\n}\n'
    const {first} = connectTwice(text, 'litellm/m1')
    expect(() => JSON.parse(first.text)).not.toThrow()
    expect(first.text).toContain('\n    "models": {\n        "providers": {')
    expect(JSON.parse(first.text).gateway).toEqual({port: 1})
  })

  it('changes only what differs in an existing litellm block and keeps fields it does not own', () => {
    const text = `{
  models: {
    providers: {
      litellm: {
        // mine
        baseUrl: "http://old:4000",
        apiKey: "\${LITELLM_API_KEY}",
        api: "openai-completions",
        headers: {"X-Team": "a"},
        models: [{id: "m1", name: "Custom", cost: {input: 1, output: 2}}],
      },
    },
  },
}
`
    const res = applyConnect(text, 'f', change(undefined, inspectConfig(text, 'f').provider?.rawModels))
    expect(res.text).toContain('// mine')
    expect(res.text).toContain('baseUrl: "http://proxy:4000"')
    expect(res.text).toContain('headers: {"X-Team": "a"}')
    const m = inspectConfig(res.text, 'f').provider!
    expect(m.models[0]).toMatchObject({id: 'm1', name: 'Custom', contextWindow: 1000})
    expect(res.text).toMatch(/cost: \{\s*input: 1,\s*output: 2,?\s*\}/)
  })

  it('edits the models list in place: kept entries keep their comments, new ones are laid out like the file', () => {
    const mk = (id: string, contextWindow = 1000): OpenClawModel => ({id, name: id.toUpperCase(), reasoning: false, input: ['text'], contextWindow, maxTokens: 10})
    const step = (text: string, models: OpenClawModel[]) => applyConnect(text, 'f', {provider: providerFields('http://p:4000', inspectConfig(text, 'f').provider?.rawModels, models)})
    let text = step('', [mk('a'), mk('b'), mk('c')]).text.replace('id: "b",', 'id: "b", // favourite')
    const res = step(text, [mk('a'), mk('b', 2000), mk('d')])
    text = res.text
    expect(text).toContain('id: "b", // favourite')
    expect(inspectConfig(text, 'f').provider?.models.map((m) => [m.id, m.contextWindow])).toEqual([['a', 1000], ['b', 2000], ['d', 1000]])
    expect(text).toContain('          {\n            id: "d",\n            name: "D",\n')
    expect(text).not.toContain('"c"')
    expect(step(text, [mk('a'), mk('b', 2000), mk('d')]).changed).toBe(false)
  })

  it('replaces a bare model string, keeps CRLF and a BOM', () => {
    const text = '\uFEFF{\r\n  agents: {\r\n    defaults: {\r\n      model: "ollama/x",\r\n    },\r\n  },\r\n}\r\n'
    const res = applyConnect(text, 'f', change('litellm/m1'))
    expect(res.text.startsWith('\uFEFF{\r\n')).toBe(true)
    expect(res.text).toContain('model: "litellm/m1",\r\n')
    expect(res.text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(inspectConfig(res.text, 'f').primaryShape).toBe('string')
  })

  it('reports syntax errors with line and column, and structures it cannot extend', () => {
    const bad = (text: string) => {
      try {
        applyConnect(text, 'cfg.json', change())
      } catch (error) {
        expect(error).toBeInstanceOf(KeywardError)
        expect((error as KeywardError).exitCode).toBe(2)
        return (error as KeywardError).message
      }
      throw new Error('expected an error')
    }
    expect(bad('{\n  a: 1\n  b: 2\n}')).toMatch(/^cannot parse cfg\.json at line 3, column 3: /)
    expect(bad('{ a: "unterminated }')).toMatch(/line 1, column \d+/)
    expect(bad('[1, 2]')).toMatch(/does not hold a JSON5 object/)
    expect(bad('{models: []}')).toMatch(/'models' in cfg\.json is not an object/)
    expect(bad('{models: {providers: {litellm: "x"}}}')).toMatch(/'models\.providers\.litellm' in cfg\.json is not an object/)
  })
})

describe('detectStyle', () => {
  it('reads indentation, key quoting and trailing commas', () => {
    expect(detectStyle('{\n\t"a": 1\n}', false)).toMatchObject({indentChar: 'tab', unquoted: false, trailingComma: false})
    expect(detectStyle('{\n    a: 1,\n}', false)).toMatchObject({indentChar: 'space', indentSize: 4, unquoted: true, trailingComma: true})
    expect(detectStyle('', true)).toMatchObject({indentSize: 2, unquoted: true, trailingComma: true})
  })
})

describe('one-line objects', () => {
  it('puts a provider added to a one-line `providers: {…}` on its own lines, the other provider keeping its text', () => {
    const text = '// mine\n{\n  models: {\n    providers: {ollama: {baseUrl: "http://x", models: []}}, // local\n  },\n}\n'
    const {first, second} = connectTwice(text, 'litellm/m1')
    expect(first.text).toContain('    providers: {\n      ollama: {baseUrl: "http://x", models: []},\n      litellm: {\n        baseUrl: "http://proxy:4000",\n        apiKey: "${LITELLM_API_KEY}",\n')
    expect(first.text).toContain('        models: [\n          {\n            id: "m1",\n')
    expect(first.text).toContain('    }, // local\n')
    expect(first.text).toContain('// mine\n')
    // Every line is indented by a multiple of two spaces: nothing ragged.
    for (const line of first.text.split('\n')) expect(/^( *)/.exec(line)![1]!.length % 2).toBe(0)
    expect(inspectConfig(first.text, 'f').otherProviders).toEqual(['ollama'])
    expect(second.changed).toBe(false)
  })

  it('lays out models added to a one-line provider and `models: []`', () => {
    const text = '{\n  models: {providers: {litellm: {baseUrl: "http://old", models: []}, other: {api: "x"}}},\n}\n'
    const {first, second} = connectTwice(text)
    expect(first.text).toContain('  models: {\n    providers: {\n      litellm: {\n        baseUrl: "http://proxy:4000",\n        models: [\n          {\n            id: "m1",\n')
    expect(first.text).toContain('      other: {api: "x"},\n')
    expect(second.changed).toBe(false)
  })
})

describe('inspectConfig: keys in plain text', () => {
  it('names the providers whose apiKey is a literal string, not ${VARIABLE} references, SecretRefs or empty strings', () => {
    const text = `{models: {providers: {
      litellm: {apiKey: "sk-old-inline"},
      openai: {apiKey: "\${OPENAI_API_KEY}"},
      anthropic: {apiKey: {source: "env", id: "ANTHROPIC_API_KEY"}},
      ollama: {apiKey: ""},
      groq: {apiKey: "gsk_plain"},
    }}}`
    expect(inspectConfig(text, 'f').inlineKeys).toEqual(['litellm', 'groq'])
    expect(inspectConfig('{}', 'f').inlineKeys).toEqual([])
  })
})
