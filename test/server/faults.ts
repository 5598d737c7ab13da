// Injected failures: what a flaky proxy, a load balancer or a captive portal answers instead of LiteLLM.
import type {Fault, FaultKind, Reply} from './types.js'

export const FAULT_KINDS: readonly FaultKind[] = ['status503', 'status502', 'status504', 'status429', 'status403', 'html', 'truncated', 'reset', 'slow', 'nonjson']

interface Queued {
  fault: Fault
  remaining: number
  skip: number
}

export class FaultQueue {
  private queue: Queued[] = []

  add(fault: Fault): void {
    this.queue.push({fault, remaining: fault.times ?? 1, skip: fault.skip ?? 0})
  }

  clear(): void {
    this.queue = []
  }

  /** The first queued fault for this request and phase, consuming one use (or one skip). */
  take(method: string, path: string, after: boolean): Fault | undefined {
    for (const q of this.queue) {
      const f = q.fault
      if (Boolean(f.after) !== after) continue
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue
      if (typeof f.path === 'string' ? f.path !== path : !f.path.test(path)) continue
      if (q.skip > 0) {
        q.skip--
        return undefined
      }
      if (--q.remaining <= 0) this.queue = this.queue.filter((x) => x !== q)
      return f
    }
    return undefined
  }
}

const nginxPage = (status: number, title: string): string =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n`

const html = (status: number, text: string): Reply => ({status, text, contentType: 'text/html; charset=utf-8'})

/** The reply that replaces the real answer; `reset` and `slow` are handled by the server itself. */
export function faultReply(f: Fault): Reply {
  switch (f.kind) {
    case 'status503':
      // What LiteLLM answers when its database is unreachable during the key lookup (§1).
      return {status: 503, json: {error: {message: 'Authentication Error - DB not connected. Please try again later.', type: 'no_db_connection', param: 'None', code: '503'}}}
    case 'status502':
      return html(502, nginxPage(502, 'Bad Gateway'))
    case 'status504':
      return html(504, nginxPage(504, 'Gateway Time-out'))
    case 'status429':
      return {
        status: 429,
        json: {error: {message: 'Rate limit exceeded. Please retry later.', type: 'throttling_error', param: 'None', code: '429'}},
        headers: f.retryAfter !== undefined ? {'retry-after': String(f.retryAfter)} : undefined,
      }
    case 'status403':
      // LiteLLM's answer to a key that may not read something (ProxyException, type auth_error).
      return {status: 403, json: {error: {message: 'Authentication Error, you are not allowed to access this team', type: 'auth_error', param: 'None', code: '403'}}}
    case 'html':
      // A captive portal / SSO login page answering 200 in front of the proxy.
      return html(200, '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/login"><input name="user"></form></body></html>\n')
    case 'truncated':
      return {status: 200, text: '{"data": [', contentType: 'application/json'}
    case 'nonjson':
      return {status: 200, text: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', contentType: 'text/plain; charset=utf-8'}
    case 'reset':
    case 'slow':
      throw new Error(`fault kind ${f.kind} has no reply`)
  }
}
