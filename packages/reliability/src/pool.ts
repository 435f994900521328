/** Runs `jobs` with at most `concurrency` at a time; results in job order. */
export async function pool<T> (jobs: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
  const results = new Array<T>(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++
      results[index] = await (jobs[index] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))
  return results
}
