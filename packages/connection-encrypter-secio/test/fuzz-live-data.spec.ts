// Property-based fuzzing of SECIO data frames on a live connection, under the real session keys: a
// hostile peer completes an honest handshake with a real Uplink listener, then sends data frames
// sealed with the keys they agreed on, damaged on the wire (flips, cuts, insertions, repeated
// bytes and whole replayed frames, length-prefix edits up to 0xFFFFFFFF) and in arbitrary pieces.
// The Uplink reader must get exactly the plaintexts of the frames that arrived intact, in order,
// then a named error (a clean end only for a cut at a frame boundary), and the raw connection closes.
import { setTimeout as sleep } from 'node:timers/promises'
import { applyMutation, arrayBufferBytes, collectGarbage, leave, liveCase, mutationOf, pseudoRandomBytes, readSplits, runFuzzTarget, sendPieces, suiteTimeout } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { DEFAULT_MAX_FRAME_LENGTH } from '../src/constants.js'
import { againstFake, closed, drain, prefix, within } from './fixtures/hostile-peer.js'
import { expectIntactPrefix, plaintexts, sealAll } from './fuzz/sealed-frames.js'

/** SHA256 is both sides' first choice, so every handshake here agrees on it. */
const MAC_LENGTH = 32

describe('fuzz: SECIO data frames under live session keys', function () {
  this.timeout(suiteTimeout(180_000))

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
      hangAfter: 25_000,
      arbitrary: input,
      check: async ({ messages, mutation, splits }) => {
        const { fake, secured, raw, fakeRaw } = await againstFake()
        expect(secured.remoteExtensions.hash).to.equal('SHA256')
        const sealed = sealAll(fake.sealer ?? expect.fail('no keys'), messages)
        const damaged = mutation == null ? sealed.wire : applyMutation(sealed.wire, mutation)

        return liveCase({
          ours: raw,
          running: drain(secured.connection),
          hostile: async () => {
            sendPieces(fakeRaw, damaged, splits)
            await leave(fakeRaw)
          },
          accepted: async ({ data, error }) => {
            const outcome = expectIntactPrefix(sealed, damaged, messages, data, error)
            if (error == null) await secured.connection.close()
            return outcome
          }
        })
      }
    })
  })

  it('a declared frame length is never what we allocate: a hostile prefix with a few body bytes costs no memory of its size', async () => {
    const declared = fc.oneof(
      fc.integer({ min: 2 * 1024 * 1024, max: DEFAULT_MAX_FRAME_LENGTH }),
      fc.constantFrom(DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_FRAME_LENGTH + 1, 0x7fffffff, 0xffffffff),
      fc.integer({ min: DEFAULT_MAX_FRAME_LENGTH + 1, max: 0xffffffff })
    )

    await runFuzzTarget({
      name: 'secio/declared-length-live',
      kind: 'live',
      inputs: 'after an honest handshake, a frame length prefix of 2 MiB to 0xFFFFFFFF followed by up to 4 KiB of body; ArrayBuffer memory measured after a full GC',
      runs: { test: 40, full: 400 },
      hangAfter: 25_000,
      arbitrary: fc.record({ length: declared, body: fc.integer({ min: 0, max: 4096 }), seed: fc.integer({ min: 1, max: 0x7fffffff }) }),
      check: async ({ length, body, seed }) => {
        const { secured, raw, fakeRaw } = await againstFake()
        const reading = drain(secured.connection)
        collectGarbage()
        const before = arrayBufferBytes()

        fakeRaw.send(prefix(length))
        // a length over the limit may already have closed the connection
        if (fakeRaw.status === 'open') fakeRaw.send(pseudoRandomBytes(seed, body))
        await sleep(5)
        const grown = arrayBufferBytes() - before

        // a megabyte is hundreds of times what a few KiB of reads and one handshake's buffers take
        expect(grown, `${grown} bytes held after a declared length of ${length}`).to.be.below(1024 * 1024)

        if (length > DEFAULT_MAX_FRAME_LENGTH) {
          const { error } = await within(15_000, reading, 'the reader')
          expect(error?.name, 'a length over the limit is refused at once').to.equal('InvalidFrameLengthError')
          expect(await closed(raw, 10_000)).to.not.equal('open')
          return 'refused: InvalidFrameLengthError'
        }

        // within the limit the reader waits for the body; the peer leaves instead
        await fakeRaw.close().catch(() => {})
        const { error } = await within(15_000, reading, 'the reader')
        expect(error?.name).to.equal('UnexpectedEOFError')
        expect(await closed(raw, 10_000)).to.not.equal('open')
        return 'waited, then UnexpectedEOFError'
      }
    })
  })
})
