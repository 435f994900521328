// `npm run bench` (or `pnpm bench`): every benchmark row, side by side, alternated over rounds;
// writes docs/BENCHMARKS.md and its charts. `--quick` runs every row once with tiny sizes (the
// smoke test of npm test) and writes nothing unless `--out` is given.
// `--only` runs the rows whose ids start with the given prefixes and replaces just those rows of the report
// (the others stay, with the run that measured them: report/results.ts).
//   node packages/benchmarks/dist/src/bench.js [--quick] [--rounds N] [--mib N] [--only id,id] [--out DIR]
import { mkdir, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PeerProcess } from '@uplink/interop/fixtures/peer-process'
import { stopPool, usePool } from './run/children.js'
import { describeMachine } from './report/machine.js'
import { markdown } from './report/markdown.js'
import { RESULTS_FILE, loadResults, mergeResults, saveResults } from './report/results.js'
import { barChart } from './report/svg.js'
import { runRounds } from './rounds.js'
import { allRows } from './rows/all.js'
import { SECTIONS } from './sections.js'
import { FULL, QUICK } from './sizes.js'
import { repoRoot } from './repo-root.js'

const { values } = parseArgs({
  args: process.argv.slice(2).filter(arg => arg !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    mib: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' }
  }
})

const positive = (text: string | undefined, name: string): number | undefined => {
  if (text == null) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`bench: --${name} must be a positive integer, got ${JSON.stringify(text)}`)
    process.exit(2)
  }
  return value
}

const base = values.quick ? QUICK : FULL
const rounds = positive(values.rounds, 'rounds')
const mib = positive(values.mib, 'mib')
const sizes = { ...base, ...(rounds != null ? { rounds } : {}), ...(mib != null ? { throughputBytes: mib * 2 ** 20, sealBytes: mib * 2 ** 20 } : {}) }
const only = values.only?.split(',')
const everyRow = allRows(sizes)
const rows = everyRow.filter(row => only == null || only.some(id => row.id.startsWith(id)))
const outDir = values.out ?? (values.quick ? undefined : join(repoRoot(), 'docs'))
const machine = describeMachine()

console.error(`bench: ${rows.length} rows × ${sizes.rounds} rounds${values.quick ? ' (quick)' : ''}, load average ${loadavg().map(v => v.toFixed(2)).join(' ')}`)
if (values.quick) usePool()
const summaries = await runRounds(rows, sizes, line => { console.error(line) })
machine.loadEnd = loadavg()
await stopPool()
await PeerProcess.stopAll()

const args = process.argv.slice(2).filter(arg => arg !== '--')
const resultsFile = outDir == null ? undefined : join(outDir, RESULTS_FILE)
// a run of every row starts the report afresh; a run of some rows keeps the rest of the last report
const previous = resultsFile != null && only != null ? await loadResults(resultsFile) : { runs: [], rows: [] }
const results = mergeResults(previous, { args, machine, sizes }, summaries, everyRow.map(row => row.id))
const report = markdown(results, SECTIONS)

if (outDir != null && resultsFile != null) {
  await mkdir(join(outDir, 'benchmarks'), { recursive: true })
  await writeFile(join(outDir, 'BENCHMARKS.md'), report)
  await saveResults(resultsFile, results)
  for (const section of SECTIONS) {
    const inSection = results.rows.filter(s => s.row.group === section.group)
    if (section.chart != null && inSection.length > 0) await writeFile(join(outDir, section.chart), barChart(section.title, inSection[0]!.row.unit, inSection))
  }
  console.error(`bench: wrote ${join(outDir, 'BENCHMARKS.md')}`)
} else {
  console.log(report)
}

// one JSON line for the smoke test: every row, whether it ran and whether its data arrived intact
console.log(JSON.stringify({ event: 'bench', rows: summaries.map(s => ({ id: s.row.id, runs: s.samples.length, intact: s.intact, skipped: s.skipped })) }))
process.exit(summaries.some(s => s.skipped?.startsWith('failed') === true || (s.skipped == null && !s.intact)) ? 1 : 0)
