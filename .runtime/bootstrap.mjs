// Installs what the repo's scripts need, on a machine that may only have Node 20 and npm:
// the pinned Node >= 22 and pnpm (from the npm registry, through .runtime/package-lock.json),
// then the workspace (pnpm-lock.yaml, frozen), then builds every package with `tsc -b`.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { binDir, pinnedNode, repoRoot, runtimeDir, runtimeEnv } from './paths.mjs'

function installedNodeVersion () {
  const node = join(binDir, 'node')
  if (!existsSync(node)) return undefined
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '')
  } catch {
    return undefined
  }
}

function run (command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: runtimeEnv(), ...options })
  if (result.status !== 0) {
    console.error(`bootstrap: \`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
}

if (installedNodeVersion() !== pinnedNode || !existsSync(join(binDir, 'pnpm'))) {
  console.error(`bootstrap: installing Node ${pinnedNode} and pnpm into .runtime/ (one time)`)
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: runtimeDir, env: process.env })
}

run(join(binDir, 'pnpm'), ['install', '--frozen-lockfile', '--reporter=silent'], { cwd: repoRoot })
run(join(binDir, 'pnpm'), ['run', '--silent', 'build'], { cwd: repoRoot })
