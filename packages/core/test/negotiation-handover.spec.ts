/**
 * What a peer sends straight after multistream-select agrees, and the
 * half-close that follows it, reach the next layer: the crypto channel after
 * the crypto negotiation, the muxer after the muxer negotiation, the handler
 * after an application stream's negotiation. Before, multistream-select put
 * the bytes it had read past the agreement back on a stream whose readable
 * side had already ended, which refuses them (`StreamStateError`): the
 * upgrade failed and the bytes were lost.
 *
 * Uplink's end is a muxed stream of an in-memory pair (one that can
 * half-close, as relayed and other stream-based transports give); the peer is
 * scripted byte by byte: multistream-select, a plaintext Exchange, mplex
 * frames opening one stream that carries its own negotiation and data.
 */
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { mplex } from '@libp2p/mplex'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { createUpgrader } from '../src/index.js'
import type { MuxerModule, UplinkConnection } from '../src/index.js'
import type { MessageStream, MultiaddrConnection, PrivateKey, Stream } from '@libp2p/interface'

const PROTOCOL = '/handed-over/1.0.0'
const MSS = '/multistream/1.0.0'
const PLAINTEXT = '/plaintext/2.0.0'
const MPLEX = '/mplex/6.7.0'
const DATA = new Uint8Array(3_000).map((_, i) => i % 251)

/** An unsigned varint. */
function varint (value: number): Uint8Array {
  const bytes: number[] = []
  while (value >= 0x80) { bytes.push((value & 0x7f) | 0x80); value >>>= 7 }
  bytes.push(value)
  return Uint8Array.from(bytes)
}

function prefixed (body: Uint8Array): Uint8Array {
  return Buffer.concat([varint(body.byteLength), body])
}

/** One multistream-select message per line. */
function select (...lines: string[]): Uint8Array {
  return Buffer.concat(lines.map(line => prefixed(new TextEncoder().encode(`${line}\n`))))
}

/** A /plaintext/2.0.0 Exchange (id = 1, pubkey = 2), length-prefixed. */
function exchange (key: PrivateKey): Uint8Array {
  const id = peerIdFromPrivateKey(key).toMultihash().bytes
  const pubkey = publicKeyToProtobuf(key.publicKey)
  return prefixed(Buffer.concat([Uint8Array.of(0x0a), prefixed(id), Uint8Array.of(0x12), prefixed(pubkey)]))
}

/** An mplex frame: header (stream id, type), length, body. */
function frame (id: number, type: 'new' | 'message' | 'close', body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const code = { new: 0, message: 2, close: 4 }[type]
  return Buffer.concat([varint(id << 3 | code), prefixed(body)])
}

/** The peer's muxer traffic: a stream opened, its negotiation and data in one message, its writable end closed. */
function muxedStream (): Uint8Array {
  return Buffer.concat([frame(7, 'new', new TextEncoder().encode('7')), frame(7, 'message', Buffer.concat([select(MSS, PROTOCOL), DATA])), frame(7, 'close')])
}

/** Counts what Uplink writes to the peer. */
function arrivals (stream: MessageStream): (length: number) => Promise<void> {
  let total = 0
  const waiting: Array<{ length: number, resolve(): void }> = []
  stream.addEventListener('message', (evt) => {
    total += evt.data.byteLength
    for (const wait of waiting.filter(w => w.length <= total)) wait.resolve()
  })

  return async (length) => {
    if (total >= length) return
    return new Promise(resolve => { waiting.push({ length, resolve }) })
  }
}

/** Fails a hung test by name rather than at mocha's timeout. */
async function within <T> (ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined

  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`${what} did not settle within ${ms} ms`)) }, ms)
    })])
  } finally {
    clearTimeout(timer)
  }
}

interface Handled {
  bytes: Uint8Array
  error?: Error
}

async function readToEnd (stream: Stream): Promise<Handled> {
  const read = new Uint8ArrayList()

  try {
    for await (const chunk of stream) read.append(chunk)
    return { bytes: read.subarray() }
  } catch (error: any) {
    return { bytes: read.subarray(), error }
  }
}

/** When the peer sends its last burst: its whole script before Uplink starts or once asked, or the muxer's part once the crypto channel is up. */
type Burst = 'first' | 'crypto' | 'muxer'

describe('bytes read past a multistream-select agreement survive the remote\'s half-close', function () {
  this.timeout(30_000)
  let uplinkKey: PrivateKey
  let peerKey: PrivateKey

  before(async () => {
    [uplinkKey, peerKey] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
  })

  const bursts: Record<Burst, string> = {
    first: 'the crypto channel\'s agreement, its Exchange, the muxer\'s agreement and a stream, all in one write before Uplink starts',
    crypto: 'the crypto channel\'s agreement, its Exchange, the muxer\'s agreement and a stream, all in one write',
    muxer: 'the muxer\'s agreement and a stream in one write once the crypto channel is up'
  }

  for (const role of ['answer', 'propose'] as const) {
    for (const [burst, what] of Object.entries(bursts) as Array<[Burst, string]>) {
      it(`Uplink as the ${role === 'answer' ? 'answerer (handle)' : 'proposer (select)'}: a peer that sends ${what}, then half-closes, is upgraded and its stream read whole, then ended cleanly`, async () => {
        const [uplinkEnd, peerEnd] = await streamPair()
        const raw = Object.assign(uplinkEnd, { remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/4001') }) as unknown as MultiaddrConnection
        const received = arrivals(peerEnd)
        // the answerer's agreement and the proposer's proposal are the same two lines
        const cryptoAgreement = select(MSS, PLAINTEXT)
        const muxerAgreement = select(MSS, MPLEX)
        const everything = Buffer.concat([cryptoAgreement, exchange(peerKey), muxerAgreement, muxedStream()])

        if (burst === 'first') {
          const ended = new Promise(resolve => { uplinkEnd.addEventListener('remoteCloseWrite', resolve, { once: true }) })
          peerEnd.send(everything)
          await peerEnd.close()
          await within(10_000, ended, 'the peer\'s half-close')
        }

        const upgrader = createUpgrader({ privateKey: uplinkKey, connectionEncrypters: [plaintext()], streamMuxers: [mplex() as MuxerModule] })
        const handled = new Promise<Handled>(resolve => {
          upgrader.handle(PROTOCOL, (stream) => { void readToEnd(stream).then(resolve) })
        })
        const signal = AbortSignal.timeout(15_000)
        const opened = new Promise<UplinkConnection>(resolve => { upgrader.addEventListener('connection:open', (evt) => { resolve(evt.detail) }, { once: true }) })
        const upgrading = role === 'answer'
          ? upgrader.upgradeInbound(raw, { signal })
          : upgrader.upgradeOutbound(raw, { signal, remotePeer: peerIdFromPrivateKey(peerKey) })
        const outcome = upgrading.then(() => undefined, (err: Error) => err)

        // an answerer answers only once asked, and a muxer is asked for only after the Exchanges
        const uplinkCryptoProposal = select(MSS, PLAINTEXT).byteLength
        const uplinkExchange = exchange(uplinkKey).byteLength
        if (role === 'propose' && burst !== 'first') await within(10_000, received(uplinkCryptoProposal), 'Uplink\'s crypto proposal')

        if (burst === 'crypto') {
          peerEnd.send(everything)
        } else if (burst === 'muxer') {
          peerEnd.send(Buffer.concat([cryptoAgreement, exchange(peerKey)]))
          const uplinkSoFar = uplinkCryptoProposal + uplinkExchange + (role === 'propose' ? muxerAgreement.byteLength : 0)
          await within(10_000, received(uplinkSoFar), 'Uplink\'s Exchange')
          peerEnd.send(Buffer.concat([muxerAgreement, muxedStream()]))
        }
        await peerEnd.close()

        try {
          const error = await within(15_000, outcome, 'the upgrade')
          expect(error, `the upgrade failed: ${error?.name}: ${error?.message} (cause ${(error?.cause as Error)?.name}: ${(error?.cause as Error)?.message})`).to.equal(undefined)
          const connection = await opened
          expect(connection.multiplexer).to.equal(MPLEX)
          const { bytes, error: readError } = await within(15_000, handled, 'the handler reading its stream to the end')
          expect(readError).to.equal(undefined)
          expect(Buffer.from(bytes).equals(DATA)).to.equal(true)
        } finally {
          uplinkEnd.abort(new Error('test over'))
          peerEnd.abort(new Error('test over'))
        }
      })
    }
  }
})
