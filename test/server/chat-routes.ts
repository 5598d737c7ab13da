// `/chat/completions` as a proxy model with `litellm_params.mock_response` answers it (§16): no
// provider is called, the usage is LiteLLM's mock usage (10 prompt + 20 completion tokens) and the
// calling key is charged from the model's price, so a client's request shows up as the key's spend.
// Streaming (`stream: true`) answers server-sent events, with the usage in the last chunk.
import {randomUUID} from 'node:crypto'

import {jsonBody, type Ctx, type Route} from './context.js'
import {HttpError, json, proxyError} from './http.js'
import {ADVERTISED_MODELS} from './models.js'
import type {Reply} from './types.js'

/** What the mock model answers (`mock_response`). */
export const MOCK_REPLY = 'Hello from the keyward test proxy.'
/** `litellm.mock_completion`'s usage. */
export const MOCK_USAGE = {prompt_tokens: 10, completion_tokens: 20, total_tokens: 30} as const

function chat(ctx: Ctx): Reply {
  const body = jsonBody(ctx)
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(proxyError(400, 'invalid_request_error', 'Invalid request body'))
  const b = body as {model?: unknown; messages?: unknown; stream?: unknown}
  const model = typeof b.model === 'string' ? b.model : ''
  const spec = ADVERTISED_MODELS.find((m) => m.name === model)
  if (!spec) {
    throw new HttpError(proxyError(400, 'invalid_request_error', `{'error': '/chat/completions: Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models for your key.'}`, 'None'))
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) throw new HttpError(proxyError(400, 'invalid_request_error', 'litellm.BadRequestError: messages is required'))
  const row = ctx.caller.kind === 'key' ? ctx.caller.row : undefined
  if (row) {
    if (row.models.length > 0 && !row.models.includes(model) && !row.models.includes('all-proxy-models')) {
      throw new HttpError(proxyError(401, 'key_model_access_denied', `key not allowed to access model. This key can only access models=${JSON.stringify(row.models)}. Tried to access ${model}`, 'model'))
    }
    if (row.max_budget !== null && row.spend >= row.max_budget) {
      throw new HttpError(proxyError(400, 'budget_exceeded', `Budget has been exceeded! Current cost: ${row.spend}, Max budget: ${row.max_budget}`, null))
    }
    const cost = MOCK_USAGE.prompt_tokens * spec.input + MOCK_USAGE.completion_tokens * spec.output
    row.spend += cost
    row.model_spend[model] = (row.model_spend[model] ?? 0) + cost
    row.updated_at = ctx.state.now().toISOString()
  }
  const id = `chatcmpl-${randomUUID()}`
  const created = Math.floor(ctx.state.now().getTime() / 1000)
  if (b.stream === true) {
    const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: unknown) =>
      `data: ${JSON.stringify({id, object: 'chat.completion.chunk', created, model, choices: [{index: 0, delta, finish_reason: finish}], ...(usage ? {usage} : {})})}\n\n`
    const text = chunk({role: 'assistant', content: MOCK_REPLY}, null) + chunk({}, 'stop') + `data: ${JSON.stringify({id, object: 'chat.completion.chunk', created, model, choices: [], usage: MOCK_USAGE})}\n\n` + 'data: [DONE]\n\n'
    return {status: 200, text, contentType: 'text/event-stream'}
  }
  return json({
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{index: 0, message: {role: 'assistant', content: MOCK_REPLY}, finish_reason: 'stop'}],
    usage: MOCK_USAGE,
  })
}

export const chatRoutes: Route[] = [
  {method: 'POST', path: '/chat/completions', access: 'key', handler: chat},
  {method: 'POST', path: '/v1/chat/completions', access: 'key', handler: chat},
]
