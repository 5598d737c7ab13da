/**
 * Wall-clock arithmetic in an IANA time zone, the way Python's `datetime` with a `ZoneInfo` does it:
 * `aware + timedelta` moves the wall clock, and a wall time that falls in a DST gap or overlap takes the
 * offset in force before the transition (`fold=0`). LiteLLM computes budget resets this way in the
 * proxy's `litellm_settings.timezone`, so keyward's predictions of those resets use the same rules.
 * Pure; no dependency on the machine's own time zone.
 */

/** Calendar fields of a wall-clock time (month 1-12; weekday 0 = Monday, as Python's `weekday()`). */
export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  ms: number
}

const FORMATS = new Map<string, Intl.DateTimeFormat>()

function format(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATS.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'})
    FORMATS.set(timeZone, f)
  }
  return f
}

/** Whether `timeZone` names a zone this runtime knows (LiteLLM falls back to UTC for one it does not). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    format(timeZone)
    return true
  } catch {
    return false
  }
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {}
  for (const p of format(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
    ms: ((ms % 1000) + 1000) % 1000,
  }
}

/** A wall time as if it were UTC, in ms: convenient for field arithmetic (Date.UTC normalises overflow). */
export function wallMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms)
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  return wallMs(wallTime(ms, timeZone)) - ms
}

/**
 * The instant of a wall time in `timeZone`, with Python's `fold=0`: in an overlap the first (earlier)
 * occurrence, in a gap the offset from before the transition.
 */
export function instantOf(w: WallTime, timeZone: string): number {
  const local = wallMs(w)
  const before = offsetAt(local - 26 * 3600e3, timeZone)
  const after = offsetAt(local + 26 * 3600e3, timeZone)
  const first = local - before
  if (before === after) return first
  const second = local - after
  const firstValid = offsetAt(first, timeZone) === before
  const secondValid = offsetAt(second, timeZone) === after
  return !firstValid && secondValid ? second : first
}

/** Normalise overflowing fields (day 32, hour 24, month 13) like calendar arithmetic does. */
export function normalise(w: WallTime): WallTime {
  const d = new Date(wallMs(w))
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  }
}

/** Python's `weekday()` of a wall date: 0 = Monday … 6 = Sunday. */
export function weekday(w: WallTime): number {
  return (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** `moment` moved by `months` calendar months on the wall clock, the day clamped to the target month's last day. */
export function shiftMonths(w: WallTime, months: number): WallTime {
  const total = w.year * 12 + (w.month - 1) + months
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  return {...w, year, month, day: Math.min(w.day, daysInMonth(year, month))}
}
