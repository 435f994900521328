// Every fault × every muxer × both directions × offsets from the first handshake byte to deep in the
// data: one listener, one proxy and one dialer per case, one verified multi-stream transfer through it.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { within } from '@uplink/fuzz/hang-guard'
import { MUXERS, dial, startListener, upgraderFor } from './endpoints.js'
import { faultProxy } from './fault-proxy.js'
import { ACCEPTABLE, causeNames, count, errorOutcome, label } from './outcome.js'
import { pool } from './pool.js'
import { transfer } from './transfer.js'
import type { MuxerName } from './endpoints.js'
import type { Direction, Fault, FaultKind } from './fault-proxy.js'
import type { Outcome, Tally } from './outcome.js'
import type { TransferShape } from './transfer.js'
import type { PrivateKey } from '@libp2p/interface'

/** ms of silence before a socket gives up, and of a whole upgrade: short, so stalls end in seconds */
export const FAULT_TIMEOUT = 8_000
const HANG_GUARD = 30_000
const DIRECTIONS: Direction[] = ['toListener', 'toDialer']

export interface MatrixSize {
  /** byte offsets for stall / reset / corrupt / half-close */
  offsets: number[]
  /** SECIO frame numbers for the frame faults (3 is the first data frame) */
  frames: number[]
  shape: TransferShape
  concurrency: number
}

export const FULL_MATRIX: MatrixSize = {
  offsets: [0, 3, 20, 40, 80, 150, 250, 350, 450, 600, 1_000, 4_000, 20_000, 60_000, 100_000],
  frames: [3, 4, 5, 6, 8, 12, 20, 40],
  shape: { streams: 3, messages: 200, maxMessage: 512 },
  concurrency: 6
}

export const QUICK_MATRIX: MatrixSize = {
  offsets: [40, 20_000],
  frames: [3],
  shape: { streams: 3, messages: 100, maxMessage: 512 },
  concurrency: 8
}

export function faultCases (size: MatrixSize): Fault[] {
  const cases: Fault[] = [{ kind: 'none' }]
  for (const direction of DIRECTIONS) {
    cases.push({ kind: 'latency', direction, ms: 5 }, { kind: 'latency', direction, ms: 40 }, { kind: 'fragment', direction })
    for (const at of size.offsets) {
      for (const kind of ['stall', 'reset', 'corrupt', 'half-close'] as const) cases.push({ kind, direction, at })
    }
    for (const frame of size.frames) {
      for (const kind of ['frame-tamper', 'frame-replay', 'frame-reorder', 'frame-drop'] as const) cases.push({ kind, direction, frame })
    }
  }
  return cases
}

export interface CaseResult {
  fault: Fault
  muxer: MuxerName
  outcome: Outcome
  /** whether the fault was applied at all (an offset past the end of a short transfer is not) */
  fired: boolean
  /** error names the listener saw (upgrade and streams), for "who detected it" */
  listenerCauses: string[]
  bytesSent: number
  bytesVerified: number
}

export async function runCase (fault: Fault, muxer: MuxerName, shape: TransferShape, keys: { listener: PrivateKey, dialer: PrivateKey }): Promise<CaseResult> {
  const timeouts = { upgradeTimeout: FAULT_TIMEOUT, inactivityTimeout: FAULT_TIMEOUT }
  const listener = await startListener({ muxer, privateKey: keys.listener, ...timeouts })
  const proxy = await faultProxy({ host: listener.host, port: listener.port }, fault)
  const dialer = upgraderFor(keys.dialer, { muxer, ...timeouts })
  const signal = AbortSignal.timeout(HANG_GUARD)
  let result = { outcome: { kind: 'intact' } as Outcome, bytesSent: 0, bytesVerified: 0 }

  try {
    const connection = await within(HANG_GUARD, dial(dialer, listener.addr, { signal, port: proxy.port, inactivityTimeout: FAULT_TIMEOUT }), 'dial')
    try {
      result = await within(HANG_GUARD, transfer(connection, shape, signal), 'transfer')
    } finally {
      await connection.close({ signal: AbortSignal.timeout(5_000) }).catch(() => { connection.abort(new Error('closing')) })
    }
  } catch (err) {
    result.outcome = errorOutcome(err)
  }

  const inbound = await Promise.all(listener.inbound)
  await listener.close()
  await proxy.close()
  return {
    fault,
    muxer,
    outcome: result.outcome,
    fired: proxy.fired(),
    listenerCauses: [...inbound.flatMap(i => causeNames(i.error)), ...listener.streamErrors.flatMap(causeNames)],
    bytesSent: result.bytesSent,
    bytesVerified: result.bytesVerified
  }
}

export interface MatrixReport {
  cases: number
  /** outcome labels per fault kind */
  byFault: Record<FaultKind, Tally>
  /** cases that ended in neither `intact` nor a named error (a reordered or dropped frame's garbage aside) */
  unacceptable: CaseResult[]
  /**
   * Reordered or dropped SECIO frames whose garbage the muxer took as data: SECIO has no sequence number, so
   * nothing below the muxer can tell (docs/SECIO.md); counted apart, never as a pass.
   */
  beyondSecio: CaseResult[]
  /** faults that fired yet every byte came back intact (e.g. latency, fragments, a replayed empty frame) */
  intactAfterFault: number
  bytesSent: number
  bytesVerified: number
  /** bytes missing or wrong in transfers that did not end in a named error (must be 0) */
  bytesLost: number
  results: CaseResult[]
}

export async function runMatrix (size: MatrixSize, muxers: MuxerName[] = MUXERS): Promise<MatrixReport> {
  const keys = { listener: await generateKeyPair('Ed25519'), dialer: await generateKeyPair('Ed25519') }
  const jobs = muxers.flatMap(muxer => faultCases(size).map(fault => async () => runCase(fault, muxer, size.shape, keys)))
  const results = await pool(jobs, size.concurrency)
  const byFault = {} as Record<FaultKind, Tally>

  for (const result of results) {
    byFault[result.fault.kind] ??= {}
    count(byFault[result.fault.kind], result.fired ? label(result.outcome) : 'not reached (intact)')
  }

  const undetectable = (r: CaseResult): boolean => (r.fault.kind === 'frame-reorder' || r.fault.kind === 'frame-drop') && (r.outcome.kind === 'corrupt' || r.outcome.kind === 'silent-short')
  const unacceptable = results.filter(r => !ACCEPTABLE.has(r.outcome.kind) && !undetectable(r))

  return {
    cases: results.length,
    byFault,
    unacceptable,
    beyondSecio: results.filter(undetectable),
    intactAfterFault: results.filter(r => r.fired && r.fault.kind !== 'none' && r.outcome.kind === 'intact').length,
    bytesSent: results.reduce((sum, r) => sum + r.bytesSent, 0),
    bytesVerified: results.reduce((sum, r) => sum + r.bytesVerified, 0),
    bytesLost: unacceptable.reduce((sum, r) => sum + r.bytesSent - r.bytesVerified, 0),
    results
  }
}

export function describeFault (fault: Fault): string {
  if (fault.kind === 'none') return 'none'
  const where = 'at' in fault ? ` at byte ${fault.at}` : 'frame' in fault ? ` at frame ${fault.frame}` : 'ms' in fault ? ` ${fault.ms} ms` : ''
  return `${fault.kind} ${fault.direction}${where}`
}
