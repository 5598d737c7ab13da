import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {rangeFlags} from '../../cli/range-flags.js'
import type {ExportFormat, SpendLogsResult} from '../../contracts/spend.js'
import {usageError} from '../../core/errors.js'
import {parseList} from '../../domain/inputs.js'
import {DEFAULT_LOG_COLUMNS, defaultLogColumns, parseColumns, parseExportFormat, parseLogStatus, PAYLOAD_COLUMNS, type LogStatus} from '../../domain/spend-export.js'
import {dayInZone, resolveRange, withOptionalMonth} from '../../domain/spend-range.js'
import {checkOutputPath, openFileSink, stdoutSink} from '../../io/export-writer.js'
import {formatInt} from '../../output/format.js'
import {chooseFormat} from '../../domain/output-format.js'
import {tableColumnNames, textFormatter, type RowFormatter} from '../../output/spend-export.js'
import {layoutWidth} from '../../output/color.js'
import {exportSpendLogs, type BinaryFormatter} from '../../workflows/spend-logs.js'
import {openSpendSource} from '../../workflows/spend-source.js'
import {payloadFiller} from '../../workflows/spend-payloads.js'
import {exportProgress} from '../../cli/export-progress.js'
import {followFlags} from '../../cli/follow-flags.js'
import {followSpend} from '../../workflows/spend-follow.js'

const statusFlag = Flags.custom<LogStatus>({parse: async (input) => parseLogStatus(input)})
const columnsFlag = Flags.custom<string[]>({parse: async (input) => parseColumns(input)})
const formatFlag = Flags.custom<ExportFormat>({parse: async (input) => parseExportFormat(input)})

export default class SpendLogs extends BaseCommand<typeof SpendLogs> {
  static description = `Writes one row per request from the proxy's spend logs, as CSV (RFC 4180, formula-safe cells), JSON lines, Parquet or a text table. Rows are written as pages arrive, so memory stays flat however many rows there are.

Parquet (--output FILE.parquet, or --format parquet) has typed columns for analytics engines (DuckDB, Spark, pandas, BigQuery): startTime and endTime as UTC timestamps (milliseconds), spend as a double, token counts as 64-bit integers, request_tags as a list of strings, the rest as text; written in Snappy-compressed row groups of 25,000 rows as the pages arrive. It needs --output (it is not for a terminal).

Pages through /spend/logs/v2 (or /spend/logs/ui on older proxies) oldest first, 1000 rows a page (100 when the proxy refuses more), until a page comes back empty. The proxy's offset paging is not trusted while rows arrive: the range is read in time slices of at most 100,000 rows, a request_id already written is dropped (the summary says how many), and rows that start after the export began are left out. With --output the file is written under a temporary name and renamed when complete: a failure or Ctrl-C leaves no file, says how many rows were fetched, and exits 6 (130 for Ctrl-C). A progress line is shown on stderr in a terminal.

Ranges are whole days in UTC unless --tz is given: --month alone is the current month to date (the default).`
  static examples = [
    '<%= config.bin %> <%= command.id %> --month --output spend-logs.csv',
    '<%= config.bin %> <%= command.id %> --month 2026-10 --key openclaw --status failure --format table',
    '<%= config.bin %> <%= command.id %> --since 2026-10-01 --until 2026-10-07 --model gpt-4o --format jsonl --output week.jsonl',
    '<%= config.bin %> <%= command.id %> --last-month --format table | head',
    '<%= config.bin %> <%= command.id %> --month --output spend-logs.parquet',
    '<%= config.bin %> <%= command.id %> --follow --key openclaw',
    '<%= config.bin %> <%= command.id %> --since 2026-10-01 --columns request_id,startTime,messages,response --format jsonl --output prompts.jsonl',
  ]
  static flags = {
    ...rangeFlags,
    columns: columnsFlag({
      description: `columns to write, comma-separated [default: ${DEFAULT_LOG_COLUMNS.join(',')}; with --status failure also error_type,error_message,status_code]; also available: api_base, requester_ip_address, error, messages, response (the stored prompt and response: JSON in JSON lines, JSON text in one CSV cell; one extra request per row)`,
      helpValue: 'NAME,...',
    }),
    ...followFlags,
    format: formatFlag({
      description: 'csv, jsonl, parquet or table [default: from the --output extension (.csv, .jsonl/.ndjson/.json, .parquet, .txt), else csv; a --format that contradicts the extension is refused]',
      helpValue: 'csv|jsonl|parquet|table',
    }),
    key: Flags.string({description: 'only these keys: an alias, an sk- key (hashed before it is sent) or a key hash; repeat for several', multiple: true, helpValue: 'ALIAS|KEY|HASH'}),
    model: Flags.string({description: 'only these models (model or model group); repeat or comma-separate', multiple: true, helpValue: 'MODEL'}),
    output: Flags.string({char: 'o', description: 'write to this file instead of stdout (temporary file, renamed when complete); - is stdout', helpValue: 'FILE'}),
    status: statusFlag({description: 'only successful or only failed requests', helpValue: 'success|failure'}),
  }
  static summary = 'export per-request spend logs as CSV, JSON lines, Parquet or a table'

  public override async init(): Promise<void> {
    this.argv = withOptionalMonth(this.argv)
    await super.init()
  }

  /** What `--follow` needs from this command (the loop and its output live in workflows/spend-follow.ts). */
  private followContext(): Parameters<typeof followSpend>[0] {
    return {
      flags: this.flags,
      client: this.adminClient(),
      json: this.jsonEnabled(),
      signal: this.interrupted,
      notes: {warn: (line: string) => this.warnLine(line), note: (line: string) => this.note(line)},
      write: (text: string) => this.writeStdout(text),
    }
  }

  async run(): Promise<SpendLogsResult | undefined> {
    const f = this.flags
    if (f.follow) {
      await followSpend(this.followContext())
      return undefined
    }
    // `--output -` is stdout, as in most tools (it used to write a file named "-").
    if (f.output === '-') f.output = undefined
    const now = this.now()
    const range = resolveRange({month: f.month, lastMonth: f['last-month'], since: f.since, until: f.until}, now, f.tz ?? 'UTC')
    const chosen = chooseFormat<ExportFormat>({
      flag: f.format,
      output: f.output,
      byExtension: {csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', json: 'jsonl', parquet: 'parquet', txt: 'table'},
      fallback: 'csv',
      notes: {json: `writing JSON lines (one object a line) to ${f.output}`},
    })
    const format = chosen.format
    if (chosen.note) this.note(chosen.note)
    const columns = f.columns ?? defaultLogColumns(f.status)
    const models = (f.model ?? []).flatMap((m) => parseList(m))
    if (this.jsonEnabled() && !f.output) {
      throw usageError('--json prints a summary of the export, so the rows need --output FILE', 'keyward spend logs --month --output logs.csv --json', 'or JSON lines on stdout: keyward spend logs --month --format jsonl')
    }
    if (format === 'parquet' && !f.output) throw usageError('Parquet is a binary file: --format parquet needs --output FILE', 'keyward spend logs --month --output spend-logs.parquet')
    if (f.output) {
      const problem = await checkOutputPath(f.output)
      if (problem) throw usageError(problem, 'write to an existing folder: --output ./spend-logs.csv')
    }

    const client = this.adminClient()
    const notes = {warn: (line: string) => this.warnLine(line), note: (line: string) => this.note(line)}
    const {keys, source} = await openSpendSource(client, {keys: f.key ?? [], today: dayInZone(now.getTime(), 'UTC'), need: {rows: true}, notes})
    // The text table fits a terminal (a file or a pipe gets it whole), with times in --tz.
    const tableWidth = !f.output ? layoutWidth() : undefined
    // The paged endpoints leave out the prompt and response: read them per row when they are asked for.
    const wantsPayload = format !== 'table' && columns.some((c) => PAYLOAD_COLUMNS.includes(c))
    const filler = wantsPayload && source !== 'spend-logs-legacy' ? payloadFiller(client, this.interrupted) : undefined
    if (filler) this.note('messages/response: reading each row\'s stored prompt and response from /spend/logs/ui/{request_id} (one request per row)')
    // Parquet: typed columns in row groups (its writer is loaded only here).
    const formatter: RowFormatter | BinaryFormatter =
      format === 'parquet'
        ? (await import('../../io/parquet-writer.js')).parquetFormatter(columns, {createdBy: `keyward ${this.config.version}`})
        : textFormatter(format, columns, {width: tableWidth, timeZone: range.timezone, errors: f.status === 'failure'}, !f.output && Boolean(process.stdout.isTTY))
    const started = Date.now()
    const show = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    const {sink, onProgress} = exportProgress(f.output ? await openFileSink(f.output) : stdoutSink(), {show, toFile: Boolean(f.output), started})
    const {rows, pages, duplicates} = await exportSpendLogs({
      ...{client, source, range, keys, models, status: f.status, formatter, sink, output: f.output, signal: this.interrupted, notes, onProgress},
      complete: filler?.fill,
    })
    const elapsedMs = Date.now() - started
    const dropped = duplicates > 0 ? `; dropped ${formatInt(duplicates)} duplicate row${duplicates === 1 ? '' : 's'} (the same request_id twice: the proxy's pages shifted while rows arrived)` : ''
    const rowsText = `${formatInt(rows)} row${rows === 1 ? '' : 's'}`
    if (f.output) this.note(`exported ${rowsText} (${formatInt(pages)} page${pages === 1 ? '' : 's'}) to ${f.output} in ${(elapsedMs / 1000).toFixed(1)} s${dropped}`)
    else if (dropped) this.note(`exported ${rowsText}${dropped}`)
    return {
      output: f.output ?? '-',
      format,
      columns: format === 'table' ? tableColumnNames(tableWidth, f.status === 'failure') : columns,
      range: {since: range.since, until: range.until, timezone: range.timezone},
      source,
      rows,
      pages,
      duplicatesDropped: duplicates,
      bytes: sink.bytes,
      elapsedMs,
      complete: !sink.closed,
    }
  }
}

