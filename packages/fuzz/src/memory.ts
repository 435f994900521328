import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Peak memory seen during a target, sampled between cases. */
export class MemoryPeak {
  heapUsed = 0
  arrayBuffers = 0
  rss = 0

  sample (): void {
    const { heapUsed, arrayBuffers, rss } = process.memoryUsage()
    this.heapUsed = Math.max(this.heapUsed, heapUsed)
    this.arrayBuffers = Math.max(this.arrayBuffers, arrayBuffers)
    this.rss = Math.max(this.rss, rss)
  }
}

let collect: (() => void) | undefined

/**
 * A full garbage collection, so a measurement starts from live memory only.
 * Turned on at run time (`--expose-gc` is not needed on the command line).
 */
export function collectGarbage (): void {
  if (collect == null) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }

  collect()
}

/** Bytes held in ArrayBuffers (where every Uint8Array's storage lives) right now. */
export function arrayBufferBytes (): number {
  return process.memoryUsage().arrayBuffers
}
