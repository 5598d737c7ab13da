/** Output helpers: tables that fit, safe CSV, terminal sanitising, money/date formatting, colour rules. */
import {afterEach, describe, expect, it} from '@jest/globals'

import {colorEnabled, layoutWidth, terminalWidth} from '../../src/output/color.js'
import {csvCell, csvRow} from '../../src/output/csv.js'
import {roundUsd} from '../../src/domain/money.js'
import {bar, formatDate, formatDateTime, formatDateTimeSeconds, formatInt, formatPct, formatRelative, formatUsd, plainDecimal, shortUsd} from '../../src/output/format.js'
import {neutralizeFormula, sanitizeForTerminal} from '../../src/output/sanitize.js'
import {renderTable, type Column} from '../../src/output/table.js'

interface Row {
  alias: string
  spent: number
  note: string
}

const rows: Row[] = [
  {alias: 'openclaw', spent: 12.84, note: 'the main assistant key'},
  {alias: 'ci-bot', spent: 0.0031, note: 'nightly builds'},
]
const columns: Column<Row>[] = [
  {header: 'Alias', get: (r) => r.alias, essential: true},
  {header: 'Spent', get: (r) => formatUsd(r.spent), align: 'right', essential: true},
  {header: 'Note', get: (r) => r.note},
]
const widest = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length))

describe('renderTable', () => {
  it('renders all columns when they fit, numbers right-aligned, without colour codes', () => {
    const t = renderTable(rows, columns, {width: 120, footer: ['Total', formatUsd(12.8431), '']})
    const lines = t.split('\n')
    expect(lines[1]).toMatch(/│ Alias +│ +Spent │ Note +│/)
    expect(t).toContain('│ openclaw │  $12.84 │ the main assistant key │')
    // Right alignment: the shorter amount is padded on the left.
    expect(t).toMatch(/│ ci-bot +│ \$0\.0031 │/)
    expect(t).toMatch(/│ openclaw │ +\$12\.84 │/)
    expect(t).toMatch(/│ Total +│ +\$12\.84 │/)
    expect(t).not.toMatch(/\u001b\[/)
  })

  it('drops non-essential columns on a narrow terminal', () => {
    const t = renderTable(rows, columns, {width: 30})
    expect(t).not.toContain('Note')
    expect(t).toContain('openclaw')
    expect(widest(t)).toBeLessThanOrEqual(30)
  })

  it('truncates the widest text column with … when even essential columns do not fit', () => {
    const long = [{alias: 'a-very-long-alias-for-a-key-that-goes-on-and-on', spent: 1, note: ''}]
    const t = renderTable(long, columns, {width: 30})
    expect(t).toContain('…')
    expect(t).toContain('$1.00') // amounts are never truncated
    expect(widest(t)).toBeLessThanOrEqual(30)
  })

  it('shows untrusted text as visible escapes, never executing it', () => {
    const evil = [{alias: 'x\u001b]0;pwned\u0007\nnext', spent: 0, note: '\u202eevil'}]
    const t = renderTable(evil, columns, {width: 200})
    expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
    expect(t).toContain('x\\e]0;pwned\\u0007\\nnext')
    expect(t).toContain('\\u202eevil')
    expect(t.split('\n')).toHaveLength(5) // top, head, separator, one row, bottom
  })

  it('has no width limit when stdout is not a terminal, whatever $COLUMNS says', () => {
    const old = process.env.COLUMNS
    process.env.COLUMNS = '30'
    try {
      expect(process.stdout.isTTY).toBeFalsy()
      expect(renderTable(rows, columns)).toContain('Note')
      expect(renderTable(rows, columns)).toContain('the main assistant key')
    } finally {
      process.env.COLUMNS = old
    }
  })

  it('drops columns one at a time, least important first, after shortening values', () => {
    type W = {a: string; b: number; c: string; d: string; e: string}
    const cols: Column<W>[] = [
      {header: 'Name', get: (r) => r.a, essential: true},
      {header: 'Money', get: (r) => formatUsd(r.b), align: 'right', essential: true, short: shortUsd},
      {header: 'Minor', get: (r) => r.c, drop: 1},
      {header: 'Middle', get: (r) => r.d, drop: 2},
      {header: 'Major', get: (r) => r.e, drop: 3},
    ]
    const data = [{a: 'alpha', b: 12345.678, c: 'cccccccc', d: 'dddddddd', e: 'eeeeeeee'}]
    const full = renderTable(data, cols, {width: 500})
    expect(full).toContain('$12,345.68')
    const fullWidth = widest(full)
    // Shortening the money is enough: nothing dropped.
    const shortened = renderTable(data, cols, {width: fullWidth - 2})
    expect(shortened).toContain('$12.3k')
    for (const h of ['Minor', 'Middle', 'Major']) expect(shortened).toContain(h)
    // A little narrower: only the least important column goes.
    const one = renderTable(data, cols, {width: widest(shortened) - 1})
    expect(one).not.toContain('Minor')
    expect(one).toContain('Middle')
    expect(one).toContain('Major')
    const two = renderTable(data, cols, {width: widest(one) - 1})
    expect(two).not.toContain('Middle')
    expect(two).toContain('Major')
    for (const t of [shortened, one, two]) expect(widest(t)).toBeLessThanOrEqual(fullWidth)
  })

  it('cuts long text before dropping a column', () => {
    const long = [{alias: 'a-very-long-alias-for-a-key-that-goes-on-and-on', spent: 1, note: 'short'}]
    const t = renderTable(long, columns, {width: 40})
    expect(t).toContain('Note')
    expect(t).toContain('…')
    expect(widest(t)).toBeLessThanOrEqual(40)
  })

  it('renders an empty table with just the header', () => {
    const t = renderTable([], columns, {width: 120})
    expect(t).toContain('Alias')
    expect(t.split('\n')).toHaveLength(3)
  })
})

describe('csv', () => {
  it('writes numbers as plain decimals, never exponents', () => {
    expect(csvCell(0.0000001)).toBe('0.0000001')
    expect(csvCell(12.84)).toBe('12.84')
    expect(csvCell(-3)).toBe('-3')
    expect(csvCell(0)).toBe('0')
  })

  it('writes empty cells for null and undefined, true/false for booleans', () => {
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(true)).toBe('true')
    expect(csvCell(false)).toBe('false')
  })

  it('quotes per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('cr\r')).toBe('"cr\r"')
  })

  it('neutralises formulas a spreadsheet would run', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-1+2')).toBe("'-1+2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tx')).toBe("'\tx")
    expect(csvCell('a=b')).toBe('a=b')
  })

  it('ends records with CRLF', () => {
    expect(csvRow(['k', 1.5, null, 'a,b'])).toBe('k,1.5,,"a,b"\r\n')
  })
})

describe('sanitize', () => {
  it('makes control characters and bidi overrides visible, leaves other text alone', () => {
    expect(sanitizeForTerminal('ok é 日本 🙂')).toBe('ok é 日本 🙂')
    expect(sanitizeForTerminal('a\tb\rc\nd\u001be')).toBe('a\\tb\\rc\\nd\\ee')
    expect(sanitizeForTerminal('\u0000\u007f\u009b\u2066')).toBe('\\u0000\\u007f\\u009b\\u2066')
  })
  it('neutralizeFormula prefixes only dangerous first characters', () => {
    expect(neutralizeFormula('=1')).toBe("'=1")
    expect(neutralizeFormula('\r=1')).toBe("'\r=1")
    expect(neutralizeFormula('x=1')).toBe('x=1')
    expect(neutralizeFormula('')).toBe('')
  })
})

describe('format', () => {
  it('money: two decimals, four below a cent, dash for nothing', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50')
    expect(formatUsd(0)).toBe('$0.00')
    expect(formatUsd(0.0031)).toBe('$0.0031')
    expect(formatUsd(0.01)).toBe('$0.01')
    expect(formatUsd(-5)).toBe('-$5.00')
    expect(formatUsd(null)).toBe('-')
    expect(formatUsd(undefined)).toBe('-')
    expect(formatUsd(Number.NaN)).toBe('-')
  })

  it('integers and percentages', () => {
    expect(formatInt(1234567.4)).toBe('1,234,567')
    expect(formatInt(null)).toBe('-')
    expect(formatPct(42)).toBe('42.0%')
    expect(formatPct(99.95)).toBe('100.0%')
    expect(formatPct(null)).toBe('-')
    expect(formatPct(Number.POSITIVE_INFINITY)).toBe('-')
  })

  it('plain decimals for machines', () => {
    expect(plainDecimal(1e-7)).toBe('0.0000001')
    expect(plainDecimal(1.5e-12, 12)).toBe('0.000000000002')
    expect(plainDecimal(123.456)).toBe('123.456')
    expect(plainDecimal(null)).toBe('')
    expect(plainDecimal(Number.NaN)).toBe('')
    expect(roundUsd(0.1 + 0.2)).toBe(0.3)
  })

  it('dates in UTC by default, or in a given zone', () => {
    const d = new Date('2026-12-01T00:00:00Z')
    expect(formatDateTime(d)).toBe('2026-12-01 00:00 UTC')
    expect(formatDateTime(d, 'America/New_York')).toBe('2026-11-30 19:00 America/New_York')
    expect(formatDate(d)).toBe('2026-12-01')
    expect(formatDate(d, 'Asia/Tokyo')).toBe('2026-12-01')
    expect(formatDateTime(undefined)).toBe('-')
    expect(formatDate(null)).toBe('-')
  })

  it('UTC dates (made without Intl) read exactly as the Intl formatter writes them', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'})
    const parts = (d: Date) => Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]))
    const viaIntl = (d: Date) => {
      const p = parts(d)
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} UTC`
    }
    const secondsViaIntl = (d: Date) => {
      const p = parts(d)
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
    }
    const samples = ['1000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2026-02-28T23:59:59.999Z', '2028-02-29T12:05:00Z', '2026-12-31T23:00:00Z', '9999-12-31T23:59:00Z']
    // …and one date every 7 hours 13 minutes 7 seconds across a few years, so every hour, day, month and second comes by.
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += ((7 * 60 + 13) * 60 + 7) * 1000) samples.push(new Date(t).toISOString())
    for (const iso of samples) {
      const d = new Date(iso)
      expect(formatDateTime(d)).toBe(viaIntl(d))
      expect(formatDate(d)).toBe(viaIntl(d).slice(0, 10))
      expect(formatDateTimeSeconds(d)).toBe(secondsViaIntl(d))
    }
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError)
  })

  it('relative times against an injected now', () => {
    const now = new Date('2026-11-10T12:00:00Z')
    expect(formatRelative(new Date('2026-11-12T12:00:00Z'), now)).toBe('in 2 days')
    expect(formatRelative(new Date('2026-11-10T09:00:00Z'), now)).toBe('3 hours ago')
    expect(formatRelative(undefined, now)).toBe('-')
  })

  it('bars are clamped to 0-100 and blank without a value', () => {
    expect(bar(50)).toBe('█████░░░░░')
    expect(bar(0, 4)).toBe('░░░░')
    expect(bar(250, 4)).toBe('████')
    expect(bar(-10, 4)).toBe('░░░░')
    expect(bar(null, 4)).toBe('    ')
  })
})

describe('colour and width', () => {
  const saved = process.env.COLUMNS
  afterEach(() => {
    process.env.COLUMNS = saved
  })

  it('NO_COLOR (any value) wins; FORCE_COLOR beats a pipe; TERM=dumb and pipes get none', () => {
    expect(colorEnabled({isTTY: true}, {NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(false)
    expect(colorEnabled({isTTY: true}, {NO_COLOR: 'false'})).toBe(false)
    expect(colorEnabled({isTTY: false}, {FORCE_COLOR: '1'})).toBe(true)
    expect(colorEnabled({isTTY: true}, {FORCE_COLOR: '0'})).toBe(true)
    expect(colorEnabled({isTTY: false}, {FORCE_COLOR: '0'})).toBe(false)
    expect(colorEnabled({isTTY: true}, {TERM: 'dumb'})).toBe(false)
    expect(colorEnabled({isTTY: true}, {NO_COLOR: ''})).toBe(true)
    expect(colorEnabled({isTTY: false}, {})).toBe(false)
  })

  it('layout width: a terminal\'s columns (else $COLUMNS, else 80); no limit for a pipe', () => {
    expect(layoutWidth({isTTY: true, columns: 61})).toBe(61)
    process.env.COLUMNS = '132'
    expect(layoutWidth({isTTY: true})).toBe(132)
    expect(layoutWidth({isTTY: false, columns: 61})).toBe(Number.POSITIVE_INFINITY)
    process.env.COLUMNS = 'wide'
    expect(layoutWidth({isTTY: true})).toBe(80)
  })

  it('width: the TTY, else $COLUMNS, else 100', () => {
    expect(terminalWidth({columns: 80})).toBe(80)
    process.env.COLUMNS = '132'
    expect(terminalWidth({})).toBe(132)
    process.env.COLUMNS = 'wide'
    expect(terminalWidth({})).toBe(100)
  })
})

describe('#11 item 12: sanitising gaps', () => {
  it('zero-width, direction marks, BOM and line separators are shown escaped', () => {
    expect(sanitizeForTerminal('open\u200bclaw')).toBe('open\\u200bclaw')
    expect(sanitizeForTerminal('a\u200fb\u200ec')).toBe('a\\u200fb\\u200ec')
    expect(sanitizeForTerminal('\ufeffx\u2028y\u2029z')).toBe('\\ufeffx\\u2028y\\u2029z')
    expect(sanitizeForTerminal('\u2060\u2066\u2069\u061c')).toBe('\\u2060\\u2066\\u2069\\u061c')
    expect(sanitizeForTerminal('数据团队 Zoë 🚀')).toBe('数据团队 Zoë 🚀')
  })

  it.each([['\n=1+1'], ['\uff1d1+1'], ['\ufe661+1'], [' =1+1'], ['  +1'], ['\u3000=1'], ['\uff0b1'], ['\uff20SUM(A1)'], ['\t=x']])('CSV neutralises %j', (value) => {
    const cell = csvCell(value)
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true)
  })

  it('leaves harmless text alone', () => {
    expect(csvCell('a = b')).toBe('a = b')
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(' leading blank')).toBe(' leading blank')
  })
})
