import { connectionFlags, CONNECTION_OPTIONS, integer, parse } from '../args.js'
import { EXIT, exitCodeOf } from '../exit-codes.js'
import { loadIdentity } from '../identity.js'
import { ECHO, echoRoundTrip } from '../protocols.js'
import { createSession } from '../session.js'
import { ms } from '../output.js'
import { connect, parseTarget, StageFailure } from './connect.js'
import type { Output } from '../output.js'

export const DIAL_OPTIONS = { ...CONNECTION_OPTIONS, echo: { type: 'string' } } as const

/** `uplink dial <multiaddr>`: one connection, every stage printed, optionally an echo over it. */
export async function dial (args: string[], makeOutput: (json: boolean) => Output, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, DIAL_OPTIONS, 1)
  const flags = connectionFlags(values)
  const echoBytes = values.echo == null ? undefined : integer('echo', values.echo)
  const { addr, expected } = parseTarget(positionals[0])
  const out = makeOutput(flags.json)
  const identity = await loadIdentity(flags.key)
  const session = createSession({ identity, ...flags, plaintextForm: flags.legacy ? 'legacy-js' : 'spec' })

  let connection
  let report

  try {
    ({ connection, report } = await connect(session, out, addr, expected, { signal, legacy: flags.legacy }))
  } catch (err) {
    if (err instanceof StageFailure) return exitFor(err)
    throw err
  }

  const setup = report.elapsed()
  out.emit('connected', { remotePeer: connection.remotePeer.toString(), encryption: connection.encryption, muxer: connection.multiplexer ?? null, ms: Math.round(setup * 10) / 10 },
    `connected to ${connection.remotePeer.toString()} with ${connection.encryption} and ${connection.multiplexer ?? 'no muxer'} in ${ms(setup)} ms`)

  try {
    if (echoBytes != null) {
      const started = performance.now()

      try {
        const stream = await connection.newStream(ECHO, { signal: AbortSignal.any([signal, AbortSignal.timeout(flags.timeout)]) })
        const result = await echoRoundTrip(stream, echoBytes, { signal })
        const took = performance.now() - started
        out.emit('echo', { ...result, ms: Math.round(took * 10) / 10 }, `echo ${ECHO}: sent ${result.sent} bytes, received the same ${result.received} in ${ms(took)} ms`)
      } catch (err) {
        out.failure({ stage: 'stream', protocol: ECHO }, err)
        return EXIT.STREAM
      }
    }

    return EXIT.OK
  } finally {
    await connection.close().catch(err => { connection.abort(err) })
  }
}

export function exitFor (failure: StageFailure): number {
  return exitCodeOf(failure.stage)
}
