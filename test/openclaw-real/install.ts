/**
 * The real OpenClaw for the real-client test, installed from npm into a cache folder (nothing else is
 * downloaded): Node 24 from the `node` package (OpenClaw needs Node >= 24.16), then `openclaw` with that
 * Node first on PATH, so its install scripts run under the Node it will run on.
 *
 *   ${XDG_CACHE_HOME:-~/.cache}/keyward/openclaw-real/node-<version>/
 *   ${XDG_CACHE_HOME:-~/.cache}/keyward/openclaw-real/openclaw-<version>/
 *
 * Each is installed into a temporary sibling folder and renamed into place when npm succeeded, so an
 * interrupted install never leaves a half-filled cache; a later run starts that one again.
 */
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {describeRun, run} from './proc.js'

export const NODE_VERSION = '24.21.0'
export const OPENCLAW_VERSION = '2026.9.6'

export interface RealOpenClaw {
  /** `.../node_modules/.bin`, to put first on PATH. */
  nodeBinDir: string
  node: string
  /** OpenClaw's entry script (`openclaw.mjs`), run with `node`. */
  openclaw: string
  /** The folder with npm's `openclaw` link, as on a user's PATH (keyward reads the version through it). */
  openclawBinDir: string
  version: string
  /** Whether this call installed anything, and how long it took. */
  installed: string[]
  ms: number
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME?.trim()
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME?.trim() || os.homedir(), '.cache')
  return path.join(base, 'keyward', 'openclaw-real')
}

const INSTALL_TIMEOUT_MS = 15 * 60_000

/** `npm install --prefix <dir> <spec>` into a fresh temporary folder, renamed to `dir` on success. */
async function npmInstall(dir: string, spec: string, binDirFirst: string | undefined, check: string): Promise<boolean> {
  if (existsSync(check)) return false
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`
  await fs.mkdir(tmp, {recursive: true})
  try {
    const env: NodeJS.ProcessEnv = {...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false'}
    if (binDirFirst) env.PATH = `${binDirFirst}${path.delimiter}${process.env.PATH ?? ''}`
    const args = ['install', '--prefix', tmp, '--no-save', '--no-package-lock', '--loglevel=error', spec]
    let r = await run('npm', args, {env, cwd: tmp, timeoutMs: INSTALL_TIMEOUT_MS})
    // One more try for a registry hiccup (not for a timeout: that would double an already long wait).
    if (r.exitCode !== 0 && !r.timedOut) r = await run('npm', args, {env, cwd: tmp, timeoutMs: INSTALL_TIMEOUT_MS})
    if (r.exitCode !== 0) throw new Error(describeRun(`npm install ${spec}`, r))
    await fs.rm(dir, {recursive: true, force: true})
    await fs.rename(tmp, dir)
  } finally {
    await fs.rm(tmp, {recursive: true, force: true})
  }
  if (!existsSync(check)) throw new Error(`npm install ${spec} finished but ${check} is missing`)
  return true
}

export async function ensureOpenClaw(log: (line: string) => void = () => {}): Promise<RealOpenClaw> {
  const started = Date.now()
  const root = cacheRoot()
  await fs.mkdir(root, {recursive: true})
  const installed: string[] = []

  const nodeDir = path.join(root, `node-${NODE_VERSION}`)
  const nodeBinDir = path.join(nodeDir, 'node_modules', '.bin')
  const node = path.join(nodeBinDir, 'node')
  log(`openclaw-real: Node ${NODE_VERSION} in ${nodeDir}`)
  if (await npmInstall(nodeDir, `node@${NODE_VERSION}`, undefined, node)) installed.push(`node@${NODE_VERSION}`)
  const nodeVersion = (await run(node, ['--version'], {env: {PATH: process.env.PATH}, cwd: root, timeoutMs: 30_000})).stdout.trim()
  if (nodeVersion !== `v${NODE_VERSION}`) throw new Error(`${node} --version says '${nodeVersion}', expected v${NODE_VERSION}`)

  const ocDir = path.join(root, `openclaw-${OPENCLAW_VERSION}`)
  const openclaw = path.join(ocDir, 'node_modules', 'openclaw', 'openclaw.mjs')
  log(`openclaw-real: OpenClaw ${OPENCLAW_VERSION} in ${ocDir}`)
  if (await npmInstall(ocDir, `openclaw@${OPENCLAW_VERSION}`, nodeBinDir, openclaw)) installed.push(`openclaw@${OPENCLAW_VERSION}`)
  const pkg = JSON.parse(await fs.readFile(path.join(ocDir, 'node_modules', 'openclaw', 'package.json'), 'utf8')) as {version: string}
  if (pkg.version !== OPENCLAW_VERSION) throw new Error(`${ocDir} holds openclaw ${pkg.version}, expected ${OPENCLAW_VERSION}`)
  return {nodeBinDir, node, openclaw, openclawBinDir: path.join(ocDir, 'node_modules', '.bin'), version: pkg.version, installed, ms: Date.now() - started}
}
