export interface Summary {
  min?: number
  avg?: number
  /** The 99th percentile (nearest rank). */
  p99?: number
  max?: number
}

/** min/avg/p99/max of round-trip times, nothing for none. */
export function summarize (times: number[]): Summary {
  if (times.length === 0) return {}

  const sorted = [...times].sort((a, b) => a - b)
  const rank = Math.max(0, Math.ceil(0.99 * sorted.length) - 1)
  return {
    min: sorted[0],
    avg: sorted.reduce((sum, t) => sum + t, 0) / sorted.length,
    p99: sorted[rank],
    max: sorted[sorted.length - 1]
  }
}
