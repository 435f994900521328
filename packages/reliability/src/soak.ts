// Connection churn for a while: dial, echo a little over a few streams (verified), close, again, several at
// a time. The heap (after a forced GC), open file descriptors and active resources are sampled as it runs;
// they must stay flat, and come back to where they started once the churn stops.
import { performance } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { dial, startListener, upgraderFor } from './endpoints.js'
import { count, errorOutcome, label } from './outcome.js'
import { activeResources, heapAfterGc, openFds, slope } from './resources.js'
import { transfer } from './transfer.js'
import type { MuxerName } from './endpoints.js'
import type { Tally } from './outcome.js'

export interface SoakShape {
  seconds: number
  concurrency: number
  streams: number
  messages: number
  maxMessage: number
  /** heap growth from the first to the last sample that still counts as flat */
  heapSlack: number
}

export const FULL_SOAK: SoakShape = { seconds: 180, concurrency: 8, streams: 3, messages: 50, maxMessage: 1_024, heapSlack: 8 * 1024 * 1024 }
export const QUICK_SOAK: SoakShape = { seconds: 5, concurrency: 4, streams: 3, messages: 50, maxMessage: 1_024, heapSlack: 8 * 1024 * 1024 }

export interface SoakReport {
  muxer: MuxerName
  seconds: number
  concurrency: number
  connections: number
  streamsPerConnection: number
  bytesPerStream: number
  outcomes: Tally
  /** the first unnamed errors' stacks (each one a defect to find) */
  unnamed: string[]
  /** the listener's failed inbound upgrades, by error */
  inboundFailures: Tally
  bytesLost: number
  heap: { baseline: number, last: number, slopePerMinute: number, samples: number[] }
  fds: { baseline: number, max: number, after: number }
  resources: { baseline: number, after: number }
  /** what was not flat: must be empty */
  leaks: string[]
}

/** An inbound failure's label, with the admission limit that refused it (`InboundUpgradeRefusedError.limit`) if any. */
function inboundFailureLabel (error: Error): string {
  const limit = (error as { limit?: string }).limit
  return limit == null ? label(errorOutcome(error)) : `${label(errorOutcome(error))} (${limit})`
}

export async function runSoak (shape: SoakShape, muxer: MuxerName): Promise<SoakReport> {
  /** how the listener's inbound upgrades failed (refusals by its admission limits included) */
  const inboundFailures: Tally = {}
  const listener = await startListener({
    muxer,
    privateKey: await generateKeyPair('Ed25519'),
    // a soak measures what churn leaves behind, not admission (the hostile part does): one host dialing 8 at a time
    // opens ≈ 60 connections a second, in bursts past the default 100 upgrades per host per second
    inboundUpgradeLimits: { maxPerHostPerSecond: 10_000 },
    onInbound: (outcome) => { void outcome.then(({ error }) => { if (error != null) count(inboundFailures, inboundFailureLabel(error)) }) }
  })
  const dialer = upgraderFor(await generateKeyPair('Ed25519'), { muxer })
  const outcomes: Tally = {}
  /** what an unnamed error said, for the report: each one is a defect to find */
  const unnamed: string[] = []
  let connections = 0
  let bytesLost = 0

  const oneConnection = async (): Promise<void> => {
    const signal = AbortSignal.timeout(60_000)
    try {
      const connection = await dial(dialer, listener.addr, { signal })
      const result = await transfer(connection, shape, signal)
      bytesLost += result.bytesSent - result.bytesVerified
      count(outcomes, label(result.outcome))
      await connection.close({ signal })
    } catch (err) {
      const outcome = errorOutcome(err)
      count(outcomes, label(outcome))
      if (outcome.kind === 'unnamed-error' && unnamed.length < 10) unnamed.push((err as Error).stack ?? outcome.message)
    }
    // the listener keeps every inbound outcome for runs that inspect them; a soak must not
    void listener.inbound.splice(0)
    connections++
  }

  // a first round warms up every code path, so the baseline is not the cost of loading modules
  await Promise.all(Array.from({ length: shape.concurrency }, oneConnection))
  await settle()
  const baseline = { heap: heapAfterGc(), fds: openFds(), resources: activeResources() }
  const started = performance.now()
  const times: number[] = []
  const heap: number[] = []
  let maxFds = baseline.fds
  const sampleEvery = Math.max(1_000, (shape.seconds * 1000) / 30)
  let nextSample = started + sampleEvery

  const worker = async (): Promise<void> => {
    while (performance.now() - started < shape.seconds * 1000) {
      await oneConnection()
      maxFds = Math.max(maxFds, openFds())
      if (performance.now() >= nextSample) {
        nextSample += sampleEvery
        times.push((performance.now() - started) / 60_000)
        heap.push(heapAfterGc())
      }
    }
  }
  await Promise.all(Array.from({ length: shape.concurrency }, worker))
  const seconds = (performance.now() - started) / 1000

  await settle()
  const after = { heap: heapAfterGc(), fds: openFds(), resources: activeResources() }
  times.push((performance.now() - started) / 60_000)
  heap.push(after.heap)
  await listener.close()

  const leaks: string[] = []
  if (after.fds > baseline.fds) leaks.push(`${after.fds - baseline.fds} file descriptors more than before`)
  if (after.resources > baseline.resources) leaks.push(`${after.resources - baseline.resources} active resources more than before`)
  if (after.heap > baseline.heap + shape.heapSlack) leaks.push(`heap ${((after.heap - baseline.heap) / 1024 / 1024).toFixed(1)} MiB above its baseline`)

  return {
    muxer,
    seconds,
    concurrency: shape.concurrency,
    connections,
    streamsPerConnection: shape.streams,
    bytesPerStream: Math.round(shape.messages * (shape.maxMessage + 1) / 2),
    outcomes,
    inboundFailures,
    unnamed,
    bytesLost,
    heap: { baseline: baseline.heap, last: after.heap, slopePerMinute: slope(times, heap), samples: heap },
    fds: { baseline: baseline.fds, max: maxFds, after: after.fds },
    resources: { baseline: baseline.resources, after: after.resources },
    leaks
  }
}

/** Lets closing sockets finish closing (a closed connection's socket is released on the next turns of the loop). */
async function settle (): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise(resolve => setTimeout(resolve, 10))
}
