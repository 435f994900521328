// The figures behind docs/BENCHMARKS.md, kept beside it (benchmarks/results.json), so that a run of some
// rows (`--only`) replaces those rows and keeps every other one with the run that measured it.
import { readFile, writeFile } from 'node:fs/promises'
import type { Sizes } from '../sizes.js'
import type { Summary } from '../stats.js'
import type { Machine } from './machine.js'

export const RESULTS_FILE = 'benchmarks/results.json'

export interface Run { run: number, args: string[], machine: Machine, sizes: Sizes }
export interface Results { runs: Run[], rows: Summary[] }

/** The results a previous run left in `file`, or none. */
export async function loadResults (file: string): Promise<Results> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], rows: [] }
    throw err
  }
  const results = JSON.parse(text) as Results
  // JSON has no NaN: a row that never ran was written with null figures
  const number = (value: number | null): number => value ?? NaN
  results.rows = results.rows.map(row => ({ ...row, median: number(row.median), min: number(row.min), max: number(row.max) }))
  return results
}

export async function saveResults (file: string, results: Results): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 1)}\n`)
}

/**
 * This run's rows replace the same rows of `previous`; rows of earlier runs stay, in the order of `rowOrder`
 * (the ids of every row there is: a row that no longer exists is dropped). Runs are numbered 1… by age.
 */
export function mergeResults (previous: Results, current: Omit<Run, 'run'>, summaries: Summary[], rowOrder: string[]): Results {
  const measured = new Set(summaries.map(summary => summary.row.id))
  const kept = previous.rows.filter(row => !measured.has(row.row.id) && rowOrder.includes(row.row.id))
  const oldRuns = previous.runs.filter(run => kept.some(row => row.run === run.run)).sort((a, b) => a.run - b.run)
  const renumber = new Map(oldRuns.map((run, i) => [run.run, i + 1]))
  const thisRun = oldRuns.length + 1
  const rows = [...kept.map(row => ({ ...row, run: renumber.get(row.run)! })), ...summaries.map(row => ({ ...row, run: thisRun }))]
  rows.sort((a, b) => rowOrder.indexOf(a.row.id) - rowOrder.indexOf(b.row.id))
  return {
    runs: [...oldRuns.map(run => ({ ...run, run: renumber.get(run.run)! })), { ...current, run: thisRun }],
    rows
  }
}
