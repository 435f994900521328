// Positional numeric arguments of a benchmark script, as `pnpm run <script> -- 64 2` passes them:
// pnpm (unlike npm) hands the `--` itself to the script, so it is skipped here.

/** One positional argument: its name in the usage line and the value used when it is left out. */
export interface Argument {
  name: string
  default: number
}

/**
 * The positive integers given on the command line, in order, each defaulting
 * when left out. Anything else exits with the usage line instead of running a
 * benchmark on NaN.
 */
export function positionalNumbers (argv: string[], script: string, args: Argument[]): number[] {
  const given = argv[0] === '--' ? argv.slice(1) : argv
  const usage = `usage: ${script} ${args.map(arg => `[${arg.name}, default ${arg.default}]`).join(' ')}`

  if (given.length > args.length) {
    fail(`${script}: ${given.length} arguments given, at most ${args.length} are taken\n${usage}`)
  }

  return args.map((arg, index) => {
    const text = given[index]
    if (text === undefined) return arg.default

    const value = Number(text)
    if (!Number.isInteger(value) || value <= 0) {
      fail(`${script}: ${arg.name} must be a positive integer, got ${JSON.stringify(text)}\n${usage}`)
    }

    return value
  })
}

function fail (message: string): never {
  console.error(message)
  process.exit(2)
}
