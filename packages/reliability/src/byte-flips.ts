// Each byte of a recorded handshake flipped, one connection per byte, in both directions: the
// multistream-select messages, Propose, Exchange, nonce frame and the first data frame (the muxer's
// negotiation). Every flip must fail the upgrade with a named error at the stage that byte belongs to,
// never produce a connection.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { within } from '@uplink/fuzz/hang-guard'
import { dial, startListener, upgraderFor } from './endpoints.js'
import { faultProxy } from './fault-proxy.js'
import { SecioFrameSplitter } from './frame-splitter.js'
import { causeNames, count } from './outcome.js'
import { pool } from './pool.js'
import { transfer } from './transfer.js'
import type { MuxerName } from './endpoints.js'
import type { Direction } from './fault-proxy.js'
import type { Tally } from './outcome.js'
import type { PrivateKey } from '@libp2p/interface'

export type Region = 'multistream-select' | 'Propose' | 'Exchange' | 'nonce frame' | 'first data frame'
const REGIONS: Region[] = ['Propose', 'Exchange', 'nonce frame', 'first data frame']

/** The upgrade stage a flipped byte of each region must fail. */
export const EXPECTED_STAGE: Record<Region, string> = {
  'multistream-select': 'negotiate-crypto',
  Propose: 'handshake',
  Exchange: 'handshake',
  'nonce frame': 'handshake',
  'first data frame': 'negotiate-muxer'
}

const FLIP_TIMEOUT = 1_500

export interface Span { region: Region, start: number, end: number }

/** Where each unit of a recorded direction starts and ends. */
export function layout (bytes: Buffer): Span[] {
  const spans: Span[] = []
  let offset = 0
  for (const piece of new SecioFrameSplitter().push(bytes)) {
    const region = piece.frame < 0 ? 'multistream-select' : REGIONS[piece.frame]
    if (region == null) break
    const last = spans[spans.length - 1]
    if (last?.region === region) last.end += piece.bytes.byteLength
    else spans.push({ region, start: offset, end: offset + piece.bytes.byteLength })
    offset += piece.bytes.byteLength
  }
  return spans
}

export interface FlipResult {
  direction: Direction
  region: Region
  offset: number
  /** the upgrade error's stage on each side, when it had one */
  dialerStage?: string
  listenerStage?: string
  dialerCauses: string[]
  listenerCauses: string[]
  /** a connection came up anyway and carried data intact: the flipped byte did not matter */
  connected: boolean
  /** a connection came up and carried data wrong, or an error without a name: must never happen */
  wrong: boolean
}

async function flipOne (muxer: MuxerName, keys: { listener: PrivateKey, dialer: PrivateKey }, direction: Direction, span: Span, offset: number): Promise<FlipResult> {
  const options = { muxer, upgradeTimeout: FLIP_TIMEOUT, inactivityTimeout: FLIP_TIMEOUT }
  const listener = await startListener({ ...options, privateKey: keys.listener })
  const proxy = await faultProxy({ host: listener.host, port: listener.port }, { kind: 'corrupt', direction, at: offset })
  const dialer = upgraderFor(keys.dialer, options)
  const result: FlipResult = { direction, region: span.region, offset, dialerCauses: [], listenerCauses: [], connected: false, wrong: false }

  try {
    const connection = await within(20_000, dial(dialer, listener.addr, { signal: AbortSignal.timeout(20_000), port: proxy.port, inactivityTimeout: FLIP_TIMEOUT }), 'dial')
    result.connected = true
    const moved = await transfer(connection, { streams: 1, messages: 10, maxMessage: 64 }, AbortSignal.timeout(20_000))
    result.wrong = moved.outcome.kind !== 'intact' && moved.outcome.kind !== 'named-error'
    connection.abort(new Error('flip case over'))
  } catch (err) {
    result.dialerStage = (err as { stage?: string }).stage
    result.dialerCauses = causeNames(err)
    result.wrong = result.dialerCauses[0] == null || result.dialerCauses[0] === 'Error'
  }

  const [inbound] = await Promise.all(listener.inbound)
  result.listenerStage = (inbound?.error as { stage?: string } | undefined)?.stage
  result.listenerCauses = causeNames(inbound?.error)
  await listener.close()
  await proxy.close()
  return result
}

export interface FlipReport {
  /** bytes of each region per direction, from the recording */
  layout: Record<Direction, Span[]>
  flips: number
  /** per direction and region: "stage: outermost ← innermost" on the side that detected it */
  tallies: Record<string, Tally>
  /** flips whose failure was at another stage than their region's (on both sides), or unnamed, or that connected wrongly */
  misplaced: FlipResult[]
  /** flips that still produced a working connection (expected only where a byte is not covered by anything) */
  connected: FlipResult[]
  results: FlipResult[]
}

/** `step` 1 flips every byte; a larger step samples every step-th byte (plus each region's first and last). */
export async function runByteFlips (muxer: MuxerName, step: number, concurrency: number): Promise<FlipReport> {
  const keys = { listener: await generateKeyPair('Ed25519'), dialer: await generateKeyPair('Ed25519') }
  const recording = await recordHandshake(muxer, keys)
  const jobs: Array<() => Promise<FlipResult>> = []

  for (const direction of ['toListener', 'toDialer'] as const) {
    for (const span of recording[direction]) {
      for (let offset = span.start; offset < span.end; offset++) {
        if ((offset - span.start) % step !== 0 && offset !== span.end - 1) continue
        jobs.push(async () => flipOne(muxer, keys, direction, span, offset))
      }
    }
  }

  const results = await pool(jobs, concurrency)
  const tallies: Record<string, Tally> = {}
  for (const r of results) {
    const key = `${r.direction} ${r.region}`
    tallies[key] ??= {}
    count(tallies[key], r.connected ? 'connected' : detection(r))
  }

  return {
    layout: recording,
    flips: results.length,
    tallies,
    misplaced: results.filter(r => r.wrong || (!r.connected && r.dialerStage !== EXPECTED_STAGE[r.region] && r.listenerStage !== EXPECTED_STAGE[r.region])),
    connected: results.filter(r => r.connected),
    results
  }
}

/** The side that saw the real reason: the one whose innermost cause is not just the other side hanging up. */
function detection (r: FlipResult): string {
  const hungUp = new Set(['UnexpectedEOFError', 'StreamResetError', 'ConnectionClosedError'])
  const side = (stage: string | undefined, causes: string[]): string => `${stage ?? '-'}: ${causes[0] ?? '-'} ← ${causes[causes.length - 1] ?? '-'}`
  const dialerInner = r.dialerCauses[r.dialerCauses.length - 1]
  if (dialerInner != null && !hungUp.has(dialerInner)) return `dialer ${side(r.dialerStage, r.dialerCauses)}`
  return `listener ${side(r.listenerStage, r.listenerCauses)}`
}

async function recordHandshake (muxer: MuxerName, keys: { listener: PrivateKey, dialer: PrivateKey }): Promise<Record<Direction, Span[]>> {
  const listener = await startListener({ muxer, privateKey: keys.listener })
  const proxy = await faultProxy({ host: listener.host, port: listener.port }, { kind: 'none' }, { record: true })
  const connection = await dial(upgraderFor(keys.dialer, { muxer }), listener.addr, { signal: AbortSignal.timeout(10_000), port: proxy.port })
  await transfer(connection, { streams: 1, messages: 1, maxMessage: 1 }, AbortSignal.timeout(10_000))
  await connection.close()
  await listener.close()
  await proxy.close()
  return { toListener: layout(proxy.recorded('toListener')), toDialer: layout(proxy.recorded('toDialer')) }
}
