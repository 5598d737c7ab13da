import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {rangeFlags} from '../../cli/range-flags.js'
import {InputError, usageError} from '../../core/errors.js'
import {dailySeries, parseGroupBy, type GroupBy} from '../../domain/spend-aggregate.js'
import {resolveRange, withOptionalMonth} from '../../domain/spend-range.js'
import type {SpendReport as SpendReportDoc} from '../../domain/spend-report.js'
import {checkOutputPath, openFileSink} from '../../io/export-writer.js'
import {terminalWidth} from '../../output/color.js'
import {progressLine, terminalSafe} from '../../output/spend-export.js'
import {chooseFormat} from '../../domain/output-format.js'
import {renderBudgetLine, renderDailyChart, renderReportCsv, renderReportHeader, renderReportJson, renderReportTable} from '../../output/spend-report.js'
import {spendReport} from '../../workflows/spend-report.js'

type ReportFormat = 'table' | 'csv' | 'json'

const byFlag = Flags.custom<GroupBy>({parse: async (input) => parseGroupBy(input)})
const formatFlag = Flags.custom<ReportFormat>({
  parse: async (input) => {
    const v = input.trim().toLowerCase()
    if (v === 'table' || v === 'csv' || v === 'json') return v
    throw new InputError(`unknown format '${input}': use table, csv or json`, '--format csv')
  },
})

export default class SpendReport extends BaseCommand<typeof SpendReport> {
  static description = `Totals of requests, failures, tokens and spend for a range of days, grouped by day (default), model, key, user, team or provider, with a Total row; --by error counts failed requests per error type and model (why is an agent failing?). In a terminal, a daily spend chart follows the table; with one --key, its budget, remaining amount and reset date come first.

Ranges are whole days in UTC unless --tz is given: --month alone is the current month to date, --month 2026-10 that month, --last-month the previous month, --since/--until inclusive dates.

Data source: /user/daily/activity (pre-aggregated, fast) when the proxy has it; otherwise the paged spend logs (/spend/logs/v2, or /spend/logs/ui on older proxies) aggregated here; the deprecated /spend/logs only when nothing else exists. Daily activity has UTC days and no per-user or per-team numbers, so --by user|team, a non-UTC --tz and --breakdown (except by day) read the spend logs, which is slower on busy proxies.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --month',
    '<%= config.bin %> <%= command.id %> --month 2026-10 --by model --breakdown',
    '<%= config.bin %> <%= command.id %> --month --key openclaw --by error',
    '<%= config.bin %> <%= command.id %> --last-month --key openclaw --format csv --output spend.csv',
    '<%= config.bin %> <%= command.id %> --since 2026-10-01 --until 2026-10-15 --by user --tz Europe/Berlin --json',
  ]
  static flags = {
    ...rangeFlags,
    breakdown: Flags.boolean({description: 'split every group by model (by key when grouping by model)'}),
    by: byFlag({description: 'group by day, week (from Monday), month, model, key, user, team or provider, or failures by error type and model (error); daily, weekly and monthly work too [default: day]', helpValue: 'day|week|month|model|key|user|team|provider|error'}),
    chart: Flags.boolean({allowNo: true, default: true, description: 'draw the daily spend chart under the table (terminal only); --no-chart hides it'}),
    format: formatFlag({description: 'table, csv or json [default: from the --output extension (.csv, .json, .txt), else table; a --format that contradicts the extension is refused]', helpValue: 'table|csv|json'}),
    key: Flags.string({description: 'only these keys: an alias, an sk- key (hashed before it is sent) or a key hash; repeat for several', multiple: true, helpValue: 'ALIAS|KEY|HASH'}),
    output: Flags.string({char: 'o', description: 'write the report to this file (written whole, then renamed into place); - is stdout', helpValue: 'FILE'}),
  }
  static summary = 'spend per day, model, key, user, team or provider, with totals'

  public override async init(): Promise<void> {
    this.argv = withOptionalMonth(this.argv)
    await super.init()
  }

  async run(): Promise<SpendReportDoc> {
    const f = this.flags
    // `--output -` is stdout, as in most tools (it used to write a file named "-").
    if (f.output === '-') f.output = undefined
    const now = this.now()
    const tz = f.tz ?? 'UTC'
    const range = resolveRange({month: f.month, lastMonth: f['last-month'], since: f.since, until: f.until}, now, tz)
    const groupBy = f.by ?? 'day'
    const {format} = chooseFormat<ReportFormat>({flag: f.format, output: f.output, byExtension: {csv: 'csv', json: 'json', txt: 'table'}, fallback: this.jsonEnabled() ? 'json' : 'table'})
    if (f.output) {
      const problem = await checkOutputPath(f.output)
      if (problem) throw usageError(problem, 'write to an existing folder: --output ./spend.csv')
    }

    // Reading many pages takes a while: the same progress line as spend logs, on a terminal only.
    const progress = this.progress('reading spend logs')
    let built
    try {
      built = await spendReport(this.adminClient(), {
        range,
        groupBy,
        breakdown: f.breakdown,
        timezone: tz,
        keys: f.key ?? [],
        now,
        adminKey: this.settings.adminKey,
        notes: {warn: (line: string) => this.warnLine(line), note: (line: string) => this.note(line)},
        onPage: (rows) => progress.page(rows),
      })
    } finally {
      progress.done()
    }
    const {report, daily, groups} = built

    // What the report covers, for the person at the terminal (the JSON carries range and zone itself).
    if (process.stderr.isTTY) this.note(renderReportHeader(report))
    const toTerminal = !f.output && Boolean(process.stdout.isTTY)
    let text: string
    if (format === 'json') text = renderReportJson(report)
    else if (format === 'csv') text = toTerminal ? terminalSafe(renderReportCsv(report)) : renderReportCsv(report)
    else {
      const parts = [renderBudgetLine(report, now), renderReportTable(report, {width: f.output ? Number.POSITIVE_INFINITY : undefined})]
      if (toTerminal && f.chart && !this.jsonEnabled()) parts.push(renderDailyChart(dailySeries(daily, range.since, range.until), terminalWidth()))
      text = parts.filter((p): p is string => Boolean(p)).join('\n\n')
    }
    if (f.output) {
      const sink = await openFileSink(f.output)
      try {
        await sink.write(text.endsWith('\n') ? text : `${text}\n`)
        await sink.commit()
      } catch (error) {
        await sink.abort()
        throw error
      }
      this.note(`wrote the report (${groups} row${groups === 1 ? '' : 's'}) to ${f.output}`)
    } else if (!this.jsonEnabled()) {
      this.out(text.replace(/\n$/, ''))
    }
    return report
  }

  /** A progress line on stderr (a terminal only, not with --json), redrawn at most 4 times a second and cleared at the end. */
  private progress(doing: string): {page(rows: number): void; done(): void} {
    const show = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    const started = Date.now()
    let rows = 0
    let pages = 0
    let last = 0
    let shown = false
    return {
      page(n) {
        rows += n
        pages++
        const t = Date.now()
        if (!show || t - last < 250) return
        last = t
        process.stderr.write(`\r\u001b[K${progressLine({rows, pages, elapsedMs: t - started}, doing)}`)
        shown = true
      },
      done() {
        if (shown) process.stderr.write('\r\u001b[K')
        shown = false
      },
    }
  }
}
