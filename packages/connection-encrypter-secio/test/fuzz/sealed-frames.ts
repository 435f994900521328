/**
 * Honest SECIO frames under one sending keystream, and what a reader must get
 * from any damaged version of them: exactly the plaintexts of the frames that
 * arrived intact before the first damaged byte, then a named error. A clean
 * end is allowed only where the damage is a cut exactly at a frame boundary
 * (SECIO cannot tell that from a peer that stopped there).
 */
import { expect } from 'chai'
import fc from 'fast-check'
import { bulkBytes, firstDifference } from '@uplink/fuzz'
import type { FrameSealer } from '../../src/framing/frame-cipher.js'

/** Errors that may end a damaged data phase. */
export const DATA_ERRORS = ['MacMismatchError', 'ReplayedFrameError', 'InvalidFrameLengthError', 'UnexpectedEOFError']

/**
 * Plaintexts of at least 8 bytes: a replayed frame shorter than that is not
 * detected (documented in docs/SECIO.md), and would decrypt to garbage.
 */
export function plaintexts (): fc.Arbitrary<Uint8Array[]> {
  return fc.array(fc.oneof({ arbitrary: fc.uint8Array({ minLength: 8, maxLength: 300 }), weight: 6 }, { arbitrary: bulkBytes({ minLength: 8, maxLength: 70_000 }), weight: 1 }), { minLength: 1, maxLength: 8 })
}

export interface SealedStream {
  wire: Uint8Array
  /** Offset where each frame ends in `wire`. */
  ends: number[]
  /** Offset where each frame's length prefix starts. */
  starts: number[]
}

export function sealAll (sealer: FrameSealer, messages: Uint8Array[]): SealedStream {
  const frames = messages.map(message => sealer.seal(message).subarray())
  const starts: number[] = []
  const ends: number[] = []
  let offset = 0

  for (const frame of frames) {
    starts.push(offset)
    offset += frame.byteLength
    ends.push(offset)
  }

  return { wire: Buffer.concat(frames), ends, starts }
}

/** Checks what the reader got against what the rules allow; returns the outcome. */
export function expectIntactPrefix (sealed: SealedStream, damaged: Uint8Array, messages: Uint8Array[], delivered: Uint8Array, error: unknown): string {
  const from = firstDifference(sealed.wire, damaged)
  const intact = from === -1 ? messages.length : sealed.ends.filter(end => end <= from).length
  const expected = Buffer.concat(messages.slice(0, intact))

  expect(Buffer.from(delivered).equals(expected), `delivered ${delivered.byteLength} bytes, expected exactly the ${intact} intact frames (${expected.byteLength} bytes)`).to.equal(true)

  if (error == null) {
    const cutAtBoundary = damaged.byteLength === from && (from === 0 || sealed.ends.includes(from))
    expect(from === -1 || cutAtBoundary, 'damage other than a cut at a frame boundary must end in an error').to.equal(true)
    return from === -1 ? 'clean end (unchanged)' : 'clean end (cut at a frame boundary)'
  }

  const name = (error as Error).name
  expect(DATA_ERRORS, String((error as Error).stack)).to.include(name)
  expect(from, 'an undamaged stream must not fail').to.not.equal(-1)
  return name
}
