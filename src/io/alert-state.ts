/**
 * The alert state of `keyward budget check`: which alerts were delivered where, so the same alert is
 * not sent twice in one budget window. One JSON file, written atomically (0600), read leniently: a
 * corrupted file is reported and rebuilt, never a crash.
 *
 * ```json
 * {"version": 1, "keys": {"<key hash>": {"alias": "ci-bot", "window": "2026-12-01T00:00:00.000Z",
 *   "sent": {"<target id>": {"threshold:80": "2026-11-20T08:00:00.000Z"}},
 *   "problems": {"<target id>": {"problem:blocked": "2026-11-20T08:00:00.000Z"}},
 *   "delivering": {"<target id>": {"threshold:100": "2026-11-20T09:00:00.000Z"}}}}}
 * ```
 * A target id is a short hash of the webhook URL: the file never holds a webhook secret.
 */
import {promises as fs} from 'node:fs'
import {z} from 'zod'

import {writeFileAtomic} from './atomic.js'
import {ownValue, setOwn} from '../core/own.js'
import {PARSE} from '../core/zod-parse.js'

const MarkerTimes = z.record(z.string(), z.string())
const KeyStateSchema = z.object({
  alias: z.string().nullable().optional().transform((v) => v ?? null),
  window: z.string(),
  sent: z.record(z.string(), MarkerTimes).optional().transform((v) => v ?? {}),
  problems: z.record(z.string(), MarkerTimes).optional().transform((v) => v ?? {}),
  /** Alerts being sent right now (written before the POST): a run killed mid-delivery leaves them here. */
  delivering: z.record(z.string(), MarkerTimes).optional(),
})
const AlertStateSchema = z.object({
  version: z.literal(1),
  keys: z.record(z.string(), KeyStateSchema),
})

export type KeyAlertState = z.infer<typeof KeyStateSchema>
export type AlertState = z.infer<typeof AlertStateSchema>

export const STATE_VERSION = 1

export function emptyState(): AlertState {
  return {version: STATE_VERSION, keys: {}}
}

export type ReadStateResult = {state: AlertState; status: 'ok' | 'missing'} | {state: AlertState; status: 'corrupt'; reason: string}

/** Read the state file; a missing file is an empty state, a corrupted one an empty state plus the reason. */
export async function readStateFile(file: string): Promise<ReadStateResult> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {state: emptyState(), status: 'missing'}
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return {state: emptyState(), status: 'corrupt', reason: `not JSON (${error instanceof Error ? error.message : String(error)})`}
  }
  const parsed = AlertStateSchema.safeParse(json, PARSE)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return {state: emptyState(), status: 'corrupt', reason: `unexpected content at ${issue?.path.join('.') || 'the top level'}: ${issue?.message ?? 'invalid'}`}
  }
  return {state: parsed.data, status: 'ok'}
}

/** Write the state atomically (temporary file + rename), readable by the owner only. */
export async function writeStateFile(file: string, state: AlertState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, {mode: 0o600})
}

/** Keep a corrupted file next to the new one (`<file>.corrupt`) for inspection. Returns its path. */
export async function preserveCorrupt(file: string): Promise<string | undefined> {
  const aside = `${file}.corrupt`
  try {
    await fs.rename(file, aside)
    return aside
  } catch {
    return undefined
  }
}

/**
 * The state of one key in its current window. A new window (the budget was reset) re-arms every
 * budget alert; problem alerts are not tied to a window.
 */
export function keyState(state: AlertState, hash: string, alias: string | null, windowId: string): KeyAlertState {
  let entry = ownValue(state.keys, hash)
  if (!entry) {
    entry = {alias, window: windowId, sent: {}, problems: {}}
    setOwn(state.keys, hash, entry)
  } else if (entry.window !== windowId) {
    entry.window = windowId
    entry.sent = {}
  }
  entry.alias = alias
  return entry
}

/** Markers delivered to a target: in this window, and problems. */
export function sentMarkers(entry: KeyAlertState, targetId: string): {sent: Set<string>; problems: Set<string>} {
  return {sent: new Set(Object.keys(entry.sent[targetId] ?? {})), problems: new Set(Object.keys(entry.problems[targetId] ?? {}))}
}

export function recordDelivered(entry: KeyAlertState, targetId: string, markers: readonly string[], at: Date): void {
  for (const m of markers) {
    const bucket = m.startsWith('problem:') ? entry.problems : entry.sent
    bucket[targetId] ??= {}
    bucket[targetId][m] ??= at.toISOString()
  }
}

/**
 * Before a POST: the alert is marked "delivering", so a run killed mid-delivery (kill -9, power loss)
 * leaves a trace; the next run sends it again with the same id (at-least-once) and says so.
 * Returns when an earlier, interrupted run started delivering it, if one did.
 */
export function markDelivering(entry: KeyAlertState, targetId: string, markers: readonly string[], at: Date): string | undefined {
  entry.delivering ??= {}
  entry.delivering[targetId] ??= {}
  const bucket = entry.delivering[targetId]
  const earlier = markers.map((m) => ownValue(bucket, m)).find((v): v is string => typeof v === 'string')
  for (const m of markers) setOwn(bucket, m, at.toISOString())
  return earlier
}

/** The POST ended (delivered or refused): the alert is no longer in flight. */
export function clearDelivering(entry: KeyAlertState, targetId: string, markers: readonly string[]): void {
  const bucket = entry.delivering?.[targetId]
  if (!entry.delivering || !bucket) return
  for (const m of markers) delete bucket[m]
  if (Object.keys(bucket).length === 0) delete entry.delivering[targetId]
  if (Object.keys(entry.delivering).length === 0) delete entry.delivering
}

/** Drop markers that no longer hold (see stillValidMarkers), so they re-arm. */
export function pruneMarkers(entry: KeyAlertState, keep: (markers: string[]) => string[]): void {
  for (const bucket of [entry.sent, entry.problems]) {
    for (const [target, markers] of Object.entries(bucket)) {
      const kept = new Set(keep(Object.keys(markers)))
      for (const m of Object.keys(markers)) if (!kept.has(m)) delete markers[m]
      if (Object.keys(markers).length === 0) delete bucket[target]
    }
  }
}
