/**
 * `spend logs show`: one request on one screen. Every string from the proxy is sanitised; the prompt
 * and response are shortened unless `full` (the --json result carries them raw).
 */
import {isEmptyPayload, shorten, type RequestDetails} from '../domain/spend-request.js'
import {formatInt, formatUsd} from './format.js'
import {sanitizeForTerminal, sanitizeLines} from './sanitize.js'

const safe = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '-' : sanitizeForTerminal(v))
const ms = (v: number | null): string => (v === null ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`)

/** The message text of a chat message's content (a string, or OpenAI's list of parts). */
function contentText(c: unknown): string {
  if (typeof c === 'string') return c
  if (Array.isArray(c)) return c.map((p) => (p && typeof p === 'object' && typeof (p as {text?: unknown}).text === 'string' ? (p as {text: string}).text : JSON.stringify(p))).join('\n')
  return c === undefined || c === null ? '' : JSON.stringify(c)
}

/** Chat messages as `role: text` lines; anything else as indented JSON. */
export function messagesText(v: unknown): string {
  const list = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as {messages?: unknown}).messages) ? (v as {messages: unknown[]}).messages : undefined
  if (list && list.every((m) => m && typeof m === 'object' && typeof (m as {role?: unknown}).role === 'string')) {
    return list.map((m) => `${(m as {role: string}).role}: ${contentText((m as {content?: unknown}).content)}`).join('\n')
  }
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2)
}

/** A chat completion's answer text (first choice), else the response as indented JSON. */
export function responseText(v: unknown): string {
  const choices = v && typeof v === 'object' ? (v as {choices?: unknown}).choices : undefined
  if (Array.isArray(choices) && choices.length > 0) {
    const texts = choices.map((c) => {
      const msg = c && typeof c === 'object' ? ((c as {message?: unknown}).message as {content?: unknown; tool_calls?: unknown} | undefined) : undefined
      if (!msg) return JSON.stringify(c)
      const tools = msg.tool_calls ? `\n(tool calls) ${JSON.stringify(msg.tool_calls)}` : ''
      return `${contentText(msg.content)}${tools}`
    })
    return texts.join('\n---\n')
  }
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2)
}

const SHORT_CHARS = 1200
const SHORT_LINES = 20

function block(title: string, text: string, full: boolean): string {
  const cut = full ? {text, omittedChars: 0} : shorten(text, SHORT_CHARS, SHORT_LINES)
  const body = sanitizeLines(cut.text)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
  const more = cut.omittedChars > 0 ? `\n  … ${formatInt(cut.omittedChars)} more characters (--full shows all, --json gives it raw)` : ''
  return `${title}\n${body}${more}`
}

export function renderRequest(d: RequestDetails, opts: {full: boolean; bin?: string}): string {
  const key = d.keyAlias ? `${safe(d.keyAlias)}${d.keyName ? ` (${safe(d.keyName)})` : ''}` : d.keyName ? safe(d.keyName) : d.apiKey === 'litellm_proxy_master_key' ? '(master key)' : safe(d.apiKey ? `${d.apiKey.slice(0, 12)}…` : null)
  const served = [d.model, d.provider ? `via ${d.provider}` : null].filter(Boolean).join(' ')
  const lines: Array<[string, string]> = [
    ['Request', safe(d.requestId)],
    ['Status', d.status === 'failure' ? 'FAILED' : safe(d.status)],
  ]
  if (d.error) {
    lines.push(['Error', [d.error.type, d.error.statusCode ? `(HTTP ${d.error.statusCode})` : null].filter(Boolean).map((s) => safe(s)).join(' ') || '-'])
    if (d.error.message) lines.push(['Message', safe(d.error.message)])
  }
  lines.push(
    ['Key', key],
    ['User', safe(d.user)],
    ['Team', safe(d.team)],
    ['End user', safe(d.endUser)],
    ['Model asked', safe(d.modelGroup)],
    ['Served by', safe(served || null)],
  )
  if (d.apiBase) lines.push(['API base', safe(d.apiBase)])
  if (d.modelId) lines.push(['Deployment', safe(d.modelId)])
  if (d.callType) lines.push(['Call type', safe(d.callType)])
  const cached = d.cachedTokens !== null ? `, ${formatInt(d.cachedTokens)} cached` : ''
  lines.push(
    ['Tokens', `${formatInt(d.promptTokens)} in${cached}, ${formatInt(d.completionTokens)} out, ${formatInt(d.totalTokens)} total`],
    ['Spend', formatUsd(d.spend)],
    ['Cache hit', safe(d.cacheHit)],
    ['Tags', d.tags.length > 0 ? d.tags.map((t) => safe(t)).join(', ') : '-'],
    ['Started', safe(d.startTime)],
    ['Ended', safe(d.endTime)],
    ['First token', d.ttftMs !== null ? `${ms(d.ttftMs)} after the start` : d.completionStartTime && d.status !== 'failure' ? '- (not streamed)' : '-'],
    ['Latency', ms(d.latencyMs)],
  )
  if (d.sessionId) lines.push(['Session', safe(d.sessionId)])
  const width = Math.max(...lines.map(([k]) => k.length))
  const head = lines.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join('\n')
  if (!d.payloadStored || !d.payload) {
    return `${head}\n\nThe proxy did not store this request's messages or response. To keep them, set general_settings.store_prompts_in_spend_logs: true in its config (or STORE_PROMPTS_IN_SPEND_LOGS=true) and restart it; requests made after that can be shown in full.`
  }
  const response = isEmptyPayload(d.payload.response) ? `Response\n  (none${d.status === 'failure' ? ': the request failed' : ''})` : block('Response', responseText(d.payload.response), opts.full)
  const parts = [head, block('Messages', messagesText(d.payload.messages), opts.full), response]
  return parts.join('\n\n')
}
