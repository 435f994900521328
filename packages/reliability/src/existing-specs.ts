// The hostile-input specs the suite already has (in-memory pairs, mostly): run here as they are, so their
// figures sit next to the real-socket ones instead of being written a second time.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './results.js'

export const HOSTILE_SPECS = [
  'packages/connection-encrypter-secio/dist/test/negative-handshake.spec.js',
  'packages/connection-encrypter-secio/dist/test/data-path.spec.js',
  'packages/connection-encrypter-secio/dist/test/replay.spec.js',
  'packages/connection-encrypter-secio/dist/test/mutation.spec.js',
  'packages/connection-encrypter-secio/dist/test/handshake-lifecycle.spec.js',
  'packages/core/dist/test/inbound-limits.spec.js',
  'packages/core/dist/test/nothing-pinned.spec.js',
  'packages/core/dist/test/stream-ends.spec.js',
  'packages/core/dist/test/first-cause.spec.js'
]

export interface SpecFigures {
  file: string
  tests: number
  passes: number
  failures: number
  pending: number
  seconds: number
}

export function runSpec (file: string): SpecFigures {
  const mocha = join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js')
  const run = spawnSync(process.execPath, [mocha, '--no-config', '--reporter', 'json', '--timeout', '60000', '--exit', file], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const json = run.stdout.slice(run.stdout.indexOf('{'))
  const stats = (JSON.parse(json) as { stats: { tests: number, passes: number, failures: number, pending: number, duration: number } }).stats
  return { file, tests: stats.tests, passes: stats.passes, failures: stats.failures, pending: stats.pending, seconds: stats.duration / 1000 }
}
