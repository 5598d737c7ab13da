// The webhook messages are pure functions of (alert, key check): tested here without any network.
import {describe, expect, it} from '@jest/globals'

import {checkKey, dueAlerts, type KeyCheck} from '../../src/domain/alerts.js'
import {summarizeKey} from '../../src/domain/key-summary.js'
import {alertText, discordPayload, genericPayload, slackPayload} from '../../src/notify/messages.js'

const now = new Date('2026-11-20T12:00:00Z')
const TH = [50, 80, 100]

function check(alias: string, spend: number, extra: Record<string, unknown> = {}): KeyCheck {
  const row = {token: 'ab'.repeat(32), key_alias: alias, key_name: 'sk-...abcd', spend, max_budget: 100, budget_duration: '30d', budget_reset_at: '2026-12-01T00:00:00Z', models: [], ...extra}
  return checkKey(summarizeKey(row as never, now), {thresholds: TH, forecast: true, now})
}
const first = (c: KeyCheck) => dueAlerts(c, new Set(), new Set(), {forecast: true, thresholds: TH})[0]

describe('alert messages', () => {
  it('the plain text names alias, spent/budget, % used, reset and forecast', () => {
    const c = check('ci-bot', 82)
    expect(alertText(first(c), c)).toBe(
      'keyward: ci-bot crossed 80% of its budget: spent $82.00 of $100.00 (82.0% used); resets 2026-12-01 00:00 UTC; forecast at $4.21/day: $126.15 (126.2%) by the reset; runs out 2026-11-24, before the reset',
    )
    const x = check('ci-bot', 101)
    expect(alertText(first(x), x)).toBe(
      'keyward: ci-bot: budget exhausted: spent $101.00 of $100.00 (101.0% used); resets 2026-12-01 00:00 UTC; forecast at $5.18/day: $155.38 (155.4%) by the reset; already exhausted; spend is over the budget by $1.00 (the proxy enforces budgets with a delay)',
    )
  })

  it('Slack: text plus a mrkdwn section, with &, < and > escaped', () => {
    const c = check('a<b>&c', 82)
    const p = slackPayload(first(c), c)
    expect(p.text).toContain('a&lt;b&gt;&amp;c crossed 80%')
    expect(p.text).not.toMatch(/[<>]/)
    expect(p.blocks).toEqual([{type: 'section', text: {type: 'mrkdwn', text: expect.stringMatching(/^:warning: \*a&lt;b&gt;&amp;c crossed 80% of its budget\*\n• spent \$82\.00 of \$100\.00 \(82\.0% used\)\n• resets 2026-12-01 00:00 UTC\n• forecast/)}}])
    const x = check('ci-bot', 100)
    expect((slackPayload(first(x), x).blocks[0] as {text: {text: string}}).text.text).toMatch(/^:rotating_light: \*ci-bot: budget exhausted\*/)
  })

  it('Discord: content with markdown escaped and mentions disabled', () => {
    const c = check('@everyone *bold*', 82)
    const p = discordPayload(first(c), c)
    expect(p.allowed_mentions).toEqual({parse: []})
    expect(p.username).toBe('keyward')
    expect(p.content).toMatch(/^⚠️ \*\*@everyone \\\*bold\\\* crossed 80% of its budget\*\*\n- spent \$82\.00 of \$100\.00 \(82\.0% used\)\n- resets 2026-12-01 00:00 UTC\n- forecast/)
    expect(discordPayload(first(check('x'.repeat(5000), 82)), check('x'.repeat(5000), 82)).content.length).toBeLessThanOrEqual(2000)
  })

  it('control characters in an alias are made visible, not sent raw', () => {
    const c = check('evil\u001b[31m\nbot', 82)
    expect(alertText(first(c), c)).toContain('evil\\e[31m\\nbot')
  })

  it('generic payload, version 1', () => {
    const c = check('ci-bot', 82)
    const p = genericPayload(first(c), c, {id: 'abc', sentAt: now, thresholds: TH, proxy: 'http://litellm:4000'})
    expect(p).toEqual({
      source: 'keyward',
      version: 1,
      id: 'abc',
      event: 'threshold_crossed',
      severity: 'warning',
      sent_at: '2026-11-20T12:00:00.000Z',
      text: 'keyward: ci-bot crossed 80% of its budget: spent $82.00 of $100.00 (82.0% used); resets 2026-12-01 00:00 UTC; forecast at $4.21/day: $126.15 (126.2%) by the reset; runs out 2026-11-24, before the reset',
      key: {alias: 'ci-bot', key_name: 'sk-...abcd', hash: 'ab'.repeat(32)},
      budget: {spent: 82, max_budget: 100, remaining: 18, pct_used: 82, currency: 'USD', budget_duration: '30d', period: 'monthly'},
      window: {start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z', reset_at: '2026-12-01T00:00:00.000Z'},
      threshold: 80,
      thresholds: [50, 80, 100],
      forecast: {burn_rate_per_day: 4.205128, pace: 'window', spend_at_reset: 126.153846, pct_at_reset: 126.15, runs_out_at: '2026-11-24T18:43:54.146Z', exceeds_before_reset: true, reliable: true},
      problem: null,
      proxy: 'http://litellm:4000',
    })
    const blocked = check('ci-bot', 10, {blocked: true})
    const alert = dueAlerts(blocked, new Set(), new Set(), {forecast: true, thresholds: TH})[0]
    expect(genericPayload(alert, blocked, {id: 'x', sentAt: now, thresholds: TH, proxy: null})).toMatchObject({event: 'budget_problem', problem: {kind: 'blocked'}, threshold: null})
  })
})
