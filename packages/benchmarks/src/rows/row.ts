// One line of the benchmark tables: what it measures, and how to measure it once.
import type { Sizes } from '../sizes.js'

export type Group = 'throughput' | 'messages' | 'echo' | 'legacy' | 'limit' | 'handshake' | 'memory' | 'streams'

export interface Sample {
  /** The row's figure (its unit is the row's). */
  value: number
  /** Every byte arrived and matched (or every setup/stream echoed correctly). */
  intact: boolean
  /** Latency percentiles in ms (handshake rows). */
  p50?: number
  p99?: number
  /** RSS per connection in KiB (memory rows). */
  rss?: number
  /** Wall-clock ms per connection while opening them 16 at a time (memory rows): how setup time grows with count. */
  setupMs?: number
  /** CPU seconds (user + system) each side's process spent on the run (one-way and echo rows). */
  listenerCpu?: number
  dialerCpu?: number
  /** Full (mark-compact) collections each Node side ran during the run (one-way and echo rows; docs/PERFORMANCE.md says why). */
  listenerMajorGcs?: number
  dialerMajorGcs?: number
  /** Seconds the sending dialer's writer waited for drains (one-way rows): near none means it queued instead. */
  dialerWaited?: number
}

/** What the report shows of a row: all of it but how to measure it. */
export interface RowInfo {
  id: string
  group: Group
  label: string
  unit: string
  /** A reference system (noise, Go, legacy, the limit…), drawn in another colour. */
  reference?: boolean
}

export interface Row extends RowInfo {
  measure: (sizes: Sizes) => Promise<Sample>
  /** Why the row cannot run on this machine (a missing toolchain), checked before the rounds. */
  unavailable?: () => Promise<string | undefined>
}

/** MB/s of `bytes` in `ms`. */
export const mbps = (bytes: number, ms: number): number => bytes / 1e3 / ms

export function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))] ?? NaN
}
