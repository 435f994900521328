import { appendFileSync, readFileSync } from 'node:fs'
import type { FuzzProfile } from './config.js'

/** What one target's run measured: written by the fuzz specs, read by `pnpm fuzz`. */
export interface TargetFigures {
  target: string
  /** Where the target runs: `pure` functions on bytes, or a `live` connection. */
  kind: 'pure' | 'live'
  /** What was fed in, in a few words. */
  inputs: string
  profile: FuzzProfile
  seed: number
  cases: number
  /** Cases by outcome: the error a case ended with, or a word for a case that ended well. */
  outcomes: Record<string, number>
  ms: number
  peakHeapUsed: number
  peakArrayBuffers: number
  peakRss: number
}

export function appendFigures (file: string, figures: TargetFigures): void {
  appendFileSync(file, JSON.stringify(figures) + '\n')
}

export function readFigures (file: string): TargetFigures[] {
  return readFileSync(file, 'utf8').split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as TargetFigures)
}
