import { multiaddr } from '@multiformats/multiaddr'
import { CODE_P2P } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { StageReport } from '../stage-report.js'
import { UsageError } from '../errors.js'
import type { Stage } from '../exit-codes.js'
import type { Output } from '../output.js'
import type { Session } from '../session.js'
import type { Connection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A failure placed at the stage it happened in. */
export class StageFailure extends Error {
  static override name = 'StageFailure'

  constructor (readonly stage: Stage, cause: unknown) {
    super(`failed at ${stage}`, { cause })
    this.name = 'StageFailure'
  }
}

export function parseTarget (value: string | undefined): { addr: Multiaddr, expected?: PeerId } {
  if (value == null) {
    throw new UsageError('a multiaddr to dial is needed, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…')
  }

  try {
    const addr = multiaddr(value)
    const id = addr.getComponents().findLast(c => c.code === CODE_P2P)?.value
    return { addr, expected: id == null ? undefined : peerIdFromString(id) }
  } catch (err: any) {
    throw new UsageError(`not a multiaddr: ${value} (${err.message})`)
  }
}

export interface ConnectOptions {
  /** Print every stage (dial), or only failures (ping's repeated setups). */
  quiet?: boolean
  /** `--legacy` was given (so no hint to give it). */
  legacy?: boolean
  signal: AbortSignal
}

/**
 * Dials `addr` with the transport that can, printing each stage from the
 * transport's and the upgrader's progress events. A failure is printed (stage,
 * error, causes) and thrown as a `StageFailure`.
 */
export async function connect (session: Session, out: Output, addr: Multiaddr, expected: PeerId | undefined, options: ConnectOptions): Promise<{ connection: Connection, report: StageReport }> {
  const report = new StageReport(out, addr.decapsulateCode(CODE_P2P).toString(), { expected, quiet: options.quiet, legacy: options.legacy })

  if (options.quiet !== true) {
    out.emit('dial', { address: addr.toString(), expected: expected?.toString() ?? null },
      `dialing ${addr.toString()}${expected == null ? ' (no /p2p/ id: the remote\'s identity will not be verified)' : ''}`)
  }

  try {
    const transport = session.transportFor(addr, 'dial')
    const connection = await transport.dial(addr, { upgrader: session.upgrader, signal: options.signal, onProgress: report.onProgress })
    return { connection, report }
  } catch (err: any) {
    const stage: Stage = typeof err?.stage === 'string' ? err.stage : report.current
    report.fail(stage, err)
    throw new StageFailure(stage, err)
  }
}
