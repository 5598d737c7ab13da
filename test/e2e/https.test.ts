/**
 * A proxy reached over https:// (through a local TLS server in front of the test server, with a test-only
 * certificate trusted via NODE_EXTRA_CA_CERTS): the same answer as over http://, and Node's TLS modules are
 * loaded before keyward changes a V8 flag at its first request (src/api/wasm-flags.ts), so Node takes them
 * from its code cache instead of compiling them from source. Needs `npm run build`.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {promises as fs, readFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import path from 'node:path'

import {ROOT} from '../helpers/run-command.js'
import {runBin} from '../helpers/spawn.js'
import {useTestServers} from '../helpers/test-server.js'

const TLS = path.join(ROOT, 'test', 'helpers', 'tls')
const fx = useTestServers({srv: {flavor: 'new'}})
let front: Server
let httpsUrl = ''
beforeAll(async () => {
  fx.srv.addKey({key_alias: 'openclaw', max_budget: 50, budget_duration: '30d'})
  const target = new URL(fx.srv.url)
  front = createServer({key: readFileSync(path.join(TLS, 'localhost-key.pem')), cert: readFileSync(path.join(TLS, 'localhost-cert.pem'))}, (req, res) => {
    const upstream = httpRequest({host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
  httpsUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`
})
afterAll(async () => {
  front.closeAllConnections()
  await new Promise((resolve) => front.close(resolve))
})

describe('an https:// proxy', () => {
  it('answers keys list as over http://; node:tls is loaded before the first request changes a V8 flag', async () => {
    const order = path.join(fx.dir, 'load-order.cjs')
    await fs.writeFile(
      order,
      `process.on('exit', () => { const l = process.moduleLoadList; process.stderr.write('ORDER ' + ['NativeModule tls', 'NativeModule v8'].map((m) => l.indexOf(m)).join(' ') + '\\n') })`,
    )
    const plain = await runBin(['keys', 'list', '--json'], {env: fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir})})
    const env = fx.env(fx.srv, {XDG_CACHE_HOME: fx.dir, LITELLM_PROXY_URL: httpsUrl, NODE_EXTRA_CA_CERTS: path.join(TLS, 'localhost-cert.pem')})
    const secure = await runBin(['keys', 'list', '--json'], {env, nodeArgs: ['--require', order]})
    expect(plain.exitCode).toBe(0)
    expect(secure.exitCode).toBe(0)
    expect(JSON.parse(secure.stdout)).toEqual(JSON.parse(plain.stdout))
    const [tls, v8] = /^ORDER (-?\d+) (-?\d+)$/m.exec(secure.stderr)!.slice(1).map(Number)
    expect(tls).toBeGreaterThanOrEqual(0)
    expect(v8).toBeGreaterThan(tls)
  })
})
