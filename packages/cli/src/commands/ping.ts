import { setTimeout as sleep } from 'node:timers/promises'
import { connectionFlags, CONNECTION_OPTIONS, integer, parse } from '../args.js'
import { EXIT } from '../exit-codes.js'
import { loadIdentity } from '../identity.js'
import { ms } from '../output.js'
import { byteStream, PING, PING_LENGTH, pingOnce } from '../protocols.js'
import { createSession } from '../session.js'
import { summarize } from '../summary.js'
import { connect, parseTarget, StageFailure } from './connect.js'
import { exitFor } from './dial.js'
import type { Output } from '../output.js'
import type { Session } from '../session.js'
import type { Connection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export const PING_OPTIONS = {
  ...CONNECTION_OPTIONS,
  count: { type: 'string', short: 'c' },
  interval: { type: 'string' },
  connect: { type: 'boolean', default: false }
} as const

export const DEFAULT_COUNT = 5
export const DEFAULT_INTERVAL = 1000

/**
 * `uplink ping <multiaddr>`: `-c N` libp2p pings over one connection, or with
 * `--connect` N full connection setups (dial, upgrade, close), one line each,
 * then min/avg/p99.
 */
export async function ping (args: string[], makeOutput: (json: boolean) => Output, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, PING_OPTIONS, 1)
  const flags = connectionFlags(values)
  const count = values.count == null ? DEFAULT_COUNT : integer('count', values.count, 1)
  const interval = values.interval == null ? DEFAULT_INTERVAL : integer('interval', values.interval)
  const { addr, expected } = parseTarget(positionals[0])
  const out = makeOutput(flags.json)
  const identity = await loadIdentity(flags.key)
  const session = createSession({ identity, ...flags, plaintextForm: flags.legacy ? 'legacy-js' : 'spec' })
  const what = values.connect === true ? 'connection setups' : `pings (${PING})`
  out.emit('ping', { address: addr.toString(), count, mode: values.connect === true ? 'connect' : 'ping' }, `PING ${addr.toString()}: ${count} ${what}`)

  const times: number[] = []
  const rounds = values.connect === true
    ? setups(session, out, addr, expected, signal, flags.legacy)
    : pings(session, out, addr, expected, signal, flags.timeout, flags.legacy)

  try {
    for (let seq = 1; seq <= count; seq++) {
      if (seq > 1 && interval > 0) await sleep(interval, undefined, { signal })
      const { value } = await rounds.next()
      if (value == null) break
      times.push(value.ms)
      out.emit('reply', { seq, ms: round(value.ms), remotePeer: value.remotePeer },
        values.connect === true
          ? `connected to ${value.remotePeer}: seq=${seq} time=${ms(value.ms)} ms`
          : `${PING_LENGTH} bytes from ${value.remotePeer}: seq=${seq} time=${ms(value.ms)} ms`)
    }
  } catch (err) {
    if (err instanceof StageFailure) return exitFor(err)
    if (signal.aborted) return EXIT.INTERRUPTED
    throw err
  } finally {
    await rounds.return(undefined)
    const stats = summarize(times)
    out.emit('summary', { sent: count, received: times.length, ...stats },
      `--- ${addr.toString()} ---\n${times.length} of ${count} ${what} succeeded` +
      (stats.min == null ? '' : `, min/avg/p99 = ${ms(stats.min)}/${ms(stats.avg ?? 0)}/${ms(stats.p99 ?? 0)} ms`))
  }

  return EXIT.OK
}

interface Round { ms: number, remotePeer: string }

/** Pings over one connection and one ping stream, as libp2p's ping service does. */
async function * pings (session: Session, out: Output, addr: Multiaddr, expected: PeerId | undefined, signal: AbortSignal, timeout: number, legacy: boolean): AsyncGenerator<Round> {
  const { connection } = await connect(session, out, addr, expected, { signal, quiet: true, legacy })

  try {
    let stream

    try {
      stream = byteStream(await connection.newStream(PING, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]) }))
    } catch (err) {
      out.failure({ stage: 'stream', protocol: PING }, err)
      throw new StageFailure('stream', err)
    }

    for (;;) {
      try {
        yield { ms: await pingOnce(stream, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]) }), remotePeer: connection.remotePeer.toString() }
      } catch (err) {
        if (signal.aborted) throw err
        out.failure({ stage: 'stream', protocol: PING }, err)
        throw new StageFailure('stream', err)
      }
    }
  } finally {
    await closeQuietly(connection)
  }
}

/** Full connection setups: dial, every upgrade stage, close. */
async function * setups (session: Session, out: Output, addr: Multiaddr, expected: PeerId | undefined, signal: AbortSignal, legacy: boolean): AsyncGenerator<Round> {
  for (;;) {
    const started = performance.now()
    const { connection } = await connect(session, out, addr, expected, { signal, quiet: true, legacy })
    const took = performance.now() - started
    await closeQuietly(connection)
    yield { ms: took, remotePeer: connection.remotePeer.toString() }
  }
}

async function closeQuietly (connection: Connection): Promise<void> {
  await connection.close().catch(err => { connection.abort(err) })
}

function round (value: number): number {
  return Math.round(value * 1000) / 1000
}
