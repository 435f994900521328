// Property-based fuzzing of SECIO data frames on a live connection, under the real session keys: a
// hostile peer completes an honest handshake with a real Uplink listener, then sends data frames
// sealed with the keys they agreed on, damaged on the wire (flips, cuts, insertions, repeated
// bytes and whole replayed frames, length-prefix edits up to 0xFFFFFFFF) and in arbitrary pieces.
// The Uplink reader must get exactly the plaintexts of the frames that arrived intact, in order,
// then a named error (a clean end only for a cut at a frame boundary), and the raw connection closes.
import { applyMutation, mutationOf, readSplits, runFuzzTarget, split } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { DEFAULT_MAX_FRAME_LENGTH } from '../src/constants.js'
import { againstFake, closed, drain, within } from './fixtures/hostile-peer.js'
import { expectIntactPrefix, plaintexts, sealAll } from './fuzz/sealed-frames.js'

/** SHA256 is both sides' first choice, so every handshake here agrees on it. */
const MAC_LENGTH = 32

describe('fuzz: SECIO data frames under live session keys', function () {
  this.timeout(180_000)

  it('damaged frames sealed with the real keys: the intact frames reach the reader, then a named error, and the connection closes', async () => {
    const input = plaintexts().chain(messages => {
      const sizes = messages.map(m => 4 + m.byteLength + MAC_LENGTH)
      const total = sizes.reduce((a, b) => a + b, 0)
      const lengthPrefixes = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0))
      return fc.record({
        messages: fc.constant(messages),
        mutation: fc.option(mutationOf(total, { lengthPrefixes, frames: lengthPrefixes.map((start, i) => ({ start, end: start + (sizes[i] ?? 0) })), interestingLengths: [DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_FRAME_LENGTH + 1, MAC_LENGTH - 1, MAC_LENGTH] }), { freq: 8 }),
        splits: readSplits()
      })
    })

    await runFuzzTarget({
      name: 'secio/data-live',
      kind: 'live',
      inputs: 'data frames sealed with the session keys of an honest handshake, then flipped, cut, extended, repeated or replayed, length prefixes edited; random pieces',
      runs: { test: 150, full: 4_000 },
      hangAfter: 10_000,
      arbitrary: input,
      check: async ({ messages, mutation, splits }) => {
        const { fake, secured, raw, fakeRaw } = await againstFake()
        expect(secured.remoteExtensions.hash).to.equal('SHA256')
        const reading = drain(secured.connection)
        const sealed = sealAll(fake.sealer ?? expect.fail('no keys'), messages)
        const damaged = mutation == null ? sealed.wire : applyMutation(sealed.wire, mutation)

        for (const piece of split(damaged, splits)) {
          if (fakeRaw.status !== 'open') break
          fakeRaw.send(piece)
        }
        await fakeRaw.close().catch(() => {})

        const { data, error } = await within(8_000, reading, 'the reader')
        const outcome = expectIntactPrefix(sealed, damaged, messages, data, error)

        if (error == null) await secured.connection.close()
        expect(await closed(raw), 'the raw connection closes').to.not.equal('open')
        return outcome
      }
    })
  })
})
