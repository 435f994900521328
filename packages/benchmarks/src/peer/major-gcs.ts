// Full (mark-compact) garbage collections of this process, counted from the moment this module is
// loaded. A Node side of a one-way or echo row costs a third more CPU in runs where V8 falls into
// full collections back to back (docs/PERFORMANCE.md, "Full collections back to back"): the count says
// which runs those were.
import { PerformanceObserver, constants } from 'node:perf_hooks'
import type { PerformanceEntry } from 'node:perf_hooks'

let count = 0

new PerformanceObserver(list => {
  count += list.getEntries().filter(isMajor).length
}).observe({ entryTypes: ['gc'] })

/** Full collections so far. */
export function majorGcCount (): number {
  return count
}

function isMajor (entry: PerformanceEntry): boolean {
  // `detail` (Node ≥ 16) is not in this @types/node's PerformanceEntry
  return (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR
}
