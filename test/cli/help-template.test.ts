/**
 * cli/help-template.ts fills in keyward's two help templates without ejs: its output must be ejs's for
 * every help string keyward has (read from the oclif manifest the build writes) and for any string at all.
 */
import {describe, expect, it} from '@jest/globals'
import {createRequire} from 'node:module'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'

import {fastTemplate, type TemplateContext} from '../../src/cli/help-template.js'
import {ROOT} from '../helpers/run-command.js'

// oclif's own ejs, the one its help calls.
const ejs = createRequire(path.join(ROOT, 'node_modules', '@oclif', 'core', 'package.json'))('ejs') as {render: (t: string, ctx: object) => string}

function both(ctx: TemplateContext, t: string): {fast: string | Error; ejs: string | Error} {
  const run = (f: () => string): string | Error => {
    try {
      return f()
    } catch (error) {
      return error as Error
    }
  }
  const viaEjs = (s: string) => ejs.render(s, ctx)
  return {fast: run(() => fastTemplate(ctx, viaEjs)(t)), ejs: run(() => viaEjs(t))}
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

describe('fastTemplate', () => {
  it('renders every string of every command in the manifest as ejs does', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {id: string}>}
    let templated = 0
    let total = 0
    for (const command of Object.values(manifest.commands)) {
      for (const t of strings(command)) {
        total++
        if (t.includes('<%')) templated++
        for (const ctx of [{config: {bin: 'keyward'}, command}, {config: {bin: 'keyward'}}]) {
          const r = both(ctx, t)
          if (r.ejs instanceof Error) expect(r.fast).toBeInstanceOf(Error)
          else expect(r.fast).toBe(r.ejs)
        }
      }
    }
    // The manifest has help text, and some of it uses the templates (else this test would prove nothing).
    expect(total).toBeGreaterThan(500)
    expect(templated).toBeGreaterThan(20)
  })

  it('gives ejs output (or its error) for any string, templates and stray delimiters included', () => {
    const piece = fc.oneof(fc.string(), fc.constantFrom('<%= config.bin %>', '<%= command.id %>', '<%', '%>', '<%%', '<%- config.bin %>', '<%= config.bin -%>', '\n', '&<>"\'', '<%= command.id%>'))
    const ctx = fc.record({config: fc.record({bin: fc.constantFrom('keyward', 'a&b', "it's")}), command: fc.option(fc.record({id: fc.constantFrom('keys:create', 'x<y>', 'q"')}), {nil: undefined})})
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 8}), ctx, (parts, c) => {
        const context: TemplateContext = c.command ? {config: c.config, command: c.command} : {config: c.config}
        const r = both(context, parts.join(''))
        if (r.ejs instanceof Error) expect(r.fast).toBeInstanceOf(Error)
        else expect(r.fast).toBe(r.ejs)
      }),
      {numRuns: 2000},
    )
  })
})
