/**
 * Where `budget check --notify` sends alerts, recognised by the address:
 * - Slack incoming webhooks: `https://hooks.slack.com/services/...` (also `/workflows/...`, `/triggers/...`)
 * - Discord webhooks: `https://discord.com/api/webhooks/...` (also discordapp.com, ptb./canary.)
 * - anything else: a generic webhook receiving keyward's versioned JSON payload.
 * A `slack+`, `discord+` or `generic+` prefix on the scheme (`slack+https://chat.internal/hook`) forces
 * the format, e.g. for a relay or a test receiver; the prefix is removed before sending.
 *
 * Webhook URLs embed secrets (Slack and Discord tokens are in the path), so they are only ever shown
 * as `https://host/…` (see `redactWebhookUrl`), and the state file knows them by a hash.
 */
import {createHash} from '../core/crypto.js'
import {InputError} from '../core/errors.js'


export type NotifyFormat = 'slack' | 'discord' | 'generic'

export interface NotifyTarget {
  format: NotifyFormat
  /** The address requests go to (secret). */
  url: string
  /** A short stable id for the state file: a hash of the URL, never the URL. */
  id: string
  /** Safe to print: scheme, host and port only. */
  display: string
}

const EXAMPLE = '--notify https://hooks.slack.com/services/T000/B000/XXXX'

/** `https://hooks.slack.com/…`: the path, query and credentials are secrets. */
export function redactWebhookUrl(raw: string): string {
  try {
    const u = new URL(raw.replace(/^(slack|discord|generic)\+/i, ''))
    return `${u.protocol}//${u.host}/…`
  } catch {
    return '(an invalid URL)'
  }
}

export function detectFormat(u: URL): NotifyFormat {
  const host = u.hostname.toLowerCase()
  if (host === 'hooks.slack.com' || host === 'hooks.slack-gov.com') return 'slack'
  if (/^((ptb|canary)\.)?discord(app)?\.com$/.test(host) && u.pathname.startsWith('/api/webhooks/')) return 'discord'
  return 'generic'
}

export function parseNotifyTarget(input: string): NotifyTarget {
  const raw = input.trim()
  const forced = /^(slack|discord|generic)\+/i.exec(raw)
  const address = forced ? raw.slice(forced[0].length) : raw
  let u: URL
  try {
    u = new URL(address)
  } catch {
    // Not echoed: a mistyped webhook URL is still a secret.
    throw new InputError('invalid --notify value: not a URL; use the full http(s) address of the webhook', EXAMPLE)
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new InputError(`invalid webhook URL '${u.protocol}//${u.host}/…': only http and https are supported`, EXAMPLE)
  }
  const format = forced ? (forced[1].toLowerCase() as NotifyFormat) : detectFormat(u)
  const url = u.toString()
  const id = createHash('sha256').update(url, 'utf8').digest('hex').slice(0, 16)
  return {format, url, id, display: `${format} ${u.protocol}//${u.host}/…`}
}
