// Property-based fuzzing of SECIO's handshake messages as pure functions: real Proposes and
// Exchanges (every key type and curve), mutated or replaced by random bytes, through the parsers
// and the checks that follow them. Each case parses or ends in one of SECIO's named errors; a
// mutated Exchange never verifies unless what it says is exactly what was signed.
import { runFuzzTarget, applyMutation, describeOutcome, firstDifference, mutationOf, protobufLengthOffsets, suiteTimeout } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { equals } from 'uint8arrays/equals'
import { MAX_HANDSHAKE_MESSAGE_LENGTH } from '../src/constants.js'
import { readExchange, verifyExchange } from '../src/handshake/exchange.js'
import { computeOrder, readProposal, selectSuite } from '../src/handshake/proposal.js'
import { computeSharedSecret } from '../src/handshake/secret.js'
import { Exchange } from '../src/pb/secio.js'
import { recordHandshakes } from './fuzz/corpus.js'
import type { RecordedHandshake } from './fuzz/corpus.js'
import type { Mutation } from '@uplink/fuzz'

const PROPOSE_ERRORS = ['InvalidProposeError', 'NoCommonAlgorithmError', 'SelfConnectionError']
const EXCHANGE_ERRORS = ['InvalidExchangeError', 'BadSignatureError']

/** A recorded message, mutated, or bytes from nowhere. */
function damaged (recorded: RecordedHandshake[], pick: (r: RecordedHandshake) => Uint8Array, nested: number[]): fc.Arbitrary<{ index: number, mutation?: Mutation, bytes: Uint8Array }> {
  const mutated = fc.integer({ min: 0, max: recorded.length - 1 }).chain(index => {
    const original = pick(recorded[index] as RecordedHandshake)
    return mutationOf(original.byteLength, { lengthBytes: protobufLengthOffsets(original, nested) })
      .map(mutation => ({ index, mutation, bytes: applyMutation(original, mutation) }))
  })
  const random = fc.record({ index: fc.integer({ min: 0, max: recorded.length - 1 }), bytes: fc.uint8Array({ maxLength: 2048 }) })
  return fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: random, weight: 1 })
}

describe('fuzz: SECIO Propose and Exchange as pure functions', function () {
  this.timeout(suiteTimeout(120_000))
  let recorded: RecordedHandshake[]

  before(async () => {
    recorded = await recordHandshakes()
  })

  it('a damaged Propose parses and selects a suite, or fails with InvalidProposeError / NoCommonAlgorithmError / SelfConnectionError', async () => {
    await runFuzzTarget({
      name: 'secio/propose',
      kind: 'pure',
      inputs: 'recorded Proposes (Ed25519, secp256k1, RSA-2048) flipped, truncated, extended, duplicated, protobuf lengths edited; random bytes',
      runs: { test: 3_000, full: 30_000 },
      arbitrary: damaged(recorded, r => r.propose, [2]),
      check: ({ index, bytes }) => {
        const { reader, propose } = recorded[index] as RecordedHandshake
        expect(bytes.byteLength).to.be.at.most(MAX_HANDSHAKE_MESSAGE_LENGTH)

        try {
          const remote = readProposal(bytes)
          expect(remote.nonce.byteLength).to.equal(16)
          selectSuite(computeOrder(reader, remote), reader, remote)
          return firstDifference(bytes, propose) === -1 ? 'parsed (unchanged)' : 'parsed'
        } catch (err) {
          const outcome = describeOutcome(err)
          expect(PROPOSE_ERRORS, outcome).to.include((err as Error).name)
          expect(firstDifference(bytes, propose), 'an unchanged Propose must parse').to.not.equal(-1)
          return outcome
        }
      }
    })
  })

  it('a damaged Exchange verifies only if its key and signature are the ones signed; otherwise InvalidExchangeError / BadSignatureError', async () => {
    await runFuzzTarget({
      name: 'secio/exchange',
      kind: 'pure',
      inputs: 'recorded Exchanges (3 key types × P-256/P-384/P-521) flipped, truncated, extended, duplicated, protobuf lengths edited; random bytes',
      runs: { test: 1_500, full: 15_000 },
      arbitrary: damaged(recorded, r => r.exchange, []),
      check: async ({ index, bytes }) => {
        const { curve, reader, senderSeenByReader, readerEphemeral, exchange } = recorded[index] as RecordedHandshake
        const signed = Exchange.decode(exchange)

        try {
          const remote = readExchange(bytes, curve)
          await verifyExchange(reader, senderSeenByReader, remote)
          // SECIO signs the values, not the encoding: re-encodings of the same values may verify, nothing else
          expect(equals(remote.ephemeralKey, signed.epubkey ?? new Uint8Array()), 'a verified Exchange carries the signed key').to.equal(true)
          expect(equals(remote.signature, signed.signature ?? new Uint8Array()), 'a verified Exchange carries the signed signature').to.equal(true)
          await computeSharedSecret(readerEphemeral, remote.ephemeralKey)
          return firstDifference(bytes, exchange) === -1 ? 'verified (unchanged)' : 'verified (same values)'
        } catch (err) {
          const outcome = describeOutcome(err)
          expect(EXCHANGE_ERRORS, outcome).to.include((err as Error).name)
          expect(firstDifference(bytes, exchange), 'an unchanged Exchange must verify').to.not.equal(-1)
          return outcome
        }
      }
    })
  })
})
