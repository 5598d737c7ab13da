/**
 * Date ranges for spend reports and exports. Pure: `now` is a parameter.
 *
 * A range is a set of whole calendar days [since, until] in a time zone (UTC unless `--tz`). Month
 * arithmetic uses date-fns on calendar dates; the conversion of a zoned midnight to an instant uses
 * Intl, so the result does not depend on the machine's own time zone.
 */
// Each function from its own module: date-fns's index imports all 250 of them, and the bundle set them all up,
// whatever is used.
import {addDays} from 'date-fns/addDays'
import {addMonths} from 'date-fns/addMonths'
import {endOfMonth} from 'date-fns/endOfMonth'
import {format} from 'date-fns/format'
import {isAfter} from 'date-fns/isAfter'
import {startOfMonth} from 'date-fns/startOfMonth'

import {parseDay, parseMonth} from './inputs.js'
import {InputError} from '../core/errors.js'

export interface SpendRange {
  /** First day, `YYYY-MM-DD` (inclusive), in `timezone`. */
  since: string
  /** Last day, `YYYY-MM-DD` (inclusive), in `timezone`. */
  until: string
  /** IANA zone name; `UTC` by default. */
  timezone: string
  /** The instant `since` 00:00 starts in `timezone` (epoch ms). */
  startMs: number
  /** The instant the day after `until` starts (epoch ms, exclusive). */
  endMs: number
}

export interface RangeInput {
  /** `YYYY-MM`, or `current` for the current month to date. */
  month?: string
  lastMonth?: boolean
  since?: string
  until?: string
}

const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A calendar date carried by a local-time Date (date-fns works on those); only y/m/d are read back. */
function calendar(ymd: string): Date {
  const m = YMD_RE.exec(ymd)
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${ymd}`)
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
}

const ymdOf = (d: Date): string => format(d, 'yyyy-MM-dd')

/** `YYYY-MM-DD` plus n days. */
export function addDaysYmd(ymd: string, n: number): string {
  return ymdOf(addDays(calendar(ymd), n))
}

/** Every day from since to until, inclusive. */
export function daysOf(since: string, until: string): string[] {
  const out: string[] = []
  for (let d = since; d <= until && out.length < 100_000; d = addDaysYmd(d, 1)) out.push(d)
  return out
}

/** Validate `--tz`: an IANA zone name (Europe/Berlin) or UTC. */
export function parseTimeZone(input: string): string {
  const v = input.trim()
  if (/^(utc|z|gmt|etc\/utc)$/i.test(v)) return 'UTC'
  try {
    return new Intl.DateTimeFormat('en-US', {timeZone: v}).resolvedOptions().timeZone
  } catch {
    throw new InputError(`unknown time zone '${input}': use an IANA name`, '--tz Europe/Berlin')
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'})
    formatters.set(tz, f)
  }
  return f
}

/** The zone's offset from UTC at an instant, in ms (Berlin in winter: +3,600,000). */
export function zoneOffsetMs(ms: number, tz: string): number {
  if (tz === 'UTC') return 0
  const p: Record<string, number> = {}
  for (const part of formatter(tz).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** The instant a calendar day starts in a zone. */
export function zonedDayStartMs(ymd: string, tz: string): number {
  const m = YMD_RE.exec(ymd)
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${ymd}`)
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (tz === 'UTC') return guess
  let t = guess - zoneOffsetMs(guess, tz)
  const second = zoneOffsetMs(t, tz)
  if (guess - second !== t) t = guess - second
  return t
}

/** The calendar day of an instant in a zone. */
export function dayInZone(ms: number, tz: string): string {
  return new Date(ms + zoneOffsetMs(ms, tz)).toISOString().slice(0, 10)
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the format `/spend/logs/v2` takes. */
export function formatSpendDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** Resolve --month / --last-month / --since / --until to whole days in `tz`. Throws InputError. */
export function resolveRange(input: RangeInput, now: Date, tz = 'UTC'): SpendRange {
  const today = dayInZone(now.getTime(), tz)
  const chosen = [input.month !== undefined, Boolean(input.lastMonth), input.since !== undefined || input.until !== undefined].filter(Boolean).length
  if (chosen > 1) throw new InputError('use only one of --month, --last-month and --since/--until', '--month 2026-10')
  let since: string
  let until: string
  if (input.month !== undefined && input.month !== 'current') {
    const {year, month} = parseMonth(input.month)
    const first = new Date(year, month - 1, 1)
    since = ymdOf(first)
    until = ymdOf(endOfMonth(first))
  } else if (input.lastMonth) {
    const first = startOfMonth(addMonths(calendar(today), -1))
    since = ymdOf(first)
    until = ymdOf(endOfMonth(first))
  } else if (input.since !== undefined || input.until !== undefined) {
    until = input.until === undefined ? today : parseDay(input.until, '--until').toISOString().slice(0, 10)
    // --until alone: from the first of that month.
    since = input.since === undefined ? `${until.slice(0, 8)}01` : parseDay(input.since, '--since').toISOString().slice(0, 10)
    if (isAfter(calendar(since), calendar(until))) {
      throw new InputError(`--since ${since} is after --until ${until}`, `--since ${until} --until ${since}`)
    }
  } else {
    // --month alone (or nothing): the current month to date.
    since = ymdOf(startOfMonth(calendar(today)))
    until = today
  }
  return {since, until, timezone: tz, startMs: zonedDayStartMs(since, tz), endMs: zonedDayStartMs(addDaysYmd(until, 1), tz)}
}

/**
 * Turns a row's `startTime` into epoch ms and its calendar day in the range's zone, cheaply: UTC ISO
 * strings are sliced, other zones use an offset cached per quarter hour (zone changes fall on those).
 */
export class DayKeyer {
  private readonly offsets = new Map<number, number>()

  constructor(readonly timezone: string) {}

  /** Epoch ms of a LiteLLM timestamp; values without an offset are UTC. NaN when unreadable. */
  static timeOf(startTime: string): number {
    const last = startTime.charCodeAt(startTime.length - 1)
    // ...Z or ...+00:00 / -05:00: the engine parses these (also with microseconds).
    if (last === 90 /* Z */ || /[+-]\d\d:?\d\d$/.test(startTime)) return Date.parse(startTime)
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(startTime)) return Date.parse(`${startTime.replace(' ', 'T')}Z`)
    return Date.parse(startTime)
  }

  dayOf(ms: number): string {
    if (this.timezone === 'UTC') return new Date(ms).toISOString().slice(0, 10)
    const bucket = Math.floor(ms / 900_000)
    let off = this.offsets.get(bucket)
    if (off === undefined) {
      if (this.offsets.size > 50_000) this.offsets.clear()
      off = zoneOffsetMs(bucket * 900_000, this.timezone)
      this.offsets.set(bucket, off)
    }
    return new Date(ms + off).toISOString().slice(0, 10)
  }
}

/** `--month` may stand alone (the current month): give it a value before oclif parses. */
export function withOptionalMonth(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    out.push(a)
    if (a === '--') {
      out.push(...argv.slice(i + 1))
      break
    }
    if (a === '--month' && (i + 1 >= argv.length || argv[i + 1]!.startsWith('-'))) out.push('current')
  }
  return out
}
