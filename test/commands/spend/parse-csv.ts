/** A strict RFC 4180 parser for the tests (quoted fields, doubled quotes, CRLF records, embedded newlines). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let i = 0
  let quoted = false
  let fieldStarted = false
  while (i < text.length) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += ch
      i++
      continue
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true
      fieldStarted = true
      i++
      continue
    }
    if (ch === '"') throw new Error(`stray quote at ${i}`)
    if (ch === ',') {
      record.push(field)
      field = ''
      fieldStarted = false
      i++
      continue
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      fieldStarted = false
      i += 2
      continue
    }
    if (ch === '\n' || ch === '\r') throw new Error(`bare line break at ${i}: records must end with CRLF and line breaks in cells must be quoted`)
    field += ch
    fieldStarted = true
    i++
  }
  if (quoted) throw new Error('unterminated quoted field')
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records
}

/** Would a spreadsheet run this cell as a formula? */
export const dangerous = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell)
