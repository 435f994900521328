// CPU seconds a process has used (user + system), from Linux's /proc: what each side of a row
// cost, beside how fast the row went. On a 2-core machine both sides share the cores, so a side
// that needs more CPU per byte slows the whole row even while it sometimes waits.
import { readFileSync } from 'node:fs'

/** /proc reports times in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
const TICKS_PER_SECOND = 100

/** CPU seconds used so far by process `pid`, or undefined where /proc is not there (not Linux) or the process is gone. */
export function cpuSeconds (pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields 14 and 15 of the whole line (utime, stime) are the 12th and 13th after the name
  const ticks = Number(fields[11]) + Number(fields[12])
  return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined
}

/** The CPU seconds each of `pids` used while `body` ran (undefined where unknown). */
export async function measureCpu<T> (pids: number[], body: () => Promise<T>): Promise<{ result: T, seconds: Array<number | undefined> }> {
  const before = pids.map(cpuSeconds)
  const result = await body()
  const seconds = pids.map((pid, i) => {
    const [start, end] = [before[i], cpuSeconds(pid)]
    return start == null || end == null ? undefined : end - start
  })
  return { result, seconds }
}
