// Property-based fuzzing of SECIO's framing as pure functions. The frame decoder is fed frames of
// random sizes with hostile lengths, cut at arbitrary read boundaries, and must cut exactly what a
// one-shot reference cut, never buffering more than it was given. The opener is fed real sealed
// frames, mutated: it must yield the intact frames' plaintexts and refuse the rest by name.
import { applyMutation, mutationOf, pseudoRandomBytes, readSplits, runFuzzTarget, split, suiteTimeout } from '@uplink/fuzz'
import { expect } from 'chai'
import fc from 'fast-check'
import { DEFAULT_MAX_FRAME_LENGTH } from '../src/constants.js'
import { FrameDecoder } from '../src/framing/frame-decoder.js'
import { FrameOpener, FrameSealer, macLength } from '../src/framing/frame-cipher.js'
import { expectIntactPrefix, plaintexts, sealAll } from './fuzz/sealed-frames.js'
import type { CipherName, HashName } from '../src/handshake/algorithms.js'
import type { DirectionKeys } from '../src/handshake/keys.js'

interface Reference { frames: Uint8Array[], failed: boolean }

/** Cuts the whole byte string at once, by the rules: the oracle for the split decoder. */
function referenceCut (bytes: Uint8Array, min: number, max: number): Reference {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const frames: Uint8Array[] = []

  for (let offset = 0; offset + 4 <= bytes.byteLength;) {
    const length = view.getUint32(offset)
    if (length < min || length > max) return { frames, failed: true }
    if (offset + 4 + length > bytes.byteLength) break
    frames.push(bytes.subarray(offset + 4, offset + 4 + length))
    offset += 4 + length
  }

  return { frames, failed: false }
}

/** A byte string of frames, most well-formed, some with a length that is hostile or off by a little. */
function frameStream (min: number, max: number): fc.Arbitrary<Uint8Array> {
  const length = fc.oneof(
    { arbitrary: fc.integer({ min, max: Math.min(max, 600) }), weight: 12 },
    { arbitrary: fc.constantFrom(0, min - 1, max, max + 1, 0x7fffffff, 0xffffffff), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 }
  )
  // a big or hostile length is followed by as much body as the attacker cares to send, not by what it declares
  const frame = fc.record({ length, sent: fc.integer({ min: 0, max: 2_000 }), seed: fc.integer({ min: 1, max: 0x7fffffff }) }).map(({ length, sent, seed }) => {
    const body = pseudoRandomBytes(seed, length <= 2_000 ? length : Math.min(length, sent))
    const out = new Uint8Array(4 + body.byteLength)
    new DataView(out.buffer).setUint32(0, length)
    out.set(body, 4)
    return out
  })
  return fc.array(frame, { minLength: 0, maxLength: 10 }).chain(frames => fc.integer({ min: 0, max: 3 }).map(tail => {
    const whole = Buffer.concat(frames)
    // sometimes stop inside the last frame
    return whole.subarray(0, Math.max(0, whole.byteLength - tail * 7))
  }))
}

function keys (cipher: CipherName, seed: number): DirectionKeys {
  const bytes = pseudoRandomBytes(seed, 16 + 32 + 20)
  return { iv: bytes.subarray(0, 16), cipherKey: bytes.subarray(16, cipher === 'AES-128' ? 32 : 48), macKey: bytes.subarray(48) }
}

describe('fuzz: SECIO framing as pure functions', function () {
  this.timeout(suiteTimeout(120_000))

  it('the frame decoder cuts across any read split exactly what a one-shot cut does, and refuses hostile lengths before buffering', async () => {
    const limits = fc.constantFrom({ min: 32, max: 64 * 1024 }, { min: 64, max: DEFAULT_MAX_FRAME_LENGTH }, { min: 32, max: 100 })

    await runFuzzTarget({
      name: 'secio/frame-decoder',
      kind: 'pure',
      inputs: 'streams of frames with random, limit-edge and hostile uint32 lengths (up to 0xFFFFFFFF), cut at random read boundaries',
      runs: { test: 1_500, full: 12_000 },
      arbitrary: limits.chain(limit => fc.record({ limit: fc.constant(limit), bytes: frameStream(limit.min, limit.max), splits: readSplits() })),
      check: ({ limit, bytes, splits }) => {
        const reference = referenceCut(bytes, limit.min, limit.max)
        const decoder = new FrameDecoder(limit)
        const frames: Uint8Array[] = []
        let error: Error | undefined
        let pushed = 0

        for (const piece of split(bytes, splits)) {
          const decoded = decoder.push(piece)
          pushed += piece.byteLength
          frames.push(...decoded.frames.map(frame => frame.subarray()))
          // nothing is buffered on the strength of a declared length: only bytes that arrived
          expect(decoder.pending).to.be.at.most(pushed)
          expect(decoder.pending).to.be.at.most(4 + limit.max + piece.byteLength)

          if (decoded.error != null) {
            error = decoded.error
            expect(decoder.pending, 'a bad length drops what follows it').to.equal(0)
            expect(decoder.push(new Uint8Array(8)), 'a failed decoder stays failed').to.deep.include({ frames: [], error })
            break
          }
        }

        expect(frames.length).to.equal(reference.frames.length)
        frames.forEach((frame, i) => { expect(Buffer.compare(frame, reference.frames[i] as Uint8Array), `frame ${i}`).to.equal(0) })
        expect(error != null, 'fails exactly where the one-shot cut does').to.equal(reference.failed)
        return error?.name ?? `${frames.length === 0 ? 'no' : 'whole'} frames`
      }
    })
  })

  it('the opener yields the intact sealed frames and refuses every damaged one by name', async () => {
    const suite = fc.record({ cipher: fc.constantFrom<CipherName>('AES-128', 'AES-256'), hash: fc.constantFrom<HashName>('SHA256', 'SHA512') })
    const input = fc.record({ suite, messages: plaintexts() }).chain(({ suite, messages }) => {
      const sizes = messages.map(m => 4 + m.byteLength + macLength(suite.hash))
      const total = sizes.reduce((a, b) => a + b, 0)
      const lengthPrefixes = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0))
      return fc.record({ suite: fc.constant(suite), messages: fc.constant(messages), keySeed: fc.integer({ min: 1, max: 0x7fffffff }), mutation: fc.option(mutationOf(total, { lengthPrefixes, frames: lengthPrefixes.map((start, i) => ({ start, end: start + (sizes[i] ?? 0) })), interestingLengths: [DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_FRAME_LENGTH + 1, macLength(suite.hash) - 1] }), { freq: 8 }), splits: readSplits() })
    })

    await runFuzzTarget({
      name: 'secio/sealed-frames',
      kind: 'pure',
      inputs: 'sealed data frames (AES-128/256 × SHA256/512), flipped, truncated, extended, duplicated (replays), length prefixes edited; random read splits',
      runs: { test: 600, full: 6_000 },
      arbitrary: input,
      check: ({ suite, messages, keySeed, mutation, splits }) => {
        const k = keys(suite.cipher, keySeed)
        const sealed = sealAll(new FrameSealer(suite.cipher, suite.hash, k), messages)
        const damaged = mutation == null ? sealed.wire : applyMutation(sealed.wire, mutation)
        const opener = new FrameOpener(suite.cipher, suite.hash, k)
        const decoder = new FrameDecoder({ min: macLength(suite.hash), max: DEFAULT_MAX_FRAME_LENGTH })
        const delivered: Uint8Array[] = []
        let error: Error | undefined

        try {
          for (const piece of split(damaged, splits)) {
            const decoded = decoder.push(piece)
            for (const frame of decoded.frames) delivered.push(Uint8Array.from(opener.openPieces(frame).subarray()))
            if (decoded.error != null) throw decoded.error
          }
          if (decoder.pending > 0) throw Object.assign(new Error(`ended ${decoder.pending} bytes into a frame`), { name: 'UnexpectedEOFError' })
        } catch (err: any) {
          error = err
        }

        return expectIntactPrefix(sealed, damaged, messages, Buffer.concat(delivered), error)
      }
    })
  })
})
