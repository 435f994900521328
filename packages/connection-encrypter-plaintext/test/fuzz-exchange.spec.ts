// Property-based fuzzing of the /plaintext/2.0.0 exchange: recorded Exchange messages (Ed25519,
// secp256k1, RSA; spec and legacy js forms), mutated or replaced by random bytes, through the
// decoder as a pure function and through a real Uplink plaintext handshake on a live connection,
// sent in arbitrary pieces. Every case is accepted as the key's own PeerId or refused with an
// InvalidCryptoExchangeError (an UnexpectedPeerError for the dialer), and the connection closes.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromPublicKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { applyMutation, describeOutcome, expectRefusal, firstDifference, leave, linger, liveCase, mutationOf, protobufLengthOffsets, readSplits, runFuzzTarget, sendPieces, suiteTimeout } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { MAX_EXCHANGE_SIZE, decodeExchange, decodeLengthPrefix, encodeExchange } from '../src/exchange.js'
import { createEncrypter, varint } from './utils.js'
import type { ExchangeEncoding } from '../src/exchange.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { Mutation } from '@uplink/fuzz'

interface Recorded { key: PrivateKey, peerId: PeerId, encoding: ExchangeEncoding, body: Uint8Array }

async function recordExchanges (): Promise<Recorded[]> {
  const keys = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('secp256k1'), generateKeyPair('RSA', 2048)])
  return keys.flatMap(key => (['spec', 'legacy-js'] as const).map(encoding => ({ key, peerId: peerIdFromPrivateKey(key), encoding, body: encodeExchange(key.publicKey, encoding) })))
}

function damaged (recorded: Recorded[], framed: boolean): fc.Arbitrary<{ index: number, mutation?: Mutation, bytes: Uint8Array }> {
  return fc.integer({ min: 0, max: recorded.length - 1 }).chain(index => {
    const { body } = recorded[index] as Recorded
    const original = framed ? Buffer.concat([varint(body.byteLength), body]) : body
    const offset = original.byteLength - body.byteLength
    const lengthBytes = [...(framed ? [0, 1] : []), ...protobufLengthOffsets(body, [2]).map(at => at + offset)]
    return fc.option(mutationOf(original.byteLength, { lengthBytes }), { freq: 10 })
      .map(mutation => ({ index, mutation: mutation ?? undefined, bytes: mutation == null ? original : applyMutation(original, mutation) }))
  })
}

describe('fuzz: the plaintext exchange', function () {
  this.timeout(suiteTimeout(180_000))
  let recorded: Recorded[]

  before(async () => {
    recorded = await recordExchanges()
  })

  it('as a pure function: a damaged Exchange decodes to the key\'s own PeerId or is refused with InvalidCryptoExchangeError', async () => {
    await runFuzzTarget({
      name: 'plaintext/exchange',
      kind: 'pure',
      inputs: 'recorded Exchanges (Ed25519, secp256k1, RSA-2048; spec and legacy-js forms) flipped, cut, extended, repeated, protobuf lengths edited; random bytes',
      runs: { test: 2_000, full: 15_000 },
      arbitrary: fc.oneof({ arbitrary: damaged(recorded, false), weight: 4 }, { arbitrary: fc.record({ index: fc.constant(0), bytes: fc.uint8Array({ maxLength: 1024 }) }), weight: 1 }),
      check: ({ index, bytes }) => {
        const { body, peerId } = recorded[index] as Recorded

        try {
          const decoded = decodeExchange(bytes)
          // whatever was damaged, an accepted id is the one its key makes (checked, not trusted)
          expect(decoded.peerId.equals(peerIdFromPublicKey(decoded.publicKey))).to.equal(true)
          return firstDifference(bytes, body) === -1 ? 'decoded (unchanged)' : decoded.peerId.equals(peerId) ? 'decoded (same peer)' : 'decoded (another valid key)'
        } catch (err) {
          const outcome = describeOutcome(err)
          expect((err as Error).name, outcome).to.equal('InvalidCryptoExchangeError')
          expect(firstDifference(bytes, body), 'an unchanged Exchange must decode').to.not.equal(-1)
          return outcome
        }
      }
    })
  })

  it('the varint length prefix: any bytes give a length within the limit, "need more", or ExchangeTooLargeError before a body is read', async () => {
    await runFuzzTarget({
      name: 'plaintext/length-prefix',
      kind: 'pure',
      inputs: 'random byte strings of 0-12 bytes and random limits, as the varint length prefix',
      runs: { test: 2_000, full: 10_000 },
      arbitrary: fc.record({ bytes: fc.uint8Array({ maxLength: 12 }), max: fc.oneof(fc.constant(MAX_EXCHANGE_SIZE), fc.integer({ min: 0, max: 2 ** 31 })) }),
      check: ({ bytes, max }) => {
        try {
          const length = decodeLengthPrefix(bytes, max)
          expect(length).to.be.at.most(max)
          return 'length'
        } catch (err: any) {
          if (err.name === 'RangeError') {
            // the "need another byte" signal of lpStream: only for a prefix whose every byte continues
            expect(bytes.every(b => (b & 0x80) !== 0)).to.equal(true)
            return 'incomplete'
          }
          expect(err.name).to.equal('ExchangeTooLargeError')
          return err.name
        }
      }
    })
  })

  it('on a live connection: a damaged Exchange in any pieces is accepted as its own peer or refused by name, and the connection closes', async () => {
    const local = await generateKeyPair('Ed25519')
    const encrypter = createEncrypter(local, { encoding: 'auto' })

    await runFuzzTarget({
      name: 'plaintext/exchange-live',
      kind: 'live',
      inputs: 'a hostile peer\'s recorded Exchange (with its varint prefix) mutated as above, sent in random pieces; Uplink as listener and dialer',
      runs: { test: 150, full: 3_000 },
      hangAfter: 20_000,
      arbitrary: fc.record({ damage: damaged(recorded, true), role: fc.constantFrom('listener', 'dialer'), splits: readSplits() }),
      check: async ({ damage, role, splits }) => {
        const { peerId } = recorded[damage.index] as Recorded
        const [hostileRaw, raw] = multiaddrConnectionPair()
        const options = { signal: AbortSignal.timeout(12_000), remotePeer: role === 'dialer' ? peerId : undefined }
        const running = role === 'listener' ? encrypter.secureInbound(raw, options) : encrypter.secureOutbound(raw, options)

        return liveCase({
          ours: raw,
          running,
          hostile: async () => {
            sendPieces(hostileRaw, damage.bytes, splits)
            // an answer that waits for bytes the hostile peer will never send
            await linger(running, 100)
            await leave(hostileRaw)
          },
          accepted: ({ remotePeer, connection }) => {
            if (role === 'dialer') expect(remotePeer.equals(peerId), 'a dialer accepts only the peer it dialed').to.equal(true)
            connection.abort(new Error('case over'))
            return damage.mutation == null ? 'accepted (unchanged)' : remotePeer.equals(peerId) ? 'accepted (same peer)' : 'accepted (another valid key)'
          },
          refused: (reason) => {
            expect(damage.mutation, 'an undamaged Exchange must be accepted').to.not.equal(undefined)
            return expectRefusal(reason, { names: ['InvalidCryptoExchangeError', 'UnexpectedPeerError'] })
          }
        })
      }
    })
  })
})
