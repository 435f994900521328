// What the numbers were measured on, read from the machine (nothing typed by hand).
import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'

export interface Machine { cpu: string, cores: number, memoryGiB: number, node: string, commit: string, date: string, loadStart: number[], loadEnd?: number[] }

export function describeMachine (): Machine {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== ''
    if (dirty) commit += ' (with uncommitted changes)'
  } catch {
    // not a git checkout (a tarball): the commit stays unknown
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    commit,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadStart: loadavg()
  }
}
