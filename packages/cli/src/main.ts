import { dial } from './commands/dial.js'
import { key } from './commands/key.js'
import { listen } from './commands/listen.js'
import { ping } from './commands/ping.js'
import { UsageError } from './errors.js'
import { EXIT } from './exit-codes.js'
import { Output, processIo } from './output.js'
import { USAGE } from './usage.js'
import type { Io } from './output.js'

/**
 * Runs one `uplink` command line and resolves with its exit code. `signal`
 * stops a running verb (the binary aborts it on SIGINT/SIGTERM).
 */
export async function main (argv: string[], signal: AbortSignal, io: Io = processIo): Promise<number> {
  const [verb, ...args] = argv
  const makeOutput = (json: boolean): Output => new Output(io, json)

  if (verb == null || verb === 'help' || verb === '--help' || verb === '-h' || args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE)
    return verb == null ? EXIT.USAGE : EXIT.OK
  }

  try {
    switch (verb) {
      case 'listen': return await listen(args, makeOutput, signal)
      case 'dial': return await dial(args, makeOutput, signal)
      case 'ping': return await ping(args, makeOutput, signal)
      case 'key': return await key(args, makeOutput)
      default: throw new UsageError(`unknown command "${verb}"; try uplink --help`)
    }
  } catch (err: any) {
    if (err instanceof UsageError) {
      io.stderr(`uplink: ${err.message}\n`)
      return EXIT.USAGE
    }

    if (signal.aborted) {
      return EXIT.INTERRUPTED
    }

    makeOutput(argv.includes('--json')).failure({}, err)
    return EXIT.FAILED
  }
}
