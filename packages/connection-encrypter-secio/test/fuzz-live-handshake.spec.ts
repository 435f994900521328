// Property-based fuzzing of the SECIO handshake on a live (in-memory) connection: a real Uplink
// peer, as listener or as dialer, against a hostile peer that sends one of Propose, Exchange or the
// nonce frame mutated (flips, cuts, insertions, repeats, length-prefix and protobuf-length edits,
// random bytes) and every message in arbitrary pieces. Each case ends within the hang guard with
// the handshake accepted (only if the damage changed nothing that matters) or refused by name,
// and the raw connection closed.
import { applyMutation, expectRefusal, firstDifference, liveCase, mutationOf, protobufLengthOffsets, readSplits, runFuzzTarget, suiteTimeout } from '@uplink/fuzz'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { expect } from 'chai'
import fc from 'fast-check'
import { MAX_HANDSHAKE_MESSAGE_LENGTH } from '../src/constants.js'
import { FakePeer } from './fixtures/hostile-peer.js'
import { encrypter, peer } from './fixtures/peers.js'
import { PHASES, runDamagedHandshake } from './fuzz/scripted-handshake.js'
import type { Peer } from './fixtures/peers.js'
import type { Phase } from './fuzz/scripted-handshake.js'

const HANDSHAKE_ERRORS = [
  'InvalidProposeError', 'InvalidExchangeError', 'BadSignatureError', 'NonceMismatchError', 'MacMismatchError',
  'InvalidFrameLengthError', 'UnexpectedEOFError', 'NoCommonAlgorithmError', 'UnexpectedPeerError', 'SelfConnectionError',
  'ReplayedFrameError'
]

/** The honest fake's three messages as it frames them: recorded once, to size the mutations. */
async function recordFramedLengths (a: Peer, b: Peer): Promise<{ lengths: Record<Phase, number>, samples: Record<Phase, Uint8Array> }> {
  const [fakeRaw, raw] = multiaddrConnectionPair()
  const sent: Uint8Array[] = []
  const send = fakeRaw.send.bind(fakeRaw)
  fakeRaw.send = (data) => { sent.push(Uint8Array.from(data.subarray())); return send(data) }
  const fake = new FakePeer(fakeRaw, { privateKey: b.privateKey })
  await Promise.all([encrypter(a).secureInbound(raw), runDamagedHandshake(fake, { phase: 'propose', splits: [1 << 20] })])
  const [propose, exchange, nonce] = sent
  if (propose == null || exchange == null || nonce == null) throw new Error(`recorded ${sent.length} messages, not 3`)
  return {
    lengths: { propose: propose.byteLength, exchange: exchange.byteLength, nonce: nonce.byteLength },
    samples: { propose, exchange, nonce }
  }
}

describe('fuzz: the SECIO handshake on a live connection', function () {
  this.timeout(suiteTimeout(180_000))
  let uplink: Peer
  let hostile: Peer
  let recorded: Awaited<ReturnType<typeof recordFramedLengths>>

  before(async () => {
    [uplink, hostile] = await Promise.all([peer(), peer()])
    recorded = await recordFramedLengths(uplink, hostile)
  })

  it('a damaged Propose, Exchange or nonce frame, in any pieces, ends in acceptance or a named refusal with the connection closed', async () => {
    const damage = fc.constantFrom(...PHASES).chain(phase => {
      const length = recorded.lengths[phase]
      const sample = recorded.samples[phase].subarray(4)
      const lengthBytes = phase === 'nonce' ? [] : protobufLengthOffsets(sample, phase === 'propose' ? [2] : []).map(at => at + 4)
      return fc.record({
        role: fc.constantFrom('listener', 'dialer'),
        phase: fc.constant(phase),
        mutation: fc.option(mutationOf(length, { lengthPrefixes: [0], lengthBytes, interestingLengths: [MAX_HANDSHAKE_MESSAGE_LENGTH, MAX_HANDSHAKE_MESSAGE_LENGTH + 1, length - 5, length - 3] }), { freq: 10 }),
        splits: readSplits()
      })
    })

    await runFuzzTarget({
      name: 'secio/handshake-live',
      kind: 'live',
      inputs: 'a hostile peer\'s Propose, Exchange or nonce frame mutated (flips, cuts, insertions, repeats, length prefix and protobuf lengths, random), sent in random pieces; Uplink as listener and as dialer',
      runs: { test: 150, full: 4_000 },
      hangAfter: 20_000,
      arbitrary: damage,
      check: async ({ role, phase, mutation, splits }) => {
        const [fakeRaw, raw] = multiaddrConnectionPair()
        const fake = new FakePeer(fakeRaw, { privateKey: hostile.privateKey })
        const secio = encrypter(uplink, { handshakeTimeout: 10_000, leadingZeroWait: 200 })
        const options = { signal: AbortSignal.timeout(12_000), remotePeer: role === 'dialer' ? hostile.peerId : undefined }
        const unchanged = mutation == null || firstDifference(applyMutation(recorded.samples[phase], mutation), recorded.samples[phase]) === -1

        return liveCase({
          ours: raw,
          running: role === 'listener' ? secio.secureInbound(raw, options) : secio.secureOutbound(raw, options),
          hostile: async () => { await runDamagedHandshake(fake, { phase, mutation: mutation ?? undefined, splits }) },
          accepted: ({ remotePeer, connection }) => {
            expect(remotePeer.equals(hostile.peerId), 'an accepted handshake authenticated the peer').to.equal(true)
            connection.abort(new Error('case over'))
            return unchanged ? 'accepted (unchanged)' : 'accepted (harmless damage)'
          },
          refused: (reason) => {
            expect(unchanged, 'an undamaged handshake must succeed').to.equal(false)
            return expectRefusal(reason, { names: HANDSHAKE_ERRORS })
          }
        })
      }
    })
  })
})
