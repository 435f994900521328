// docs/BENCHMARKS.md, written from the results of the runs that measured its rows: every figure in it
// comes from a run, and the runs table says which.
import { RATIOS, evaluate, ratio, targets } from '../ratios.js'
import { formatValue } from './svg.js'
import type { Group } from '../rows/row.js'
import type { Sizes } from '../sizes.js'
import type { Summary } from '../stats.js'
import { RESULTS_FILE } from './results.js'
import type { Results, Run } from './results.js'

export interface Section { group: Group, title: string, about: string, chart?: string }

const MiB = 1024 * 1024
const load = (values: number[] | undefined): string => values?.map(v => v.toFixed(2)).join(', ') ?? '–'
const verdict = (pass: boolean | undefined): string => pass == null ? 'not measured' : pass ? '**pass**' : '**FAIL**'

/** Columns a table shows only when one of its rows has the figure. */
const OPTIONAL_COLUMNS: Array<{ head: string, value: (row: Summary) => number | undefined }> = [
  { head: 'p50 ms', value: row => row.p50 },
  { head: 'p99 ms', value: row => row.p99 },
  { head: 'RSS KiB/connection', value: row => row.rss },
  { head: 'setup ms/connection', value: row => row.setupMs },
  { head: 'listener CPU s', value: row => row.listenerCpu },
  { head: 'dialer CPU s', value: row => row.dialerCpu },
  { head: 'listener full GCs', value: row => row.listenerMajorGcs },
  { head: 'dialer full GCs', value: row => row.dialerMajorGcs },
  { head: 'dialer waited for drain s', value: row => row.dialerWaited }
]

function table (rows: Summary[], showRun: boolean): string[] {
  const optional = OPTIONAL_COLUMNS.filter(column => rows.some(row => column.value(row) != null))
  const head = ['row', ...(showRun ? ['run'] : []), 'median', 'min–max', 'unit', 'runs', 'data', ...optional.map(column => column.head)]
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const row of rows) {
    const data = row.skipped != null ? row.skipped : row.intact ? 'intact' : 'NOT INTACT'
    lines.push(`| ${[row.row.label, ...(showRun ? [String(row.run)] : []), formatValue(row.median), `${formatValue(row.min)}–${formatValue(row.max)}`, row.row.unit, String(row.samples.length), data,
      ...optional.map(column => formatValue(column.value(row) ?? NaN))].join(' | ')} |`)
  }
  return lines
}

const sizesLine = (sizes: Sizes): string =>
  `one way ${sizes.throughputBytes / MiB} MiB, echo ${sizes.echoBytes / MiB} MiB, legacy ${sizes.legacyEchoes} × ${sizes.legacyEchoBytes / MiB} MiB, seal ${sizes.sealBytes / MiB} MiB, ${sizes.handshakes} setups (${sizes.handshakeConcurrency} concurrent), ${sizes.connectionCounts.join(' / ')} idle connections, ${sizes.concurrentStreams} streams; writes of ${sizes.chunk / 1024} KiB, echo window ${sizes.window / 1024} KiB`

function runTable ({ run, args, machine, sizes }: Run, rows: Summary[]): string[] {
  return [
    // the arguments apart from the command: the docs' tests run every command a doc shows, and a run's own arguments are not one to rerun
    `### Run ${run}: \`npm run bench\`${args.length === 0 ? '' : ` with \`${args.join(' ')}\``} (${sizes.rounds} alternated rounds)`,
    '',
    '| | |',
    '|---|---|',
    `| rows | ${rows.filter(row => row.run === run).map(row => `\`${row.row.id}\``).join(', ')} |`,
    `| CPU | ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB |`,
    `| Node.js | ${machine.node} |`,
    `| load average (1, 5, 15 min) at start | ${load(machine.loadStart)} |`,
    `| load average at end | ${load(machine.loadEnd)} |`,
    `| date | ${machine.date} |`,
    `| git commit | ${machine.commit} |`,
    `| sizes | ${sizesLine(sizes)} |`,
    ''
  ]
}

export function markdown ({ runs, rows: summaries }: Results, sections: Section[]): string {
  const byId = new Map(summaries.map(s => [s.row.id, s]))
  const memoryCounts = summaries.map(s => /^memory-uplink-secio-(\d+)$/.exec(s.row.id)?.[1]).filter(count => count != null).map(Number)
  const out = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`: a run of every row (no \`--only\`) rewrites it all; \`--only\` replaces the rows it names and keeps the others, each with the run that measured it (below; the figures are in \`${RESULTS_FILE}\`). In a run, every row runs once per round, in the same order; a ratio is computed only from two rows of the same run. Do not edit by hand: run it again.`,
    'Each side of every row is a separate process (Node rows: the pinned Node; Go: the reference peer binary; legacy: libp2p 0.29 + secio 0.13.1 in its own process) over loopback TCP; the receiver checks every byte.',
    'The machine is shared with other work: read the ratios (both sides of a ratio ran in the same rounds), not the absolute figures.',
    'How the data path is built, and the profiles behind the targets that fail: [PERFORMANCE.md](PERFORMANCE.md).',
    '',
    '## Runs',
    '',
    ...runs.flatMap(run => runTable(run, summaries)),
    '## Targets (issue 9)',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets(memoryCounts).map(target => evaluate(byId, target)).map(e => `| ${e.goal} | ${e.measured} | ${verdict(e.pass)} |`),
    '',
    '## Ratios (medians)',
    '',
    '| ratio | value |',
    '|---|---|',
    ...RATIOS.map(x => `| ${x.name} | ${formatValue(ratio(byId, x))} |`),
    ...memoryCounts.map(count => `| memory per connection at ${count}: Uplink secio / js-libp2p noise | ${formatValue(ratio(byId, { name: '', numerator: `memory-uplink-secio-${count}`, denominator: `memory-libp2p-noise-${count}` }))} |`),
    ''
  ]
  for (const section of sections) {
    const rows = summaries.filter(s => s.row.group === section.group)
    if (rows.length === 0) continue
    out.push(`## ${section.title}`, '', section.about, '')
    if (section.chart != null) out.push(`![${section.title}](${section.chart})`, '')
    out.push(...table(rows, runs.length > 1), '')
  }
  return out.join('\n')
}
