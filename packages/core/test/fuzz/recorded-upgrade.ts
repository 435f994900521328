/**
 * Real upgrades, recorded, for the fuzzer to damage: the raw bytes each side
 * writes (multistream-select for the crypto channel, then SECIO) and the
 * plaintext the dialer writes into its secured connection (multistream-select
 * for the muxer, then yamux or mplex opening an echo stream and using it).
 */
import { yamux } from '@chainsafe/libp2p-yamux'
import { mplex } from '@libp2p/mplex'
import { secio } from '@uplink/secio'
import { pEvent } from 'p-event'
import { createUpgrader } from '../../src/index.js'
import { ECHO, echoHandler } from '../fixtures/echo.js'
import { muxerFrames } from './muxer-frames.js'
import { rawPair } from '../fixtures/raw-pair.js'
import type { EncrypterModule, MuxerModule, UplinkUpgrader } from '../../src/index.js'
import type { FrameSpan } from './muxer-frames.js'
import type { Identity } from '../fixtures/raw-pair.js'
import type { ConnectionEncrypter, MessageStream } from '@libp2p/interface'

export interface RecordedUpgrade {
  /** The multistream-select bytes each side wrote before the crypto handshake. */
  dialerSelect: Uint8Array
  listenerSelect: Uint8Array
  /** What the dialer wrote into its secured connection, in order. */
  securedPlaintext: Uint8Array
  /** The muxer's frames in it, after its multistream-select messages. */
  muxerFrames: FrameSpan[]
}

/** Inbound limits out of the way: a fuzz run opens thousands of connections from one host. */
export const UNLIMITED_INBOUND = { maxPending: 1_000_000, maxPendingPerHost: 1_000_000, maxPerHostPerSecond: 1_000_000 }

export type FuzzMuxer = 'yamux' | 'mplex'

const MUXERS: Record<FuzzMuxer, () => MuxerModule> = {
  // without keep-alive pings: a replayed session would otherwise answer pings nobody sent now
  yamux: () => yamux({ enableKeepAlive: false }) as MuxerModule,
  // as the tutorial builds it, its new-stream rate limit included
  mplex: () => mplex() as MuxerModule
}

export interface FuzzUpgraderInit {
  encrypter?: EncrypterModule
  muxer?: FuzzMuxer
  /** Each echo stream's end, as its `close` event tells it: the error, or undefined for a clean end. */
  streamEnds?: Array<Promise<Error | undefined>>
}

/** An upgrader with one encrypter (SECIO) and one muxer (yamux), serving the echo protocol. */
export function fuzzUpgrader (id: Identity, init: FuzzUpgraderInit = {}): UplinkUpgrader {
  const upgrader = createUpgrader({ privateKey: id.privateKey, connectionEncrypters: [init.encrypter ?? secio() as EncrypterModule], streamMuxers: [MUXERS[init.muxer ?? 'yamux']()], upgradeTimeout: 10_000, inboundUpgradeLimits: UNLIMITED_INBOUND })
  upgrader.handle(ECHO, async (stream) => {
    init.streamEnds?.push(stream.status !== 'open'
      ? Promise.resolve(undefined)
      : new Promise(resolve => { stream.addEventListener('close', (evt) => { resolve(evt.error) }, { once: true }) }))
    await echoHandler(stream)
  })
  return upgrader
}

function recordSends (stream: MessageStream, into: Uint8Array[]): void {
  const send = stream.send.bind(stream)
  stream.send = (data) => {
    into.push(Uint8Array.from(data.subarray()))
    return send(data)
  }
}

/** The multistream-select messages at the start of `bytes`: varint-prefixed lines, up to the first thing that is not one. */
export function leadingSelectMessages (bytes: Uint8Array): Uint8Array {
  let offset = 0

  while (offset < bytes.byteLength) {
    const length = bytes[offset] ?? 0
    if (length >= 0x80 || length === 0 || offset + 1 + length > bytes.byteLength || bytes[offset + length] !== 0x0a) break
    offset += 1 + length
  }

  return bytes.slice(0, offset)
}

/** `streams` echo streams, one after the other, each opened, used and closed. */
export async function recordUpgrade (dialerId: Identity, listenerId: Identity, muxer: FuzzMuxer = 'yamux', streams = 1): Promise<RecordedUpgrade> {
  const plaintext: Uint8Array[] = []
  const recordingSecio: EncrypterModule = (components) => {
    const inner = secio()(components as any) as ConnectionEncrypter
    return {
      protocol: inner.protocol,
      secureInbound: async (connection, options) => inner.secureInbound(connection, options),
      secureOutbound: async (connection, options) => {
        const result = await inner.secureOutbound(connection, options)
        recordSends(result.connection, plaintext)
        return result
      }
    }
  }
  const dialer = fuzzUpgrader(dialerId, { encrypter: recordingSecio, muxer })
  const listener = fuzzUpgrader(listenerId, { muxer })
  const { outbound, inbound } = rawPair(listenerId.peerId)
  const sentByDialer: Uint8Array[] = []
  const sentByListener: Uint8Array[] = []
  recordSends(outbound, sentByDialer)
  recordSends(inbound, sentByListener)

  const opened = pEvent(listener, 'connection:open')
  const [connection] = await Promise.all([dialer.upgradeOutbound(outbound, { signal: AbortSignal.timeout(10_000) }), listener.upgradeInbound(inbound, { signal: AbortSignal.timeout(10_000) })])
  await opened
  for (let i = 0; i < streams; i++) {
    const stream = await connection.newStream(ECHO)
    stream.send(new TextEncoder().encode(`message ${i}, which the echo handler sends back`))
    await stream.close()
    for await (const _ of stream) { /* the echo */ }
  }
  await connection.close()

  const securedPlaintext = Buffer.concat(plaintext)
  return {
    dialerSelect: leadingSelectMessages(Buffer.concat(sentByDialer)),
    listenerSelect: leadingSelectMessages(Buffer.concat(sentByListener)),
    securedPlaintext,
    muxerFrames: muxerFrames(muxer, securedPlaintext, leadingSelectMessages(securedPlaintext).byteLength)
  }
}
