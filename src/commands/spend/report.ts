import * as Flags from '@oclif/core/flags'

import {KeywardError, usageError, InputError} from '../../core/errors.js'
import {detectSpendSources, fetchDailyActivity, fetchLegacySpendLogs, pageSpendLogs, resolveKeyFilters, type KeyFilter} from '../../api/spend.js'
import {hashKey} from '../../api/hash.js'
import {BaseCommand} from '../../cli/base-command.js'
import {rangeFlags} from '../../cli/range-flags.js'
import {summarizeKey} from '../../domain/key-summary.js'
import {breakdownFor, chooseReportSource, dailySeries, parseGroupBy, SpendAggregator, type GroupBy} from '../../domain/spend-aggregate.js'
import {factsOf, keepRow, type LocalFilter} from '../../domain/spend-export.js'
import {addDaysYmd, dayInZone, DayKeyer, formatSpendDateTime, resolveRange, withOptionalMonth, type SpendRange} from '../../domain/spend-range.js'
import {buildReport, reportBudget, type SpendReport as SpendReportDoc} from '../../domain/spend-report.js'
import {terminalWidth} from '../../output/color.js'
import {checkOutputPath, openFileSink} from '../../io/export-writer.js'
import {terminalSafe} from '../../output/spend-export.js'
import {renderBudgetLine, renderDailyChart, renderReportCsv, renderReportJson, renderReportTable} from '../../output/spend-report.js'

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
  static description = `Totals of requests, failures, tokens and spend for a range of days, grouped by day (default), model, key, user, team or provider, with a Total row. In a terminal, a daily spend chart follows the table; with one --key, its budget, remaining amount and reset date come first.

Ranges are whole days in UTC unless --tz is given: --month alone is the current month to date, --month 2026-10 that month, --last-month the previous month, --since/--until inclusive dates.

Data source: /user/daily/activity (pre-aggregated, fast) when the proxy has it; otherwise the paged spend logs (/spend/logs/v2, or /spend/logs/ui on older proxies) aggregated here; the deprecated /spend/logs only when nothing else exists. Daily activity has UTC days and no per-user or per-team numbers, so --by user|team, a non-UTC --tz and --breakdown (except by day) read the spend logs, which is slower on busy proxies.`
  static examples = [
    '<%= config.bin %> <%= command.id %> --month',
    '<%= config.bin %> <%= command.id %> --month 2026-10 --by model --breakdown',
    '<%= config.bin %> <%= command.id %> --last-month --key openclaw --format csv --output spend.csv',
    '<%= config.bin %> <%= command.id %> --since 2026-10-01 --until 2026-10-15 --by user --tz Europe/Berlin --json',
  ]
  static flags = {
    ...rangeFlags,
    breakdown: Flags.boolean({description: 'split every group by model (by key when grouping by model)'}),
    by: byFlag({description: 'group by day, model, key, user, team or provider [default: day]', helpValue: 'day|model|key|user|team|provider'}),
    chart: Flags.boolean({allowNo: true, default: true, description: 'draw the daily spend chart under the table (terminal only); --no-chart hides it'}),
    format: formatFlag({description: 'table, csv or json [default: table; csv or json for a .csv/.json --output]', helpValue: 'table|csv|json'}),
    key: Flags.string({description: 'only these keys: an alias, an sk- key (hashed before it is sent) or a key hash; repeat for several', multiple: true, helpValue: 'ALIAS|KEY|HASH'}),
    output: Flags.string({char: 'o', description: 'write the report to this file (written whole, then renamed into place)', helpValue: 'FILE'}),
  }
  static summary = 'spend per day, model, key, user, team or provider, with totals'

  public override async init(): Promise<void> {
    this.argv = withOptionalMonth(this.argv)
    await super.init()
  }

  async run(): Promise<SpendReportDoc> {
    const f = this.flags
    const now = this.now()
    const tz = f.tz ?? 'UTC'
    const range = resolveRange({month: f.month, lastMonth: f['last-month'], since: f.since, until: f.until}, now, tz)
    const groupBy = f.by ?? 'day'
    const breakdownBy = f.breakdown ? breakdownFor(groupBy) : null
    const byExtension: ReportFormat | undefined = f.output && /\.csv$/i.test(f.output) ? 'csv' : f.output && /\.json$/i.test(f.output) ? 'json' : undefined
    const format: ReportFormat = f.format ?? byExtension ?? (this.jsonEnabled() ? 'json' : 'table')
    if (f.output) {
      const problem = await checkOutputPath(f.output)
      if (problem) throw usageError(problem, 'write to an existing folder: --output ./spend.csv')
    }

    const client = this.adminClient()
    const [keys, sources] = await Promise.all([
      resolveKeyFilters(client, f.key ?? [], (line) => this.warnLine(line)),
      detectSpendSources(client, dayInZone(now.getTime(), 'UTC')),
    ])
    const source = chooseReportSource(sources, {groupBy, breakdown: Boolean(breakdownBy), timezone: tz})
    if (!source) {
      throw new KeywardError('not_litellm', 'the proxy offers no spend endpoint (/user/daily/activity, /spend/logs/v2, /spend/logs/ui or /spend/logs)', {
        suggestions: ['Check that this is a LiteLLM proxy with a database: keyward status'],
      })
    }
    const agg = new SpendAggregator(groupBy, breakdownBy, tz, this.settings.adminKey ? hashKey(this.settings.adminKey) : undefined)
    if (source === 'daily-activity') await this.fromDailyActivity(agg, range, keys)
    else await this.fromSpendLogs(agg, range, keys, source)
    const {rows, totals, daily} = agg.result()
    const one = keys.length === 1 ? keys[0]! : undefined
    const report = buildReport({
      range,
      groupBy,
      breakdownBy,
      source,
      keys: keys.map((k) => ({alias: k.alias, hash: k.hash})),
      budget: one?.row ? reportBudget(summarizeKey(one.row, now, one.hash)) : null,
      rows,
      totals,
    })

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
      this.note(`wrote the report (${rows.length} row${rows.length === 1 ? '' : 's'}) to ${f.output}`)
    } else if (!this.jsonEnabled()) {
      this.out(text.replace(/\n$/, ''))
    }
    return report
  }

  private async fromDailyActivity(agg: SpendAggregator, range: SpendRange, keys: KeyFilter[]): Promise<void> {
    const passes = keys.length === 0 ? [undefined] : keys.map((k) => k.hash)
    const results = await Promise.all(passes.map((apiKey) => fetchDailyActivity(this.adminClient(), {startDate: range.since, endDate: range.until, apiKey})))
    for (const days of results) {
      for (const d of days) if (d.date >= range.since && d.date <= range.until) agg.addDaily(d)
    }
  }

  private async fromSpendLogs(agg: SpendAggregator, range: SpendRange, keys: KeyFilter[], source: 'spend-logs-v2' | 'spend-logs-ui' | 'spend-logs-legacy'): Promise<void> {
    const client = this.adminClient()
    const filter: LocalFilter = {startMs: range.startMs, endMs: range.endMs, keyHashes: keys.length > 0 ? new Set(keys.map((k) => k.hash)) : undefined}
    const serverKey = keys.length === 1 ? keys[0]!.hash : undefined
    const take = (rows: Iterable<Record<string, unknown> & {startTime: string}>): void => {
      for (const r of rows) {
        const ms = DayKeyer.timeOf(r.startTime)
        if (keepRow(r, ms, filter)) agg.addLog(factsOf(r, ms))
      }
    }
    if (source === 'spend-logs-legacy') {
      this.note('this proxy has no paged spend logs: reading the deprecated /spend/logs')
      // Legacy dates are UTC days and the end day is excluded.
      const startDay = dayInZone(range.startMs, 'UTC')
      const endDayExclusive = addDaysYmd(dayInZone(range.endMs - 1, 'UTC'), 1)
      const res = await fetchLegacySpendLogs(client, {startDay, endDayExclusive, apiKey: serverKey})
      if (res.truncated) this.warnLine('the proxy truncated its /spend/logs answer (x-litellm-spend-logs-truncated): these totals are incomplete')
      take(res.rows)
      return
    }
    const endpoint = source === 'spend-logs-v2' ? '/spend/logs/v2' : '/spend/logs/ui'
    // The proxy's end is inclusive to the second: ask up to the next midnight and drop that instant here.
    const q = {startDate: formatSpendDateTime(range.startMs), endDate: formatSpendDateTime(range.endMs), apiKey: serverKey}
    for await (const page of pageSpendLogs(client, endpoint, q)) take(page.rows)
  }
}
