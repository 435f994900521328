/**
 * `pnpm fuzz` (`npm run fuzz` at the root): every `fuzz-*.spec.js` of the
 * built packages, in one mocha run with the full profile (100,000+ cases),
 * then their figures written into docs/RELIABILITY.md between the fuzzing
 * markers. Options:
 *
 * - `--seed N`: the seed of every target (default: a fresh one);
 * - `--runs N`: cases per target instead of the full profile's;
 * - `--print`: print the figures instead of writing the doc.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFigures } from './figures.js'
import { renderFigures } from './render-figures.js'
import { writeRegion } from './reliability-doc.js'

const USAGE = 'usage: npm run fuzz [-- --seed N] [--runs N] [--print]'

function repoRoot (): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
  }
  throw new Error('not inside the Uplink repository')
}

function parse (args: string[]): { seed?: number, runs?: number, print: boolean } {
  const options: { seed?: number, runs?: number, print: boolean } = { print: false }

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const value = (): number => {
      const parsed = Number(args[++i])
      if (!Number.isSafeInteger(parsed)) throw new RangeError(`${arg} takes an integer\n${USAGE}`)
      return parsed
    }

    if (arg === '--seed') options.seed = value()
    else if (arg === '--runs') options.runs = value()
    else if (arg === '--print') options.print = true
    else throw new RangeError(`unknown option ${String(arg)}\n${USAGE}`)
  }

  return options
}

/** The compiled fuzz specs of every package, in a stable order. */
function fuzzSpecs (root: string): string[] {
  const specs: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/^fuzz-.*\.spec\.js$/.test(name)) specs.push(relative(root, path))
    }
  }

  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const tests = join(root, 'packages', pkg, 'dist', 'test')
    if (existsSync(tests)) walk(tests)
  }

  return specs
}

function main (): number {
  const options = parse(process.argv.slice(2))
  const root = repoRoot()
  const specs = fuzzSpecs(root)
  if (specs.length === 0) throw new Error('no compiled fuzz-*.spec.js: build first (node .runtime/run.mjs pnpm exec tsc -b)')

  const seed = options.seed ?? ((Math.random() * 0x1_0000_0000) | 0)
  const scratch = mkdtempSync(join(tmpdir(), 'uplink-fuzz-'))
  const figuresFile = join(scratch, 'figures.jsonl')
  const started = Date.now()

  try {
    const env = { ...process.env, FUZZ_PROFILE: 'full', FUZZ_SEED: String(seed), FUZZ_FIGURES: figuresFile, FUZZ_RUNS: options.runs == null ? '' : String(options.runs) }
    const mocha = spawnSync(join(root, 'node_modules', '.bin', 'mocha'), ['--no-config', '--timeout', '0', '--exit', ...specs], { cwd: root, env, stdio: 'inherit' })

    if (mocha.status !== 0) {
      console.error(`fuzz: a target failed (mocha exit ${String(mocha.status ?? mocha.signal)}); repeat it with the FUZZ_SEED and FUZZ_RUNS it printed. Nothing written.`)
      return 1
    }

    const figures = readFigures(figuresFile)
    const region = renderFigures({ seed, ms: Date.now() - started, figures, command: options.runs == null ? 'npm run fuzz' : `npm run fuzz -- --runs ${options.runs}` })
    const total = figures.reduce((sum, f) => sum + f.cases, 0)

    if (options.print) {
      console.log(region)
    } else {
      writeRegion(join(root, 'docs', 'RELIABILITY.md'), region)
      console.log('fuzz: figures written to docs/RELIABILITY.md')
    }

    console.log(`fuzz: ${total} cases in all, seed ${seed}`)
    return 0
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

process.exitCode = main()
