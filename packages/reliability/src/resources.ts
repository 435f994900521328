// What a process holds, measured the same way everywhere: heap after a forced GC, open file descriptors,
// and active libuv resources (timers, sockets, servers).
import { readFileSync, readdirSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let collect: (() => void) | undefined

/** A full GC, available without starting node with --expose-gc. */
export function forceGc (): void {
  if (collect == null) {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as () => void
  }
  collect()
  collect()
}

export function heapAfterGc (): number {
  forceGc()
  return process.memoryUsage().heapUsed
}

export function openFds (): number {
  return readdirSync('/proc/self/fd').length
}

/** Timers, sockets and servers that keep the event loop alive (what a leak pins), by kind. */
export function activeResourceKinds (): string[] {
  return process.getActiveResourcesInfo().filter(kind => kind !== 'TTYWrap' && kind !== 'PipeWrap').sort()
}

export function activeResources (): number {
  return activeResourceKinds().length
}

/** Least-squares slope of `values` over `times` (per unit of time). */
export function slope (times: number[], values: number[]): number {
  const count = times.length
  if (count < 2) return 0
  const meanT = times.reduce((a, b) => a + b, 0) / count
  const meanV = values.reduce((a, b) => a + b, 0) / count
  let num = 0
  let den = 0
  for (let i = 0; i < count; i++) {
    num += ((times[i] ?? 0) - meanT) * ((values[i] ?? 0) - meanV)
    den += ((times[i] ?? 0) - meanT) ** 2
  }
  return den === 0 ? 0 : num / den
}

export interface SchedStat {
  /** ms this process's main thread ran on a CPU */
  running: number
  /** ms it was ready to run but waited for a CPU (other processes had them) */
  waiting: number
}

/** The main thread's scheduler figures (Linux `/proc/self/schedstat`); undefined where there is none. */
export function schedStat (): SchedStat | undefined {
  try {
    const [running, waiting] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/).map(Number)
    return { running: (running ?? 0) / 1e6, waiting: (waiting ?? 0) / 1e6 }
  } catch {
    return undefined
  }
}
