// The bytes every benchmark sends: one deterministic 1 MiB block (an AES-CTR keystream), repeated.
// The receiver compares each piece with the block (memcmp), which costs far less than hashing,
// so checking every byte does not slow down what is measured.
import { createCipheriv } from 'node:crypto'

export const PATTERN_BLOCK = 1024 * 1024

const block: Buffer = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16)).update(Buffer.alloc(PATTERN_BLOCK))

/** The piece of the pattern at `offset` (`length` ≤ the block, never across its end). */
export function patternPiece (offset: number, length: number): Buffer {
  const start = offset % PATTERN_BLOCK
  return block.subarray(start, start + Math.min(length, PATTERN_BLOCK - start))
}

/** Checks received bytes against the pattern, in order; `intact` turns false at the first wrong byte. */
export class PatternCheck {
  received = 0
  intact = true

  /** `piece` is a Uint8Array or a Uint8ArrayList (anything iterable over Uint8Arrays with a byteLength). */
  update (piece: Uint8Array | Iterable<Uint8Array>): void {
    if (piece instanceof Uint8Array) {
      this.#check(piece)
      return
    }
    for (const part of piece) this.#check(part)
  }

  #check (bytes: Uint8Array): void {
    for (let done = 0; done < bytes.byteLength;) {
      const expected = patternPiece(this.received, bytes.byteLength - done)
      if (this.intact && !expected.equals(bytes.subarray(done, done + expected.byteLength))) this.intact = false
      done += expected.byteLength
      this.received += expected.byteLength
    }
  }
}
