import {describe, expect, it} from '@jest/globals'

import {InputError} from '../../src/core/errors.js'
import {hasPassword, isRedisUrl, parseRedisStateUrl, recordExpiresAt, redactRedisUrl} from '../../src/domain/state-url.js'

describe('Redis state URLs', () => {
  it('parses host, port, database and TLS', () => {
    expect(parseRedisStateUrl('redis://:pw@redis.internal:6380/2')).toMatchObject({host: 'redis.internal', port: 6380, db: 2, tls: false, display: 'redis://:***@redis.internal:6380/2'})
    expect(parseRedisStateUrl('rediss://default:pw@r.example')).toMatchObject({port: 6379, db: 0, tls: true, display: 'rediss://default:***@r.example'})
    expect(hasPassword(parseRedisStateUrl('redis://:pw@h:1/0'))).toBe(true)
    expect(hasPassword(parseRedisStateUrl('redis://h:1/0'))).toBe(false)
    expect(isRedisUrl('REDIS://h')).toBe(true)
    expect(isRedisUrl('./redis://x')).toBe(false)
  })

  it('never shows the password, even one with an unescaped @ or in an unparseable URL', () => {
    expect(redactRedisUrl('redis://user:p@ss@h:6379/0')).toBe('redis://user:***@h:6379/0')
    expect(redactRedisUrl('redis://h:6379')).toBe('redis://h:6379')
    for (const bad of ['redis://:hunter2@h:6379/zero', 'redis://:hunter2@:6379/0', 'redis://:hunter2@h:99999/0', 'redis://:hunter2@h/0?x=1']) {
      let err: unknown
      try {
        parseRedisStateUrl(bad)
      } catch (error) {
        err = error
      }
      expect(err).toBeInstanceOf(InputError)
      expect(String((err as Error).message)).not.toContain('hunter2')
      expect(String((err as Error).message)).toContain('***')
    }
  })

  it('keeps a delivered alert past its window: a day after the end, at least two days, 400 days without an end', () => {
    const now = Date.parse('2026-11-20T12:00:00Z')
    expect(new Date(recordExpiresAt('2026-12-01T00:00:00.000Z', now)).toISOString()).toBe('2026-12-02T00:00:00.000Z')
    // A reset the proxy has not done yet (budget_reset_at in the past).
    expect(recordExpiresAt('2026-11-01T00:00:00.000Z', now)).toBe(now + 2 * 86_400_000)
    expect(recordExpiresAt('lifetime', now)).toBe(now + 400 * 86_400_000)
    expect(recordExpiresAt(null, now)).toBe(now + 400 * 86_400_000)
  })
})
