// Median and spread of a row's runs.
import type { Row, RowInfo, Sample } from './rows/row.js'

export interface Summary {
  row: RowInfo
  /** Which run of `npm run bench` measured it (the report's runs table): a ratio takes both sides from one run. */
  run: number
  samples: Sample[]
  median: number
  min: number
  max: number
  /** Medians of the per-run percentiles (handshake rows). */
  p50?: number
  p99?: number
  rss?: number
  setupMs?: number
  listenerCpu?: number
  dialerCpu?: number
  listenerMajorGcs?: number
  dialerMajorGcs?: number
  dialerWaited?: number
  intact: boolean
  /** Why the row did not run, or how it failed. */
  skipped?: string
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return NaN
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const optionalMedian = (values: Array<number | undefined>): number | undefined => {
  const present = values.filter((v): v is number => v != null)
  return present.length === 0 ? undefined : median(present)
}

export function summarize (row: Row, samples: Sample[], skipped?: string, run = 1): Summary {
  const values = samples.map(s => s.value)
  const { id, group, label, unit, reference } = row
  return {
    row: { id, group, label, unit, ...(reference != null ? { reference } : {}) },
    run,
    samples,
    median: median(values),
    min: values.length === 0 ? NaN : Math.min(...values),
    max: values.length === 0 ? NaN : Math.max(...values),
    p50: optionalMedian(samples.map(s => s.p50)),
    p99: optionalMedian(samples.map(s => s.p99)),
    rss: optionalMedian(samples.map(s => s.rss)),
    setupMs: optionalMedian(samples.map(s => s.setupMs)),
    listenerCpu: optionalMedian(samples.map(s => s.listenerCpu)),
    dialerCpu: optionalMedian(samples.map(s => s.dialerCpu)),
    listenerMajorGcs: optionalMedian(samples.map(s => s.listenerMajorGcs)),
    dialerMajorGcs: optionalMedian(samples.map(s => s.dialerMajorGcs)),
    dialerWaited: optionalMedian(samples.map(s => s.dialerWaited)),
    intact: samples.length > 0 && samples.every(s => s.intact),
    ...(skipped != null ? { skipped } : {})
  }
}
