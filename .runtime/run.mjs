// Runs a command with the pinned Node and pnpm first on PATH, so every `node` it starts is >= 22.
import { spawnSync } from 'node:child_process'
import { repoRoot, runtimeEnv } from './paths.mjs'

const [command, ...args] = process.argv.slice(2)
const result = spawnSync(command, args, { stdio: 'inherit', cwd: repoRoot, env: runtimeEnv() })
process.exit(result.status ?? 1)
