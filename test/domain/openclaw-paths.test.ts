/** OpenClaw's config and .env locations, as OpenClaw 2026.9.6 resolves them (src/domain/openclaw-paths.ts). */
import {describe, expect, it} from '@jest/globals'

import {applyProfile, parseOpenClawProfile, resolveOpenClawPaths} from '../../src/domain/openclaw-paths.js'
import {InputError} from '../../src/core/errors.js'

const H = '/home/u'
const opts = (existing: string[] = [], extra: {profile?: string} = {}) => ({osHome: '/os-home', exists: (f: string) => existing.includes(f), cwd: '/work', ...extra})

describe('resolveOpenClawPaths', () => {
  it('defaults to ~/.openclaw/openclaw.json and ~/.openclaw/.env, with gateway.env after it', () => {
    expect(resolveOpenClawPaths({HOME: H}, opts())).toEqual({
      home: H,
      stateDir: `${H}/.openclaw`,
      configPath: `${H}/.openclaw/openclaw.json`,
      envPath: `${H}/.openclaw/.env`,
      gatewayEnvPath: `${H}/.config/openclaw/gateway.env`,
      source: 'default',
      profile: null,
    })
    // No HOME: the OS home.
    expect(resolveOpenClawPaths({}, opts()).configPath).toBe('/os-home/.openclaw/openclaw.json')
  })

  it('follows OPENCLAW_STATE_DIR for both files, and drops gateway.env', () => {
    const r = resolveOpenClawPaths({HOME: H, OPENCLAW_STATE_DIR: ' ~/state '}, opts([`${H}/.openclaw/openclaw.json`]))
    expect(r).toMatchObject({stateDir: `${H}/state`, configPath: `${H}/state/openclaw.json`, envPath: `${H}/state/.env`, gatewayEnvPath: null, source: 'OPENCLAW_STATE_DIR'})
    // A relative state dir is taken from the working directory.
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_STATE_DIR: 'rel'}, opts()).configPath).toBe('/work/rel/openclaw.json')
    // A legacy clawdbot.json in the state dir is read when openclaw.json is not there.
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_STATE_DIR: '/s'}, opts(['/s/clawdbot.json'])).configPath).toBe('/s/clawdbot.json')
  })

  it('takes OPENCLAW_CONFIG_PATH for the config, and the .env next to it unless OPENCLAW_STATE_DIR is set', () => {
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_CONFIG_PATH: '~/cfg/oc.json5'}, opts())).toMatchObject({configPath: `${H}/cfg/oc.json5`, envPath: `${H}/cfg/.env`, gatewayEnvPath: `${H}/.config/openclaw/gateway.env`, source: 'OPENCLAW_CONFIG_PATH'})
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_CONFIG_PATH: '/c/oc.json', OPENCLAW_STATE_DIR: '/s'}, opts())).toMatchObject({configPath: '/c/oc.json', envPath: '/s/.env', stateDir: '/s'})
  })

  it('uses OPENCLAW_HOME as the home, with ~ meaning the OS home', () => {
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_HOME: '/srv/oc'}, opts())).toMatchObject({home: '/srv/oc', configPath: '/srv/oc/.openclaw/openclaw.json', envPath: '/srv/oc/.openclaw/.env', gatewayEnvPath: '/srv/oc/.config/openclaw/gateway.env'})
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_HOME: '~/alt'}, opts()).configPath).toBe(`${H}/alt/.openclaw/openclaw.json`)
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_HOME: 'undefined'}, opts()).home).toBe(H)
  })

  it('falls back to a legacy ~/.clawdbot config, but keeps the .env in ~/.openclaw', () => {
    const r = resolveOpenClawPaths({HOME: H}, opts([`${H}/.clawdbot`, `${H}/.clawdbot/clawdbot.json`]))
    expect(r).toMatchObject({stateDir: `${H}/.clawdbot`, configPath: `${H}/.clawdbot/clawdbot.json`, envPath: `${H}/.openclaw/.env`})
    // Even with ~/.openclaw present, an existing legacy config is found before a new one would be made.
    expect(resolveOpenClawPaths({HOME: H}, opts([`${H}/.openclaw`, `${H}/.clawdbot`, `${H}/.clawdbot/clawdbot.json`])).configPath).toBe(`${H}/.clawdbot/clawdbot.json`)
    expect(resolveOpenClawPaths({HOME: H}, opts([`${H}/.openclaw`, `${H}/.openclaw/openclaw.json`, `${H}/.clawdbot/clawdbot.json`])).configPath).toBe(`${H}/.openclaw/openclaw.json`)
  })

  it('--profile NAME: ~/.openclaw-NAME for both files, unless the variables are already set', () => {
    expect(resolveOpenClawPaths({HOME: H}, opts([], {profile: 'work'}))).toMatchObject({stateDir: `${H}/.openclaw-work`, configPath: `${H}/.openclaw-work/openclaw.json`, envPath: `${H}/.openclaw-work/.env`, gatewayEnvPath: null, source: 'profile', profile: 'work'})
    expect(resolveOpenClawPaths({HOME: H}, opts([], {profile: 'default'})).configPath).toBe(`${H}/.openclaw/openclaw.json`)
    // An explicit state dir is kept; one equal to the inherited (default) profile's folder is switched.
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_STATE_DIR: '/s'}, opts([], {profile: 'work'}))).toMatchObject({stateDir: '/s', configPath: '/s/openclaw.json'})
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_STATE_DIR: `${H}/.openclaw`}, opts([], {profile: 'work'})).stateDir).toBe(`${H}/.openclaw-work`)
    expect(resolveOpenClawPaths({HOME: H, OPENCLAW_CONFIG_PATH: '/c.json'}, opts([], {profile: 'work'}))).toMatchObject({configPath: '/c.json', envPath: `${H}/.openclaw-work/.env`, source: 'OPENCLAW_CONFIG_PATH'})
    expect(applyProfile({HOME: H}, 'work', opts())).toEqual({HOME: H, OPENCLAW_PROFILE: 'work', OPENCLAW_STATE_DIR: `${H}/.openclaw-work`, OPENCLAW_CONFIG_PATH: `${H}/.openclaw-work/openclaw.json`})
  })

  it('accepts the profile names openclaw --profile accepts', () => {
    expect(parseOpenClawProfile(' dev_2 ')).toBe('dev_2')
    for (const bad of ['', '-x', 'a b', '../x', 'x'.repeat(65)]) expect(() => parseOpenClawProfile(bad)).toThrow(InputError)
  })
})
