import * as Flags from '@oclif/core/flags'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import {KeywardError, isKeywardError, usageError, InputError} from '../../core/errors.js'
import {detectSpendSources, fetchLegacySpendLogs, pageSpendLogs, resolveKeyFilters, type SpendLogsPage} from '../../api/spend.js'
import {BaseCommand} from '../../cli/base-command.js'
import {rangeFlags} from '../../cli/range-flags.js'
import {parseList} from '../../domain/inputs.js'
import {DEFAULT_LOG_COLUMNS, keepRow, parseColumns, parseStatus, type LocalFilter, type LogStatus} from '../../domain/spend-export.js'
import {addDaysYmd, dayInZone, DayKeyer, formatSpendDateTime, resolveRange, withOptionalMonth} from '../../domain/spend-range.js'
import {checkOutputPath, openFileSink, stdoutSink, type ExportSink} from '../../io/export-writer.js'
import {formatInt} from '../../output/format.js'
import {formatterFor, progressLine, terminalSafe, type RowFormatter} from '../../output/spend-export.js'
import type {ExportFormat} from '../../contracts/spend.js'
import type {SpendLogsResult} from '../../contracts/spend.js'

const statusFlag = Flags.custom<LogStatus>({parse: async (input) => parseStatus(input)})
const columnsFlag = Flags.custom<string[]>({parse: async (input) => parseColumns(input)})
const formatFlag = Flags.custom<ExportFormat>({
  parse: async (input) => {
    const v = input.trim().toLowerCase()
    if (v === 'csv' || v === 'jsonl' || v === 'table') return v
    throw new InputError(`unknown format '${input}': use csv, jsonl or table`, '--format jsonl')
  },
})

const PROGRESS_EVERY_MS = 250
const ROWS_PER_WRITE = 200
const GC_EVERY_PAGES = 50

/**
 * V8's full garbage collector, when it can be had. An export allocates ~5 MB per page and keeps
 * little; left alone, V8 lets the old generation fill with garbage for tens of seconds, so peak memory
 * grew with the row count (measured: 136 MB at 100k rows, 174 MB at 1M). A full GC every 50 pages
 * (~10 ms each) keeps the peak flat (~135 MB at 1M). `--expose-gc` can be switched on at run time; the
 * function then exists in new contexts.
 */
function fullGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
}

export default class SpendLogs extends BaseCommand<typeof SpendLogs> {
  static description = `Writes one row per request from the proxy's spend logs, as CSV (RFC 4180, formula-safe cells), JSON lines or a text table. Rows are written as pages arrive, so memory stays flat however many rows there are.

Pages through /spend/logs/v2 (or /spend/logs/ui on older proxies) oldest first, 1000 rows a page (100 when the proxy refuses more), until a page comes back empty. With --output the file is written under a temporary name and renamed when complete: a failure or Ctrl-C leaves no file, says how many rows were fetched, and exits 6 (130 for Ctrl-C). A progress line is shown on stderr in a terminal.

Ranges are whole days in UTC unless --tz is given: --month alone is the current month to date (the default).`
  static examples = [
    '<%= config.bin %> <%= command.id %> --month --output spend-logs.csv',
    '<%= config.bin %> <%= command.id %> --month 2026-10 --key openclaw --status failure --format table',
    '<%= config.bin %> <%= command.id %> --since 2026-10-01 --until 2026-10-07 --model gpt-4o --format jsonl --output week.jsonl',
    '<%= config.bin %> <%= command.id %> --last-month --format table | head',
  ]
  static flags = {
    ...rangeFlags,
    columns: columnsFlag({description: `columns to write, comma-separated [default: ${DEFAULT_LOG_COLUMNS.join(',')}]; also available: api_base, requester_ip_address, error`, helpValue: 'NAME,...'}),
    format: formatFlag({description: 'csv, jsonl or table [default: csv; jsonl for a .jsonl/.ndjson --output]', helpValue: 'csv|jsonl|table'}),
    key: Flags.string({description: 'only these keys: an alias, an sk- key (hashed before it is sent) or a key hash; repeat for several', multiple: true, helpValue: 'ALIAS|KEY|HASH'}),
    model: Flags.string({description: 'only these models (model or model group); repeat or comma-separate', multiple: true, helpValue: 'MODEL'}),
    output: Flags.string({char: 'o', description: 'write to this file instead of stdout (temporary file, renamed when complete); - is stdout', helpValue: 'FILE'}),
    status: statusFlag({description: 'only successful or only failed requests', helpValue: 'success|failure'}),
  }
  static summary = 'export per-request spend logs as CSV, JSON lines or a table'

  public override async init(): Promise<void> {
    this.argv = withOptionalMonth(this.argv)
    await super.init()
  }

  async run(): Promise<SpendLogsResult> {
    const f = this.flags
    // `--output -` is stdout, as in most tools (it used to write a file named "-").
    if (f.output === '-') f.output = undefined
    const now = this.now()
    const tz = f.tz ?? 'UTC'
    const range = resolveRange({month: f.month, lastMonth: f['last-month'], since: f.since, until: f.until}, now, tz)
    const format: ExportFormat = f.format ?? (f.output && /\.(jsonl|ndjson)$/i.test(f.output) ? 'jsonl' : 'csv')
    const columns = f.columns ?? [...DEFAULT_LOG_COLUMNS]
    const models = (f.model ?? []).flatMap((m) => parseList(m))
    if (this.jsonEnabled() && !f.output) {
      throw usageError('--json prints a summary of the export, so the rows need --output FILE', 'keyward spend logs --month --output logs.csv --json', 'or JSON lines on stdout: keyward spend logs --month --format jsonl')
    }
    if (f.output) {
      const problem = await checkOutputPath(f.output)
      if (problem) throw usageError(problem, 'write to an existing folder: --output ./spend-logs.csv')
    }

    const client = this.adminClient()
    const [keys, sources] = await Promise.all([
      resolveKeyFilters(client, f.key ?? [], (line) => this.warnLine(line)),
      detectSpendSources(client, dayInZone(now.getTime(), 'UTC'), {dailyActivity: false}),
    ])
    const source = sources.spendLogsV2 ? 'spend-logs-v2' : sources.spendLogsUi ? 'spend-logs-ui' : sources.legacySpendLogs ? 'spend-logs-legacy' : undefined
    if (!source) {
      throw new KeywardError('not_litellm', 'the proxy offers no spend-log endpoint (/spend/logs/v2, /spend/logs/ui or /spend/logs)', {
        suggestions: ['Check that this is a LiteLLM proxy with a database: keyward status'],
      })
    }
    const filter: LocalFilter = {
      startMs: range.startMs,
      endMs: range.endMs,
      keyHashes: keys.length > 0 ? new Set(keys.map((k) => k.hash)) : undefined,
      models: models.length > 0 ? new Set(models) : undefined,
      status: f.status,
    }

    const base = formatterFor(format, columns)
    // CSV/JSON lines shown on a terminal: no escape sequences from the data (a file gets the data as is).
    const formatter: RowFormatter = !f.output && process.stdout.isTTY && format !== 'table' ? {header: () => terminalSafe(base.header()), rows: (r) => terminalSafe(base.rows(r))} : base
    const sink: ExportSink = f.output ? await openFileSink(f.output) : stdoutSink()
    const abort = new AbortController()
    const onSigint = (): void => abort.abort()
    process.on('SIGINT', onSigint)
    const started = Date.now()
    const showProgress = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    let lastProgress = 0
    let rows = 0
    let pages = 0
    const progress = (final = false): void => {
      if (!showProgress) return
      const t = Date.now()
      if (!final && t - lastProgress < PROGRESS_EVERY_MS) return
      lastProgress = t
      process.stderr.write(final ? '\r\u001b[K' : `\r\u001b[K${progressLine({rows, pages, elapsedMs: t - started})}`)
    }
    const interrupted = (): KeywardError => new KeywardError('interrupted', `interrupted after ${formatInt(rows)} rows${f.output ? `; ${f.output} was not written` : ''}`)

    const gc = fullGc()
    try {
      await sink.write(formatter.header())
      const write = async (page: SpendLogsPage['rows']): Promise<void> => {
        const kept = page.filter((r) => keepRow(r, DayKeyer.timeOf(r.startTime), filter))
        pages++
        if (gc && pages % GC_EVERY_PAGES === 0) gc()
        rows += kept.length
        // Small writes (~50 KB): large strings live in V8's large-object space until a full GC, which
        // made peak memory grow with the row count.
        for (let i = 0; i < kept.length; i += ROWS_PER_WRITE) await sink.write(formatter.rows(kept.slice(i, i + ROWS_PER_WRITE)))
        progress()
      }
      if (source === 'spend-logs-legacy') {
        this.note('this proxy has no paged spend logs: reading the deprecated /spend/logs (one unpaged request)')
        const res = await fetchLegacySpendLogs(
          client,
          {startDay: dayInZone(range.startMs, 'UTC'), endDayExclusive: addDaysYmd(dayInZone(range.endMs - 1, 'UTC'), 1), apiKey: keys.length === 1 ? keys[0]!.hash : undefined},
          abort.signal,
        )
        if (res.truncated) this.warnLine('the proxy truncated its /spend/logs answer (x-litellm-spend-logs-truncated): the export is incomplete')
        for (let i = 0; i < res.rows.length && !sink.closed; i += 1000) {
          if (abort.signal.aborted) throw interrupted()
          await write(res.rows.slice(i, i + 1000))
        }
      } else {
        const endpoint = source === 'spend-logs-v2' ? '/spend/logs/v2' : '/spend/logs/ui'
        const q = {
          startDate: formatSpendDateTime(range.startMs),
          // Inclusive to the second: ask up to the next midnight, keepRow drops that instant.
          endDate: formatSpendDateTime(range.endMs),
          apiKey: keys.length === 1 ? keys[0]!.hash : undefined,
          model: models.length === 1 ? models[0] : undefined,
          status: f.status,
        }
        for await (const page of pageSpendLogs(client, endpoint, q, {signal: abort.signal})) {
          if (abort.signal.aborted) throw interrupted()
          await write(page.rows)
          if (sink.closed) break
        }
      }
      if (abort.signal.aborted) throw interrupted()
      await sink.commit()
    } catch (error) {
      progress(true)
      await sink.abort()
      if (abort.signal.aborted || (isKeywardError(error) && error.kind === 'interrupted')) throw interrupted()
      if (isKeywardError(error)) {
        const where = f.output ? `; ${f.output} was not written` : ''
        throw new KeywardError(error.kind, `${error.message} (export stopped after ${formatInt(rows)} rows in ${formatInt(pages)} pages${where})`, {
          status: error.status,
          type: error.type,
          endpoint: error.endpoint,
          suggestions: error.suggestions,
          cause: error,
        })
      }
      throw error
    } finally {
      process.off('SIGINT', onSigint)
    }
    progress(true)
    const elapsedMs = Date.now() - started
    const complete = !sink.closed
    if (f.output) this.note(`exported ${formatInt(rows)} rows (${formatInt(pages)} pages) to ${f.output} in ${(elapsedMs / 1000).toFixed(1)} s`)
    return {
      output: f.output ?? '-',
      format,
      columns: format === 'table' ? ['startTime', 'key_alias', 'model', 'status', 'prompt_tokens', 'completion_tokens', 'spend'] : columns,
      range: {since: range.since, until: range.until, timezone: range.timezone},
      source,
      rows,
      pages,
      bytes: sink.bytes,
      elapsedMs,
      complete,
    }
  }
}
