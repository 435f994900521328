// How many full collections each Node side of a row ran while the row ran (src/peer/major-gcs.ts):
// beside the CPU seconds, it tells a run that fell into V8's back-to-back full collections from one
// that did not.

/** A side's count of full collections so far, or undefined for a side that is not a Node peer (Go). */
export type MajorGcCounter = (() => Promise<number>) | undefined

/** The full collections each side ran while `body` ran (undefined where the side cannot say). */
export async function countMajorGcs<T> (counters: MajorGcCounter[], body: () => Promise<T>): Promise<{ result: T, counts: Array<number | undefined> }> {
  const before = await Promise.all(counters.map(async counter => counter?.()))
  const result = await body()
  const after = await Promise.all(counters.map(async counter => counter?.()))
  return { result, counts: after.map((end, i) => end == null || before[i] == null ? undefined : end - before[i]!) }
}
