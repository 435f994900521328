// Each part of the run keeps its last figures in results/<part>.json (committed), so one part can be run
// again without the others, and docs/RELIABILITY.md is always rendered from every part's last run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const REPO_ROOT = join(PACKAGE_ROOT, '..', '..')
const RESULTS = join(PACKAGE_ROOT, 'results')

export interface PartResult<T> {
  part: string
  /** the command that produced these figures, as a reader runs it from the repo root */
  command: string
  finished: string
  seconds: number
  /** Node.js version and core count of the machine that ran it */
  machine: string
  figures: T
}

export function saveResult<T> (result: PartResult<T>): void {
  mkdirSync(RESULTS, { recursive: true })
  writeFileSync(join(RESULTS, `${result.part}.json`), `${JSON.stringify(result, null, 2)}\n`)
}

export function loadResult<T> (part: string): PartResult<T> | undefined {
  const path = join(RESULTS, `${part}.json`)
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as PartResult<T> : undefined
}
