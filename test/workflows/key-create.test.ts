/** Safe create (workflows/key-create.ts) against the test server: models checked first, one key per alias, a lost answer resolved. */
import {describe, expect, it} from '@jest/globals'
import {createHash} from 'node:crypto'

import {LiteLLMClient} from '../../src/api/client.js'
import {AliasExistsError, checkModelsServed, createKeySafely} from '../../src/workflows/key-create.js'
import {useTestServers} from '../helpers/test-server.js'

const fx = useTestServers({srv: {flavor: 'new'}})
const admin = () => new LiteLLMClient({baseUrl: fx.srv.url, apiKey: fx.srv.masterKey, timeoutMs: 2000})
const generates = () => fx.srv.requests.filter((r) => r.method === 'POST' && r.path === '/key/generate')

describe('checkModelsServed', () => {
  it('accepts served models, special names and wildcards; refuses the others with exit 2, naming what is served', async () => {
    const warned: string[] = []
    await checkModelsServed(admin(), ['gpt-4o', 'all-proxy-models', 'openai/*'], (l) => void warned.push(l))
    await expect(checkModelsServed(admin(), ['gpt-4o', 'gpt-9'], () => undefined)).rejects.toMatchObject({kind: 'usage', message: expect.stringMatching(/^the proxy does not serve 'gpt-9' \(GET \/v1\/models lists: .*gpt-4o/)})
    expect(warned).toEqual([])
  })

  it('cannot read /v1/models: a warning, and the models are sent as given', async () => {
    fx.srv.fault({method: 'GET', path: '/v1/models', kind: 'status503', times: 10})
    const warned: string[] = []
    await checkModelsServed(admin(), ['gpt-9'], (l) => void warned.push(l))
    expect(warned).toEqual([expect.stringMatching(/^could not check --models against the proxy's models/)])
  })
})

describe('createKeySafely', () => {
  it('mints with a secret keyward chose (the proxy stores its hash) and reads the key back; a taken alias is refused before sending', async () => {
    const created = await createKeySafely(admin(), {key_alias: 'kc-one', max_budget: 5, budget_duration: '30d'})
    expect(created.hash).toBe(createHash('sha256').update(created.key).digest('hex'))
    expect(created.row).toMatchObject({key_alias: 'kc-one', max_budget: 5, budget_duration: '30d'})
    expect(fx.srv.keys().filter((k) => k.key_alias === 'kc-one').map((k) => k.token)).toEqual([created.hash])
    await expect(createKeySafely(admin(), {key_alias: 'kc-one'})).rejects.toBeInstanceOf(AliasExistsError)
    expect(generates()).toHaveLength(1)
  })

  it('the answer to the create is lost after the proxy made the key: found by its hash, not minted twice', async () => {
    fx.srv.fault({method: 'POST', path: '/key/generate', kind: 'reset', after: true})
    const notes: string[] = []
    const created = await createKeySafely(admin(), {key_alias: 'kc-lost', max_budget: 5}, {onNote: (l) => void notes.push(l)})
    expect(created.recovered).toBe(true)
    expect(fx.srv.keys().filter((k) => k.key_alias === 'kc-lost').map((k) => k.token)).toEqual([created.hash])
    expect(generates()).toHaveLength(1)
    expect(notes[0]).toMatch(/answer to the create was lost/)
  })
})
