// Route table and dispatch: match the path (404/405 first, like FastAPI), then authenticate, then handle.
import type {IncomingHttpHeaders} from 'node:http'
import {authenticate, requireAdmin} from './auth.js'
import {chatRoutes} from './chat-routes.js'
import type {Caller, Ctx, Route, ServerState} from './context.js'
import {dailyRoutes} from './daily.js'
import {HttpError, json, methodNotAllowed, routeNotFound} from './http.js'
import {keyRoutes} from './key-routes.js'
import {controlRoutes, miscRoutes, openapiDoc} from './misc-routes.js'
import {spendRoutes} from './spend-routes.js'
import type {Reply} from './types.js'

interface Compiled {
  route: Route
  re: RegExp
  names: string[]
}

function compile(route: Route): Compiled {
  const names: string[] = []
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return {route, re: new RegExp(`^${source}$`), names}
}

export type RequestInfo = Omit<Ctx, 'params' | 'caller'> & {headers: IncomingHttpHeaders}

export class Router {
  private readonly compiled: Compiled[]

  constructor() {
    const routes: Route[] = [...keyRoutes, ...spendRoutes, ...dailyRoutes, ...miscRoutes, ...chatRoutes, ...controlRoutes]
    routes.push({method: 'GET', path: '/openapi.json', access: 'public', handler: (ctx) => openapiDoc(ctx.state, routes)})
    this.compiled = routes.map(compile)
  }

  /** Any thrown HttpError becomes its reply; any other exception a 500 JSON (the server never crashes). */
  async dispatch(req: RequestInfo): Promise<Reply> {
    try {
      return await this.route(req)
    } catch (e) {
      if (e instanceof HttpError) return e.reply
      const message = e instanceof Error ? e.message : String(e)
      process.stderr.write(`[test-server] handler error on ${req.method} ${req.path}: ${e instanceof Error ? e.stack : message}\n`)
      return json({error: {message: `Internal Server Error, ${message}`, type: 'internal_server_error', param: 'None', code: '500'}}, 500)
    }
  }

  private async route(req: RequestInfo): Promise<Reply> {
    const state: ServerState = req.state
    const candidates = this.compiled
      .map((c) => ({c, m: c.re.exec(req.path)}))
      .filter((x): x is {c: Compiled; m: RegExpExecArray} => x.m !== null && (!x.c.route.enabled || x.c.route.enabled(state)))
    if (candidates.length === 0) return routeNotFound()
    const hit = candidates.find((x) => x.c.route.method === req.method)
    if (!hit) return methodNotAllowed()
    const {route, names} = hit.c
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(hit.m[i + 1]!)]))
    const caller: Caller = route.access === 'public' ? {kind: 'anonymous'} : authenticate(req.headers, state)
    const ctx: Ctx = {...req, params, caller}
    if (route.access === 'admin') requireAdmin(ctx)
    return route.handler(ctx)
  }
}
