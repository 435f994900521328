// Where the pinned runtime lives; shared by bootstrap.mjs and run.mjs.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const runtimeDir = dirname(fileURLToPath(import.meta.url))
export const repoRoot = dirname(runtimeDir)
export const binDir = join(runtimeDir, 'node_modules', '.bin')
export const pinnedNode = JSON.parse(
  (await import('node:fs')).readFileSync(join(runtimeDir, 'package.json'), 'utf8')
).dependencies.node

/** The environment in which `node` and `pnpm` resolve to the pinned versions. */
export function runtimeEnv () {
  return { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}` }
}
