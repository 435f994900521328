// Full (mark-compact) garbage collections of this process, counted as they happen. A Node side of
// an echo row costs a third more CPU in runs where V8 falls into full collections back to back
// (docs/PERFORMANCE.md, "Full collections back to back"): the count says which runs those were.
import { PerformanceObserver, constants } from 'node:perf_hooks'
import type { PerformanceEntry } from 'node:perf_hooks'

export interface MajorGcs {
  count: number
  /** Main-thread pause of those collections (their concurrent marking runs on other threads). */
  ms: number
}

const seen: MajorGcs = { count: 0, ms: 0 }
let observer: PerformanceObserver | undefined

/** Starts counting (once per process) and returns the totals so far. */
export function majorGcs (): MajorGcs {
  if (observer == null) {
    observer = new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        if (isMajor(entry)) {
          seen.count++
          seen.ms += entry.duration
        }
      }
    })
    observer.observe({ entryTypes: ['gc'] })
  }
  return { ...seen }
}

function isMajor (entry: PerformanceEntry): boolean {
  // `detail` (Node ≥ 16) is not in this @types/node's PerformanceEntry
  return (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR
}
