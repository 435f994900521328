// Installs what the repo's scripts need, on a machine that may only have Node 20 and npm:
// the pinned Node >= 22 and pnpm (from the npm registry, through .runtime/package-lock.json),
// then the legacy libp2p peer of the interop tests (packages/interop/legacy, plain npm),
// then the workspace (pnpm-lock.yaml, frozen), then builds every package with `tsc -b`.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
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

  // the `node` package fetches its binary in a preinstall script; should npm skip install scripts
  // (a user setting or a future default), run that step explicitly rather than fail later
  if (installedNodeVersion() !== pinnedNode) {
    run('npm', ['rebuild', 'node', '--ignore-scripts=false', '--loglevel=error'], { cwd: runtimeDir, env: process.env })
  }

  if (installedNodeVersion() !== pinnedNode) {
    console.error(`bootstrap: Node ${pinnedNode} did not install into .runtime/node_modules; see the npm output above`)
    process.exit(1)
  }
}

// The legacy JS libp2p 0.29 peer that the interop tests start as a separate process: its own npm
// tree (not a workspace package), installed with the machine's npm when missing or stale.
// npm writes node_modules/.package-lock.json last, so its age is that of a complete install.
// --ignore-scripts: nothing there needs to compile (secp256k1 loads a prebuild or falls back
// to JS; the RSA helper ursa-optional is optional and would be built for this Node's ABI only).
const legacyDir = join(repoRoot, 'packages', 'interop', 'legacy')
function mtime (path) {
  return existsSync(path) ? statSync(path).mtimeMs : undefined
}
const legacyInstalled = mtime(join(legacyDir, 'node_modules', '.package-lock.json'))
if (legacyInstalled === undefined || legacyInstalled < (mtime(join(legacyDir, 'package-lock.json')) ?? 0)) {
  console.error('bootstrap: installing the legacy libp2p peer into packages/interop/legacy/')
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: legacyDir, env: process.env })
}

run(join(binDir, 'pnpm'), ['install', '--frozen-lockfile', '--reporter=silent'], { cwd: repoRoot })
run(join(binDir, 'pnpm'), ['run', '--silent', 'build'], { cwd: repoRoot })
