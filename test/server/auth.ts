// `user_api_key_auth` (§1): header selection and the 401 table.
import type {IncomingHttpHeaders} from 'node:http'
import type {Caller, Ctx, ServerState} from './context.js'
import {HttpError, proxyError} from './http.js'
import {hashKey, keyName} from './keys.js'

const authFail = (type: string, message: string): HttpError => new HttpError(proxyError(401, type, `Authentication Error, ${message}`))

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}

/** `x-litellm-api-key` is checked first and wins (Bearer optional); `Authorization` requires `Bearer `. */
function presentedKey(headers: IncomingHttpHeaders): string {
  const litellm = headerValue(headers['x-litellm-api-key'])
  if (litellm !== undefined) return litellm.replace(/^Bearer\s+/i, '').trim()
  const authorization = headerValue(headers.authorization)
  if (authorization === undefined || authorization.trim() === '') throw authFail('auth_error', 'No api key passed in.')
  if (!authorization.startsWith('Bearer ')) {
    throw authFail('auth_error', `Malformed API Key passed in. Ensure Key has \`Bearer \` prefix. Passed in: ${authorization}`)
  }
  return authorization.slice('Bearer '.length).trim()
}

export function authenticate(headers: IncomingHttpHeaders, state: ServerState): Caller {
  const key = presentedKey(headers)
  if (key === '') throw authFail('auth_error', 'No api key passed in.')
  if (key === state.masterKey) return {kind: 'master'}
  if (!key.startsWith('sk-')) {
    throw authFail('auth_error', `LiteLLM Virtual Key expected. Received=${key}, expected to start with 'sk-'.`)
  }
  const row = state.keys.lookup(key)
  if (!row) {
    throw authFail('token_not_found_in_db', `Invalid proxy server token passed. Received API Key = ${keyName(key)}, Key Hash (Token) =${hashKey(key)}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``)
  }
  if (row.blocked) throw authFail('auth_error', "Key is blocked. Update via `/key/unblock` if you're admin.")
  const now = state.now()
  if (row.expires !== null && Date.parse(row.expires) <= now.getTime()) {
    throw authFail('expired_key', `Expired Key. Key Expiry time ${row.expires} and current time ${now.toISOString()}`)
  }
  return {kind: 'key', row}
}

/** Master-only routes answer 401 auth_error to virtual keys (§1). */
export function requireAdmin(ctx: Ctx): void {
  if (ctx.caller.kind === 'master') return
  const userId = ctx.caller.kind === 'key' ? ctx.caller.row.user_id : null
  throw authFail('auth_error', `Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${ctx.path}. Your role=None. Your user_id=${userId ?? 'None'}`)
}
