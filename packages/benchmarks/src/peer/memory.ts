// The listener's memory after a full GC (the peer process runs with --expose-gc).
export interface MemorySample { rss: number, heapUsed: number, external: number }

export async function memoryAfterGc (): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc == null) throw new Error('the peer process needs --expose-gc to measure memory')
  // twice, with a turn between: weak refs and finalizers free more on the second pass
  gc()
  await new Promise(resolve => setTimeout(resolve, 50))
  gc()
  const usage = process.memoryUsage()
  // `external` already counts every ArrayBuffer's storage (`arrayBuffers` is the part of it they hold)
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external }
}
