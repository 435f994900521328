import { setImmediate as nextMacrotask } from 'node:timers/promises'
import fc from 'fast-check'
import { fuzzConfig } from './config.js'
import { appendFigures } from './figures.js'
import { MemoryPeak } from './memory.js'
import { within } from './hang-guard.js'
import { guardProcess } from './process-guard.js'
import type { TargetFigures } from './figures.js'

export interface FuzzTarget<T> {
  /** `area/what`, e.g. `secio/propose`; shown in the figures and the printed seed line. */
  name: string
  kind: 'pure' | 'live'
  /** What is fed in, in a few words, for the figures. */
  inputs: string
  arbitrary: fc.Arbitrary<T>
  /** Cases per run in each profile (FUZZ_RUNS overrides both). */
  runs: { test: number, full: number }
  /**
   * Runs one case and returns its outcome: the name of the error it ended
   * with, or a word for a case that ended well. Throws on a broken property.
   */
  check: (input: T) => string | Promise<string>
  /** Milliseconds one case may take before it counts as a hang (live targets). */
  hangAfter?: number
  /** Heap growth over the run (peak minus start) that fails it: a guard against allocation an input can drive. */
  maxHeapGrowth?: number
}

const SAMPLE_EVERY = 64

/**
 * Runs a target under fast-check with the configured seed and size, with a
 * process guard (an escaped rejection or exception fails the run), a hang
 * guard per case and a memory peak. Prints the line that repeats the run and
 * appends the figures to FUZZ_FIGURES if set.
 */
export async function runFuzzTarget<T> (target: FuzzTarget<T>): Promise<TargetFigures> {
  const config = fuzzConfig()
  const cases = config.runs ?? target.runs[config.profile]
  const outcomes: Record<string, number> = {}
  const peak = new MemoryPeak()
  const guard = guardProcess()
  const startHeap = process.memoryUsage().heapUsed
  const started = Date.now()
  let count = 0

  console.log(`      fuzz ${target.name}: ${cases} cases, seed ${config.seed} (repeat with FUZZ_SEED=${config.seed} FUZZ_RUNS=${cases})`)

  const property = fc.asyncProperty(target.arbitrary, async (input) => {
    const checked = Promise.resolve(target.check(input))
    const outcome = await (target.hangAfter == null ? checked : within(target.hangAfter, checked, `a ${target.name} case`))
    guard.check()
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1

    if (++count % SAMPLE_EVERY === 0) {
      peak.sample()
      // let escaped rejections of pure targets surface between cases
      await nextMacrotask()
      guard.check()
    }
  })

  try {
    await fc.assert(property, {
      seed: config.seed,
      numRuns: cases,
      path: config.path,
      // a live case is slow to shrink; the seed and path printed still repeat it
      endOnFailure: target.kind === 'live'
    })
    await nextMacrotask()
    guard.check()
  } finally {
    guard.stop()
  }

  peak.sample()
  const growth = peak.heapUsed - startHeap
  const maxGrowth = target.maxHeapGrowth ?? 256 * 1024 * 1024

  if (growth > maxGrowth) {
    throw new Error(`${target.name}: the heap grew by ${mib(growth)} MiB over the run, more than the ${mib(maxGrowth)} MiB allowed`)
  }

  const figures: TargetFigures = {
    target: target.name,
    kind: target.kind,
    inputs: target.inputs,
    profile: config.profile,
    seed: config.seed,
    cases: count,
    outcomes,
    ms: Date.now() - started,
    peakHeapUsed: peak.heapUsed,
    peakArrayBuffers: peak.arrayBuffers,
    peakRss: peak.rss
  }

  console.log(`      ${count} cases in ${figures.ms} ms: ${Object.entries(outcomes).sort(([, a], [, b]) => b - a).map(([name, n]) => `${name} ${n}`).join(', ')}`)
  if (config.figures != null) appendFigures(config.figures, figures)
  return figures
}

function mib (bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}
