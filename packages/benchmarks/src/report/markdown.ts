// docs/BENCHMARKS.md, written from one run's summaries: every figure in it comes from the run.
import { RATIOS, evaluate, ratio, targets } from '../ratios.js'
import { formatValue } from './svg.js'
import type { Group } from '../rows/row.js'
import type { Sizes } from '../sizes.js'
import type { Summary } from '../stats.js'
import type { Machine } from './machine.js'

export interface Section { group: Group, title: string, about: string, chart?: string }

const MiB = 1024 * 1024
const load = (values: number[] | undefined): string => values?.map(v => v.toFixed(2)).join(', ') ?? '–'
const verdict = (pass: boolean | undefined): string => pass == null ? 'not measured' : pass ? '**pass**' : '**FAIL**'

function table (rows: Summary[]): string[] {
  const latency = rows.some(row => row.p50 != null)
  const rss = rows.some(row => row.rss != null)
  const head = ['row', 'median', 'min–max', 'unit', 'runs', 'data', ...(latency ? ['p50 ms', 'p99 ms'] : []), ...(rss ? ['RSS KiB/connection'] : [])]
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const row of rows) {
    const data = row.skipped != null ? row.skipped : row.intact ? 'intact' : 'NOT INTACT'
    lines.push(`| ${[row.row.label, formatValue(row.median), `${formatValue(row.min)}–${formatValue(row.max)}`, row.row.unit, String(row.samples.length), data,
      ...(latency ? [formatValue(row.p50 ?? NaN), formatValue(row.p99 ?? NaN)] : []), ...(rss ? [formatValue(row.rss ?? NaN)] : [])].join(' | ')} |`)
  }
  return lines
}

export function markdown (summaries: Summary[], sections: Section[], sizes: Sizes, machine: Machine, args: string[]): string {
  const byId = new Map(summaries.map(s => [s.row.id, s]))
  const out = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (arguments: ${args.length === 0 ? 'none' : `\`${args.join(' ')}\``}; ${sizes.rounds} alternated rounds: every row once per round, in the same order). Do not edit by hand: run it again.`,
    'Each side of every row is a separate process (Node rows: the pinned Node; Go: the reference peer binary; legacy: libp2p 0.29 + secio 0.13.1 in its own process) over loopback TCP; the receiver checks every byte.',
    'The machine is shared with other work: read the ratios (both sides of a ratio ran in the same rounds), not the absolute figures.',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB |`,
    `| Node.js | ${machine.node} |`,
    `| load average (1, 5, 15 min) at start | ${load(machine.loadStart)} |`,
    `| load average at end | ${load(machine.loadEnd)} |`,
    `| date | ${machine.date} |`,
    `| git commit | ${machine.commit} |`,
    `| sizes | one way ${sizes.throughputBytes / MiB} MiB, echo ${sizes.echoBytes / MiB} MiB, legacy ${sizes.legacyEchoes} × ${sizes.legacyEchoBytes / MiB} MiB, seal ${sizes.sealBytes / MiB} MiB, ${sizes.handshakes} setups (${sizes.handshakeConcurrency} concurrent), ${sizes.connectionCounts.join(' / ')} idle connections, ${sizes.concurrentStreams} streams; writes of ${sizes.chunk / 1024} KiB, echo window ${sizes.window / 1024} KiB |`,
    '',
    '## Targets (issue 9)',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets(sizes.connectionCounts).map(target => evaluate(byId, target)).map(e => `| ${e.goal} | ${e.measured} | ${verdict(e.pass)} |`),
    '',
    '## Ratios (medians)',
    '',
    '| ratio | value |',
    '|---|---|',
    ...RATIOS.map(x => `| ${x.name} | ${formatValue(ratio(byId, x))} |`),
    ...sizes.connectionCounts.map(count => `| memory per connection at ${count}: Uplink secio / js-libp2p noise | ${formatValue(ratio(byId, { name: '', numerator: `memory-uplink-secio-${count}`, denominator: `memory-libp2p-noise-${count}` }))} |`),
    ''
  ]
  for (const section of sections) {
    const rows = summaries.filter(s => s.row.group === section.group)
    if (rows.length === 0) continue
    out.push(`## ${section.title}`, '', section.about, '')
    if (section.chart != null) out.push(`![${section.title}](${section.chart})`, '')
    out.push(...table(rows), '')
  }
  return out.join('\n')
}
