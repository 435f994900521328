// Attacks on a listener's resources over real sockets: many failed handshakes (is anything pinned after
// them?) and a flood of half-open sockets (are file descriptors bounded while an honest peer is served?).
import { connect } from 'node:net'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST } from '@uplink/core'
import { dial, startListener, upgraderFor } from './endpoints.js'
import { hostileClient } from './hostile.js'
import { causeNames, count } from './outcome.js'
import { pool } from './pool.js'
import { activeResourceKinds, heapAfterGc, openFds } from './resources.js'
import { transfer } from './transfer.js'
import type { Listener } from './endpoints.js'
import type { Tally } from './outcome.js'
import type { Socket } from 'node:net'

export interface FailedHandshakesReport {
  handshakes: number
  /** the listener's upgrade errors, innermost cause by name */
  errors: Tally
  /** after a forced GC: before, and at once after the last failure (no waiting for any timer) */
  heap: { baseline: number, after: number, growth: number }
  /**
   * Of the sockets the listener accepted and the upgrade errors it reported, how many are still reachable
   * after a forced GC at once after the last failure (counted through weak references): anything here is
   * state a failed handshake pinned
   */
  retained: { sockets: number, errors: number }
  fds: { baseline: number, after: number }
  /** Active resources; by kind, so a failure says what stayed. */
  resources: { baseline: number, after: number, kinds: { baseline: string[], after: string[] } }
  pendingAfter: number
}

/**
 * `total` dialers that select /secio/1.0.0 and send a Propose of random bytes. Measured after a forced GC at
 * once after the last one failed: heap, descriptors, timers, and the accepted sockets and upgrade errors
 * still reachable.
 */
export async function failedHandshakes (total: number, concurrency = 16): Promise<FailedHandshakesReport> {
  const accepted: Array<WeakRef<Socket>> = []
  let counting = false
  const listener = await startListener({
    muxer: 'yamux',
    inboundUpgradeLimits: { maxPending: 256, maxPendingPerHost: 256, maxPerHostPerSecond: 1_000_000 },
    onAccept: socket => { if (counting) accepted.push(new WeakRef(socket)) }
  })
  const privateKey = await generateKeyPair('Ed25519')
  const one = async (): Promise<void> => {
    const client = await hostileClient(listener)
    await client.selectSecio()
    await client.fake(privateKey).writeMessage(randomBytes(64))
    await client.closed
  }

  try {
    // warm-up: the first failures load code and fill caches that are not per-connection state
    await pool(Array.from({ length: 200 }, () => one), concurrency)
    await settleInbound(listener)
    const baseline = { heap: heapAfterGc(), fds: openFds(), resources: activeResourceKinds() }

    counting = true
    await pool(Array.from({ length: total }, () => one), concurrency)
    const { errors, errorRefs } = await settleInbound(listener)
    // not a wait for any timer: a new weak reference keeps its target alive until the current job ends; and
    // a socket destroyed in this turn of the event loop has closed its descriptor but stays listed as a
    // resource until the loop's close phase, which comes after the first immediate and before the second
    await new Promise(resolve => setImmediate(resolve))
    await new Promise(resolve => setImmediate(resolve))
    const after = { heap: heapAfterGc(), fds: openFds(), resources: activeResourceKinds() }
    const alive = <T extends object>(refs: Array<WeakRef<T>>): number => refs.filter(ref => ref.deref() != null).length
    return {
      handshakes: total,
      errors,
      heap: { baseline: baseline.heap, after: after.heap, growth: after.heap - baseline.heap },
      retained: { sockets: alive(accepted), errors: alive(errorRefs) },
      fds: { baseline: baseline.fds, after: after.fds },
      resources: { baseline: baseline.resources.length, after: after.resources.length, kinds: { baseline: baseline.resources, after: after.resources } },
      pendingAfter: listener.upgrader.pendingInboundUpgrades
    }
  } finally {
    await listener.close()
  }
}

/**
 * Waits for every inbound upgrade so far and tallies how each failed. A function of its own, so nothing of
 * the outcomes outlives it: an array of them in the measuring function's frame kept every error, with the
 * stack frames V8 keeps for it unformatted, reachable through the "at once" measurement (≈ 2 KiB a failed
 * handshake, gone only once that frame moved on, which looked like state held for a second).
 */
async function settleInbound (listener: Listener): Promise<{ errors: Tally, errorRefs: Array<WeakRef<Error>> }> {
  const errors: Tally = {}
  const errorRefs: Array<WeakRef<Error>> = []
  for (const outcome of await Promise.all(listener.inbound.splice(0))) {
    if (outcome.error != null) errorRefs.push(new WeakRef(outcome.error))
    count(errors, outcome.error == null ? 'connected' : deepestNamed(outcome.error))
  }
  return { errors, errorRefs }
}

/** The innermost cause with a name of its own (a decoder's RangeError says less than the InvalidProposeError around it). */
function deepestNamed (err: Error): string {
  const generic = new Set(['Error', 'RangeError', 'TypeError'])
  return causeNames(err).filter(name => !generic.has(name)).pop() ?? err.name
}

export interface HalfOpenReport {
  sockets: number
  /** closed by the listener at once, beyond its per-host limit */
  closedByListener: number
  /** file descriptors the listener's side held at the height of the flood (total open minus the flood's own) */
  listenerFds: number
  baselineFds: number
  pendingUpgrades: number
  honestServed: boolean
  fdsAfter: number
}

/** `total` silent sockets from 127.0.0.2 against default limits, then an honest dial and transfer meanwhile. */
export async function halfOpenFlood (total: number): Promise<HalfOpenReport> {
  const listener = await startListener({ muxer: 'yamux' })
  const baselineFds = openFds()
  const flood: Socket[] = []
  let closedByListener = 0

  try {
    let allClosed: () => void = () => {}
    const enoughClosed = new Promise<void>(resolve => { allClosed = resolve })
    for (let i = 0; i < total; i++) {
      const socket = connect({ port: listener.port, host: listener.host, localAddress: '127.0.0.2' })
      socket.on('error', () => {})
      socket.on('close', () => {
        if (++closedByListener >= total - DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST) allClosed()
      })
      flood.push(socket)
    }
    await enoughClosed
    const closedAtHeight = closedByListener
    const floodOpen = flood.filter(socket => !socket.destroyed).length
    const listenerFds = openFds() - baselineFds - floodOpen
    const pendingUpgrades = listener.upgrader.pendingInboundUpgrades

    const signal = AbortSignal.timeout(20_000)
    const connection = await dial(upgraderFor(await generateKeyPair('Ed25519'), { muxer: 'yamux' }), listener.addr, { signal })
    const result = await transfer(connection, { streams: 2, messages: 100, maxMessage: 512 }, signal)
    await connection.close()

    for (const socket of flood) socket.destroy()
    await new Promise(resolve => setTimeout(resolve, 200))
    return { sockets: total, closedByListener: closedAtHeight, listenerFds, baselineFds, pendingUpgrades, honestServed: result.outcome.kind === 'intact', fdsAfter: openFds() }
  } finally {
    for (const socket of flood) socket.destroy()
    await listener.close()
  }
}
