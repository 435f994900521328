// What each side of a two-process row spent while it ran: CPU seconds and, for Node sides, full
// collections. Beside a row's speed they say which side set its pace, and whether a run fell into
// V8's back-to-back full collections (docs/PERFORMANCE.md).
import { measureCpu } from './cpu-time.js'
import { countMajorGcs } from './major-gcs.js'
import type { MajorGcCounter } from './major-gcs.js'

/** One side of a row: its process, and (Node sides) its count of full collections. */
export interface End { pid: number, majorGcs: MajorGcCounter }

export interface SideCosts {
  listenerCpu: number | undefined
  dialerCpu: number | undefined
  listenerMajorGcs: number | undefined
  dialerMajorGcs: number | undefined
}

/** Runs `body` and returns its result with what the listener and the dialer spent on it (undefined where a side cannot say). */
export async function withSideCosts<T> ([listener, dialer]: [End, End], body: () => Promise<T>): Promise<{ result: T, costs: SideCosts }> {
  const { result: counted, seconds: [listenerCpu, dialerCpu] } = await measureCpu([listener.pid, dialer.pid], async () =>
    countMajorGcs([listener.majorGcs, dialer.majorGcs], body))
  const { result, counts: [listenerMajorGcs, dialerMajorGcs] } = counted
  return { result, costs: { listenerCpu, dialerCpu, listenerMajorGcs, dialerMajorGcs } }
}
