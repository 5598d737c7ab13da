// Reply builders for LiteLLM's error shapes (§2 of litellm-api.md).
import type {IncomingMessage} from 'node:http'

import type {Reply} from './types.js'

export function json(json: unknown, status = 200, headers?: Record<string, string>): Reply {
  return {status, json, headers}
}

/** `ProxyException.to_dict`: `code` is the status as a string, `param` usually the string "None". */
export function proxyError(status: number, type: string, message: string, param: string | null = 'None'): Reply {
  return json({error: {message, type, param, code: String(status)}}, status)
}

/**
 * Python `repr()` of a str: single quotes unless the text contains a single quote and no double quote,
 * which is why LiteLLM messages sometimes read `{'error': "Invalid budget_duration 'monthly'. …"}`.
 */
export function pyRepr(text: string): string {
  const useDouble = text.includes("'") && !text.includes('"')
  const q = useDouble ? '"' : "'"
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(q, 'g'), '\\' + q)
  return q + body + q
}

/**
 * An `HTTPException(detail={"error": text})` passed through `handle_exception_on_proxy`: the message is the
 * dict's Python repr and the type is `internal_server_error` whatever the status (§2).
 */
export function wrappedError(status: number, text: string, param: string | null = 'None'): Reply {
  return proxyError(status, 'internal_server_error', `{'error': ${pyRepr(text)}}`, param)
}

/** A plain Python exception (ValueError, …) that reached the handler: 500 internal_server_error (§2). */
export function internalError(text: string): Reply {
  return proxyError(500, 'internal_server_error', `Internal Server Error, ${text}`)
}

export const routeNotFound = (): Reply => json({detail: 'Not Found'}, 404)
export const methodNotAllowed = (): Reply => json({detail: 'Method Not Allowed'}, 405)

export const keyNotFound = (): Reply => proxyError(404, 'not_found_error', 'Key not found in database', 'key')

export interface ValidationIssue {
  type: string
  loc: (string | number)[]
  msg: string
  input: unknown
  ctx?: Record<string, unknown>
}

/** FastAPI request validation error: 422 `{"detail":[{type, loc, msg, input}]}` (§2). */
export function validationError(issues: ValidationIssue[]): Reply {
  return json({detail: issues}, 422)
}

export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`)
  }
}

/** An integer query parameter with FastAPI's 422 messages (`Query(ge=…, le=…)`). */
export function intParam(query: URLSearchParams, name: string, def: number, min: number, max?: number): number {
  const raw = query.get(name)
  if (raw === null || raw === '') return def
  const fail = (type: string, msg: string, ctx?: Record<string, number>): never => {
    throw new HttpError(validationError([{type, loc: ['query', name], msg, input: raw, ...(ctx ? {ctx} : {})}]))
  }
  if (!/^[+-]?\d+$/.test(raw.trim())) fail('int_parsing', 'Input should be a valid integer, unable to parse string as an integer')
  const n = Number(raw)
  if (n < min) fail('greater_than_equal', `Input should be greater than or equal to ${min}`, {ge: min})
  if (max !== undefined && n > max) fail('less_than_equal', `Input should be less than or equal to ${max}`, {le: max})
  return n
}

/** Query string → plain record (last value wins), as recorded in `requests`. */
export const queryRecord = (q: URLSearchParams): Record<string, string> => Object.fromEntries(q.entries())

/** The whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
