import {describe, expect, it} from '@jest/globals'

import {apiKeyVariable, buildCatalogue, choosePrimary, isPrivateNetworkHost, mergeModelEntries, modelDetails, prettyModelName, providerFields, stalePrimary, supportsSecretRef} from '../../src/domain/openclaw-models.js'
import {InputError} from '../../src/core/errors.js'
import type {ModelInfoRow} from '../../src/core/wire-models.js'

const row = (model_name: string, mi: Record<string, unknown> | null): ModelInfoRow => ({model_name, litellm_params: null, model_info: mi as ModelInfoRow['model_info']})

describe('prettyModelName', () => {
  it.each([
    ['claude-opus-4-6', 'Claude Opus 4.6'],
    ['gemini-2.5-pro', 'Gemini 2.5 Pro'],
    ['gpt-4o-mini', 'GPT-4o Mini'],
    ['gpt-4.1', 'GPT-4.1'],
    ['glm-4-6', 'GLM-4.6'],
    ['claude-3-5-sonnet-20241022', 'Claude 3.5 Sonnet 20241022'],
    ['openai/gpt-4o', 'GPT-4o'],
    ['llama3', 'Llama3'],
    ['---', '---'],
  ])('%s → %s', (id, name) => expect(prettyModelName(id)).toBe(name))
})

describe('modelDetails / buildCatalogue', () => {
  it('takes the smallest limits and a capability only when every deployment has it', () => {
    const d = modelDetails([
      row('m', {max_input_tokens: 200000, max_output_tokens: 64000, supports_vision: true, supports_reasoning: true}),
      row('m', {max_input_tokens: 100000, max_tokens: 8000, supports_vision: false, supports_reasoning: null}),
    ]).get('m')!
    expect(d).toMatchObject({contextWindow: 100000, maxTokens: 8000, vision: false, reasoning: true, nonChat: false})
  })

  it('keeps the proxy order, leaves out non-chat models, and falls back to defaults', () => {
    const cat = buildCatalogue(['embed', 'b', 'a'], [row('embed', {mode: 'embedding'}), row('a', {max_input_tokens: 1000, max_output_tokens: 5000, supports_vision: true, supports_reasoning: false})])
    expect(cat.skipped).toEqual(['embed'])
    expect(cat.defaulted).toEqual(['b'])
    expect(cat.models).toEqual([
      {id: 'b', name: 'B', reasoning: false, input: ['text'], contextWindow: 128000, maxTokens: 8192},
      // maxTokens never exceeds the context window
      {id: 'a', name: 'A', reasoning: false, input: ['text', 'image'], contextWindow: 1000, maxTokens: 1000},
    ])
  })

  it('without /model/info, every model gets defaults', () => {
    const cat = buildCatalogue(['x', 'y'], undefined)
    expect(cat.defaulted).toEqual(['x', 'y'])
    expect(cat.models.map((m) => m.contextWindow)).toEqual([128000, 128000])
  })

  it('--models restricts (and may name a non-chat model on purpose); unknown names are an input error', () => {
    const info = [row('embed', {mode: 'embedding'})]
    expect(buildCatalogue(['a', 'embed', 'c'], info, ['c', 'embed', 'c']).models.map((m) => m.id)).toEqual(['c', 'embed'])
    expect(() => buildCatalogue(['a'], info, ['a', 'zz'])).toThrow(InputError)
    expect(() => buildCatalogue(['a'], info, ['zz'])).toThrow(/does not serve 'zz'/)
  })
})

describe('mergeModelEntries', () => {
  it("refreshes discovered fields, keeps the user's name and extra fields, drops models no longer served", () => {
    const existing = [
      {id: 'a', name: 'My A', cost: {input: 0, output: 0}, contextWindow: 1, reasoning: true},
      {id: 'gone', name: 'Gone'},
      'junk',
    ]
    const merged = mergeModelEntries(existing, [
      {id: 'a', name: 'A', reasoning: false, input: ['text'], contextWindow: 100, maxTokens: 10},
      {id: 'b', name: 'B', reasoning: true, input: ['text', 'image'], contextWindow: 200, maxTokens: 20},
    ])
    expect(merged).toEqual([
      {id: 'a', name: 'My A', cost: {input: 0, output: 0}, contextWindow: 100, reasoning: false, input: ['text'], maxTokens: 10},
      {id: 'b', name: 'B', reasoning: true, input: ['text', 'image'], contextWindow: 200, maxTokens: 20},
    ])
  })
})

describe('choosePrimary', () => {
  const models = [
    {id: 'fast', name: 'Fast', reasoning: false, input: ['text' as const], contextWindow: 1, maxTokens: 1},
    {id: 'deep', name: 'Deep', reasoning: true, input: ['text' as const], contextWindow: 1, maxTokens: 1},
  ]
  it('sets a default (first reasoning model) only when unset', () => {
    expect(choosePrimary(null, undefined, models)).toEqual({action: 'set', primary: 'litellm/deep', reason: 'unset'})
    expect(choosePrimary('  ', undefined, models)).toMatchObject({action: 'set', primary: 'litellm/deep'})
    expect(choosePrimary(null, undefined, [models[0]!])).toMatchObject({primary: 'litellm/fast'})
    expect(choosePrimary('anthropic/claude', undefined, models)).toEqual({action: 'keep', primary: 'anthropic/claude', reason: 'set'})
    expect(choosePrimary(null, undefined, [])).toEqual({action: 'keep', primary: null, reason: 'no-models'})
  })
  it('--primary wins, with or without the provider prefix, and must be a configured model', () => {
    expect(choosePrimary('anthropic/claude', 'fast', models)).toEqual({action: 'set', primary: 'litellm/fast', reason: 'requested'})
    expect(choosePrimary(null, 'litellm/deep', models)).toMatchObject({primary: 'litellm/deep'})
    expect(() => choosePrimary(null, 'other', models)).toThrow(InputError)
    expect(() => choosePrimary(null, 'ollama/fast', models)).toThrow(/not among the models/)
  })
  it('stalePrimary flags a litellm model the proxy no longer serves', () => {
    expect(stalePrimary('litellm/old', models)).toBe(true)
    expect(stalePrimary('litellm/fast', models)).toBe(false)
    expect(stalePrimary('ollama/old', models)).toBe(false)
    expect(stalePrimary(null, models)).toBe(false)
  })
})

describe('providerFields', () => {
  it('references the key by variable and allows private networks only for LAN addresses', () => {
    const f = providerFields('http://localhost:4000', undefined, [])
    expect(f).toEqual({baseUrl: 'http://localhost:4000', apiKey: '${LITELLM_API_KEY}', api: 'openai-completions', models: []})
    expect(providerFields('http://192.168.1.20:4000', undefined, []).request).toEqual({allowPrivateNetwork: true})
    expect(['10.0.0.1', '172.16.0.1', '172.31.255.1', '192.168.0.1'].every(isPrivateNetworkHost)).toBe(true)
    expect(['172.32.0.1', '8.8.8.8', 'litellm.internal', '127.0.0.1'].some(isPrivateNetworkHost)).toBe(false)
  })
})

describe('the apiKey form', () => {
  it('writes the SecretRef for OpenClaw 2026.6.0 and newer only', () => {
    expect(supportsSecretRef('2026.9.6')).toBe(true)
    expect(supportsSecretRef('v2026.6.0')).toBe(true)
    expect(supportsSecretRef('2027.1.1-beta.2')).toBe(true)
    expect(supportsSecretRef('2026.5.28')).toBe(false)
    expect(supportsSecretRef('2026.3.2')).toBe(false)
    expect(supportsSecretRef(null)).toBe(false)
    expect(supportsSecretRef('latest')).toBe(false)
  })

  it('reads the variable from either form', () => {
    expect(apiKeyVariable('${LITELLM_API_KEY}')).toBe('LITELLM_API_KEY')
    expect(apiKeyVariable({source: 'env', provider: 'default', id: 'MY_KEY'})).toBe('MY_KEY')
    expect(apiKeyVariable({source: 'file', provider: 'f', id: '/x'})).toBeUndefined()
    expect(apiKeyVariable('${lower}')).toBeUndefined()
    expect(apiKeyVariable('sk-plain')).toBeUndefined()
  })
})

describe('model prices', () => {
  it("turns /model/info's USD per token into OpenClaw's USD per 1M tokens, the dearest deployment winning", () => {
    const info = [
      row('m', {input_cost_per_token: 3e-6, output_cost_per_token: 15e-6, cache_read_input_token_cost: 0.3e-6, cache_creation_input_token_cost: null}),
      row('m', {input_cost_per_token: 3.3e-6, output_cost_per_token: 16.5e-6}),
      row('half', {input_cost_per_token: 1e-6}),
    ]
    const {models} = buildCatalogue(['m', 'half'], info)
    expect(models[0]!.cost).toEqual({input: 3.3, output: 16.5, cacheRead: 0.3})
    expect(models[1]!.cost).toBeUndefined()
  })

  it("keeps a user's cost when the proxy has no price, and refreshes it when it has one", () => {
    const existing = [{id: 'a', name: 'A', cost: {input: 1, output: 2}}, {id: 'b', name: 'B', cost: {input: 9, output: 9}}]
    const [a, b] = mergeModelEntries(existing, [
      {id: 'a', name: 'x', reasoning: false, input: ['text'], contextWindow: 1000, maxTokens: 100},
      {id: 'b', name: 'x', reasoning: false, input: ['text'], contextWindow: 1000, maxTokens: 100, cost: {input: 3, output: 4}},
    ])
    expect(a!.cost).toEqual({input: 1, output: 2})
    expect(b!.cost).toEqual({input: 3, output: 4})
  })
})
