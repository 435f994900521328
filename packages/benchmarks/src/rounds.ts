// Runs every row once per round, in the same order each round, so that whatever the shared machine
// does during the run falls on every row alike; a row that fails keeps its error and is not retried.
import { summarize } from './stats.js'
import type { Row, Sample } from './rows/row.js'
import type { Sizes } from './sizes.js'
import type { Summary } from './stats.js'

export async function runRounds (rows: Row[], sizes: Sizes, log: (line: string) => void): Promise<Summary[]> {
  const samples = new Map<Row, Sample[]>(rows.map(row => [row, []]))
  const skipped = new Map<Row, string>()

  for (const row of rows) {
    // a peer that cannot be built (e.g. the Go module proxy is unreachable) fails its rows, not the run
    const why = await row.unavailable?.().catch((err: Error) => `failed: ${err.message.split('\n')[0]}`)
    if (why != null) {
      skipped.set(row, why)
      log(`!!! SKIPPED ${row.id}: ${why}`)
    }
  }

  for (let round = 1; round <= sizes.rounds; round++) {
    for (const row of rows) {
      if (skipped.has(row)) continue
      try {
        const sample = await row.measure(sizes)
        samples.get(row)!.push(sample)
        log(`round ${round}/${sizes.rounds} ${row.id}: ${sample.value.toFixed(1)} ${row.unit}${sample.intact ? '' : ' DATA NOT INTACT'}`)
      } catch (err) {
        skipped.set(row, `failed: ${(err as Error).message.split('\n')[0]}`)
        log(`!!! FAILED ${row.id}: ${(err as Error).stack ?? String(err)}`)
      }
    }
  }

  return rows.map(row => summarize(row, samples.get(row)!, skipped.get(row)))
}
