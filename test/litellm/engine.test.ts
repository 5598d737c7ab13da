/**
 * The stand-in query engine's translation (test/litellm/engine/query-engine.mjs): prisma-client-py's GraphQL
 * (as its query builder writes it) to Prisma's JSON protocol, typed by a real DMMF, and the answers back.
 */
import {beforeAll, describe, expect, it} from '@jest/globals'
import {createRequire} from 'node:module'

type Idx = unknown
interface Engine {
  indexDmmf(dmmf: unknown): Idx
  translateQuery(gql: string, idx: Idx, parse: (s: string) => unknown): {alias: string; action: string; request: Record<string, unknown>}
  untag(v: unknown): unknown
  rawRows(v: unknown): unknown
  ENGINE_HASH: string
}

const SCHEMA = `
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model Budget {
  budget_id  String  @id
  max_budget Float?
  keys       Token[]
}
model Token {
  token           String    @id
  key_alias       String?   @unique
  models          String[]
  metadata        Json      @default("{}")
  tpm_limit       BigInt?
  budget_reset_at DateTime?
  budget_id       String?
  budget          Budget?   @relation(fields: [budget_id], references: [budget_id])
}
`

let engine: Engine
let idx: Idx
let parse: (s: string) => unknown

beforeAll(async () => {
  const require = createRequire(import.meta.url)
  const schemaWasm = require('@prisma/prisma-schema-wasm') as {get_dmmf(p: string): string}
  parse = (require('graphql') as {parse: (s: string) => unknown}).parse
  engine = (await import('./engine/query-engine.mjs' as string)) as Engine
  idx = engine.indexDmmf(JSON.parse(schemaWasm.get_dmmf(JSON.stringify({prismaSchema: SCHEMA}))))
})

describe('GraphQL to JSON protocol', () => {
  it('tags Json, DateTime and big BigInt inputs by their DMMF type, leaves strings and lists alone', () => {
    const gql = `mutation {
  result: createOneToken
  (
    data: {
      token: "abc"
      models: [
        "gpt-4o"
      ]
      metadata: "{\\"team\\": \\"x\\"}"
      tpm_limit: 12345678901234567890
      budget_reset_at: "2026-12-01T00:00:00+00:00"
      budget: {
        connect: {
          budget_id: "b1"
        }
      }
    }
  )
  {
    token
    metadata
    budget {
      max_budget
    }
  }
}`
    const t = engine.translateQuery(gql, idx, parse)
    expect(t.alias).toBe('result')
    expect(t.request).toEqual({
      modelName: 'Token',
      action: 'createOne',
      query: {
        arguments: {
          data: {
            token: 'abc',
            models: ['gpt-4o'],
            metadata: {$type: 'Json', value: '{"team": "x"}'},
            tpm_limit: {$type: 'BigInt', value: '12345678901234567890'},
            budget_reset_at: {$type: 'DateTime', value: '2026-12-01T00:00:00+00:00'},
            budget: {connect: {budget_id: 'b1'}},
          },
        },
        selection: {token: true, metadata: true, budget: {selection: {max_budget: true}}},
      },
    })
  })

  it('maps findUnique...OrThrow, aggregate counts and filters; raw queries keep their JSON parameters', () => {
    const find = engine.translateQuery('query { result: findUniqueTokenOrThrow(where: {token: "abc"}) { token } }', idx, parse)
    expect(find.request).toMatchObject({modelName: 'Token', action: 'findUniqueOrThrow', query: {arguments: {where: {token: 'abc'}}}})
    const count = engine.translateQuery('query { result: aggregateToken(where: {budget_reset_at: {lt: "2026-12-01T00:00:00Z"}}) { _count { _all } } }', idx, parse)
    expect(count.request).toEqual({
      modelName: 'Token',
      action: 'aggregate',
      query: {arguments: {where: {budget_reset_at: {lt: {$type: 'DateTime', value: '2026-12-01T00:00:00Z'}}}}, selection: {_count: {selection: {_all: true}}}},
    })
    const raw = engine.translateQuery('mutation { result: queryRaw(query: "SELECT $1::text AS a", parameters: "[\\"x\\"]") }', idx, parse)
    expect(raw.request).toEqual({action: 'queryRaw', query: {arguments: {query: 'SELECT $1::text AS a', parameters: '["x"]'}, selection: {}}})
    expect(() => engine.translateQuery('query { result: findManyNope { a } }', idx, parse)).toThrow(/unknown operation findManyNope/)
  })
})

describe('answers back to the GraphQL protocol shapes', () => {
  it('strips $type wrappers (Json stays JSON text, as prisma-client-py parses it)', () => {
    expect(
      engine.untag({
        token: 'abc',
        metadata: {$type: 'Json', value: '{"a":1}'},
        budget_reset_at: {$type: 'DateTime', value: '2026-12-01T00:00:00.000Z'},
        tpm_limit: {$type: 'BigInt', value: '42'},
        keys: [{spend: {$type: 'Decimal', value: '1.5'}}],
      }),
    ).toEqual({token: 'abc', metadata: '{"a":1}', budget_reset_at: '2026-12-01T00:00:00.000Z', tpm_limit: 42, keys: [{spend: 1.5}]})
  })

  it('turns column-wise raw results into prisma__type/prisma__value rows', () => {
    expect(engine.rawRows({columns: ['n', 'tags', 'gone'], types: ['int', 'string-array', 'string'], rows: [[1, ['a'], null]]})).toEqual([
      {n: {prisma__type: 'int', prisma__value: 1}, tags: {prisma__type: 'array', prisma__value: [{prisma__type: 'string', prisma__value: 'a'}]}, gone: {prisma__type: 'null', prisma__value: null}},
    ])
  })

  it('pins the engine hash prisma-client-py 0.11.0 expects', () => {
    expect(engine.ENGINE_HASH).toBe('ac9d7041ed77bcc8a8dbd2ab6616b39013829574')
  })
})
