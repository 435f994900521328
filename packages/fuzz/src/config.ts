/**
 * What a fuzz run is told through the environment, so any run can be repeated
 * from the line it printed:
 *
 * - `FUZZ_SEED`: the seed of every target (default: a fresh one, printed);
 * - `FUZZ_RUNS`: cases per target, overriding the profile's count;
 * - `FUZZ_PATH`: fast-check's path to one failing case (printed with it);
 * - `FUZZ_PROFILE`: `test` (bounded, for `npm test`) or `full` (`pnpm fuzz`);
 * - `FUZZ_FIGURES`: a file each target appends its figures to, as one JSON line.
 */
export type FuzzProfile = 'test' | 'full'

export interface FuzzConfig {
  seed: number
  /** Set only when FUZZ_RUNS is. */
  runs?: number
  path?: string
  profile: FuzzProfile
  figures?: string
}

let config: FuzzConfig | undefined

export function fuzzConfig (env: NodeJS.ProcessEnv = process.env): FuzzConfig {
  if (env === process.env && config != null) return config

  const seed = env.FUZZ_SEED == null || env.FUZZ_SEED === '' ? freshSeed() : integer('FUZZ_SEED', env.FUZZ_SEED)
  const runs = env.FUZZ_RUNS == null || env.FUZZ_RUNS === '' ? undefined : integer('FUZZ_RUNS', env.FUZZ_RUNS)
  const profile = env.FUZZ_PROFILE ?? 'test'

  if (profile !== 'test' && profile !== 'full') {
    throw new RangeError(`FUZZ_PROFILE must be "test" or "full", not "${profile}"`)
  }

  if (runs != null && runs < 1) {
    throw new RangeError(`FUZZ_RUNS must be at least 1, not ${runs}`)
  }

  const result: FuzzConfig = { seed, runs, path: env.FUZZ_PATH === '' ? undefined : env.FUZZ_PATH, profile, figures: env.FUZZ_FIGURES === '' ? undefined : env.FUZZ_FIGURES }
  if (env === process.env) config = result
  return result
}

function freshSeed (): number {
  // fast-check seeds are 32-bit signed integers
  return (Math.random() * 0x1_0000_0000) | 0
}

function integer (name: string, value: string): number {
  const parsed = Number(value)

  if (!Number.isSafeInteger(parsed)) {
    throw new RangeError(`${name} must be an integer, not "${value}"`)
  }

  return parsed
}

/** A fuzz suite's mocha timeout: `testMs` in the test profile; none in the full run, which is as long as its cases. */
export function suiteTimeout (testMs: number): number {
  return fuzzConfig().profile === 'full' ? 0 : testMs
}
