/**
 * Where `budget check` records what it delivered, behind one interface: the local state file (the
 * default: a lock serialises runs on one machine, the file says what was sent) or Redis (`--state
 * redis://…`: runs on any number of hosts claim each alert atomically). The delivery loop in
 * budget-check.ts is the same for both: read what was delivered, claim an alert, send it, then
 * confirm the claim (recorded) or release it (the next run tries again).
 *
 * Delivery is at-least-once with both: an alert is recorded as in flight before its POST, so a run
 * killed mid-delivery is followed by one that sends it again with the same id (and says so). With
 * Redis the in-flight claim is a lease (KEYWARD_CLAIM_TTL, default 300 s): until it expires no other
 * run sends that alert; after it, the next run does. The lease must outlast one delivery (3 attempts of
 * at most 10 s each).
 */
import {checkLabel, stillValidMarkers, type DueAlert, type KeyCheck} from '../domain/alerts.js'
import {recordExpiresAt, type RedisStateUrl} from '../domain/state-url.js'
import {usageError} from '../core/errors.js'
import {clearDelivering, keyState, markDelivering, preserveCorrupt, pruneMarkers, readStateFile, recordDelivered, sentMarkers, writeStateFile, type AlertState} from '../io/alert-state.js'
import {acquireLock} from '../io/lock.js'
import type {ClaimRef, RedisAlertState} from '../io/state-redis.js'
import type {NotifyTarget} from '../notify/targets.js'
import type {Notes} from './notes.js'

export type Claim =
  | {claimed: true; /** When an earlier run was stopped while delivering it. */ earlier?: string; confirm(): Promise<void>; release(): Promise<void>}
  | {claimed: false; /** Why not, for a note: another run holds it. */ reason: string}

export interface KeyAlerts {
  /** Markers already delivered to the target (budget ones in this window, and problems); stale ones re-armed. */
  delivered(targetId: string): Promise<{sent: Set<string>; problems: Set<string>}>
  claim(target: NotifyTarget, alert: DueAlert): Promise<Claim>
}

export interface AlertStore {
  /** Shown as `stateFile` in the result: the path, or the Redis URL without its password. */
  readonly location: string
  /** False: another run holds the store (file lock); this run sends nothing. */
  open(o: {tracked: readonly KeyCheck[]; complete: boolean}): Promise<boolean>
  key(check: KeyCheck): Promise<KeyAlerts>
  /** The run ended normally (the file is written a last time). */
  finish(): Promise<void>
  /** Always called, after finish or a failure. */
  close(): Promise<void>
}

export interface StoreOptions {
  dryRun: boolean
  now: Date
  notes: Notes
}

// --- the state file -------------------------------------------------------------------------------

export function fileAlertStore(stateFile: string, o: StoreOptions & {lockWaitMs: () => number}): AlertStore {
  const {notes} = o
  let release: (() => Promise<void>) | undefined
  let state: AlertState | undefined
  const write = async (consequence?: string): Promise<void> => {
    await writeStateFile(stateFile, state!).catch((error: unknown) => {
      throw stateFileError(error, stateFile, consequence)
    })
  }
  return {
    location: stateFile,
    async open({tracked, complete}) {
      if (!o.dryRun) {
        const lock = await acquireLock(`${stateFile}.lock`, {waitMs: o.lockWaitMs()}).catch((error: unknown) => {
          throw stateFileError(error, `${stateFile}.lock`)
        })
        if (!lock.acquired) {
          const who = lock.holder ? ` (pid ${lock.holder.pid} on ${lock.holder.hostname}, since ${lock.holder.createdAt})` : ''
          notes.warn(`another keyward budget check holds the lock ${stateFile}.lock${who}; no alerts sent by this run`)
          return false
        }
        release = lock.release
        if (lock.recovered) notes.warn(`took over a stale lock${lock.recovered === 'unreadable' ? '' : ` left by pid ${lock.recovered.pid} on ${lock.recovered.hostname} (${lock.recovered.createdAt})`}`)
      }
      const read = o.dryRun
        ? await readStateFile(stateFile)
        : await readStateFile(stateFile).catch((error: unknown) => {
            throw stateFileError(error, stateFile)
          })
      if (read.status === 'corrupt') {
        if (o.dryRun) notes.warn(`the alert state file ${stateFile} is corrupted (${read.reason}); a real run would rebuild it`)
        else {
          const aside = await preserveCorrupt(stateFile)
          notes.warn(`the alert state file ${stateFile} is corrupted (${read.reason}); rebuilt it${aside ? ` (the old one is kept as ${aside})` : ''}: alerts of the current windows may be sent once more`)
        }
      }
      // A dry run works on a copy: it changes no state.
      state = o.dryRun ? structuredClone(read.state) : read.state
      // When every key was listed, keys that are gone (or lost their budget) are dropped from the state.
      if (complete && !o.dryRun) {
        const present = new Set(tracked.map((c) => c.hash!))
        for (const hash of Object.keys(state.keys)) if (!present.has(hash)) delete state.keys[hash]
      }
      return true
    },
    async key(check) {
      const entry = keyState(state!, check.hash!, check.alias, check.windowId)
      pruneMarkers(entry, (markers) => stillValidMarkers(check, markers))
      return {
        delivered: async (targetId) => sentMarkers(entry, targetId),
        async claim(target, alert) {
          // Recorded before sending: a run killed during the POST leaves a trace for the next one.
          const earlier = markDelivering(entry, target.id, alert.covers, o.now)
          await write()
          return {
            claimed: true,
            earlier,
            async confirm() {
              clearDelivering(entry, target.id, alert.covers)
              recordDelivered(entry, target.id, alert.covers, o.now)
              await write('an alert was sent but could not be recorded, so it will be sent again')
            },
            async release() {
              clearDelivering(entry, target.id, alert.covers)
            },
          }
        },
      }
    },
    async finish() {
      if (!o.dryRun && state) await write()
    },
    async close() {
      await release?.()
    },
  }
}

/** The state file or its folder cannot be used (permissions, a folder in the way): a usage error, exit 2. */
export function stateFileError(error: unknown, file: string, consequence?: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (!code) return error
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a file is in the way',
    EEXIST: 'a file is in the way',
    EISDIR: 'it is a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left',
  }
  return usageError(
    `cannot use the alert state file ${file}: ${why[code] ? `${why[code]} (${code})` : code}${consequence ? ` (${consequence})` : ''}`,
    'Choose a writable file with --state /path/to/budget-state.json',
    'or set KEYWARD_DATA_DIR to a writable folder',
  )
}

// --- Redis ----------------------------------------------------------------------------------------

export const DEFAULT_CLAIM_TTL_MS = 300_000

export function redisAlertStore(url: RedisStateUrl, o: StoreOptions & {claimTtlMs: number}): AlertStore {
  let redis: RedisAlertState | undefined
  const isProblem = (marker: string) => marker.startsWith('problem:')
  return {
    location: url.display,
    async open() {
      // The client is loaded here, not at start-up.
      const {RedisAlertState} = await import('../io/state-redis.js')
      redis = await RedisAlertState.connect({url: url.url, display: url.display})
      return true
    },
    async key(check) {
      const keyHash = check.hash!
      const nowMs = o.now.getTime()
      return {
        async delivered(targetId) {
          const got = await redis!.delivered(keyHash, targetId, check.windowId)
          const sent = Object.keys(got.sent)
          const problems = Object.keys(got.problems)
          const valid = new Set(stillValidMarkers(check, [...sent, ...problems]))
          const stale = {sent: sent.filter((m) => !valid.has(m)), problems: problems.filter((m) => !valid.has(m))}
          if (!o.dryRun) await redis!.forget(keyHash, targetId, check.windowId, stale)
          return {sent: new Set(sent.filter((m) => valid.has(m))), problems: new Set(problems.filter((m) => valid.has(m)))}
        },
        async claim(target, alert) {
          const problem = isProblem(alert.marker)
          const ref: ClaimRef = {keyHash, targetId: target.id, scope: problem ? 'problem' : check.windowId, marker: alert.marker}
          // Relative to our clock, so Redis's clock need not agree with it.
          const recordTtlMs = recordExpiresAt(problem ? null : check.windowId, nowMs) - nowMs
          const got = await redis!.claim(ref, {leaseMs: o.claimTtlMs, recordTtlMs, now: o.now})
          if (!got.claimed) {
            const h = got.holder
            const who = h?.host ? ` (pid ${h.pid ?? '?'} on ${h.host}, ${h.at ?? ''})` : ''
            return {claimed: false, reason: h?.state === 'delivering' ? `another run is delivering it${who}` : `another run delivered it${who}`}
          }
          return {
            claimed: true,
            earlier: got.earlier,
            async confirm() {
              const mine = await redis!.confirm(ref, got.token, {covers: alert.covers, recordKey: problem ? 'problems' : {windowId: check.windowId}, recordTtlMs, now: o.now})
              if (!mine) o.notes.warn(`the claim on ${alert.event} for ${checkLabel(check)} to ${target.display} expired before the delivery ended (KEYWARD_CLAIM_TTL is ${Math.round(o.claimTtlMs / 1000)} s): another run may have sent it too`)
            },
            release: () => redis!.release(ref, got.token),
          }
        },
      }
    },
    async finish() {},
    async close() {
      await redis?.close()
    },
  }
}
