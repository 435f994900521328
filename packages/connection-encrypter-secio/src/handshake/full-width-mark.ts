import { createHash, randomBytes } from 'node:crypto'
import { equals } from 'uint8arrays/equals'
import { NONCE_LENGTH } from '../constants.js'

/** Bytes of the nonce that carry the mark; the other 12 stay random. */
export const MARK_LENGTH = 4

const LABEL = 'uplink secio: keys from the full-width ECDH secret'

/**
 * A nonce for our Propose that tells another Uplink we key the channel with
 * the full-width ECDH secret: 12 random bytes, then the first 4 bytes of
 * SHA-256(label ‖ those 12). To every other implementation it is just 16
 * bytes of `rand` (they only echo it and hash it into the order), so the wire
 * stays SECIO. When both nonces carry the mark neither side needs the
 * leading-zero wait (`confirm.ts`): both know the other uses full width.
 *
 * A foreign nonce carries the mark by chance once in 2^32 handshakes; that only
 * matters if the secret also starts with a zero byte and the peer drops it
 * (go-libp2p, py-libp2p), which then fails with `MacMismatchError`.
 */
export function markedNonce (random: Uint8Array = randomBytes(NONCE_LENGTH - MARK_LENGTH)): Uint8Array {
  if (random.byteLength !== NONCE_LENGTH - MARK_LENGTH) {
    throw new RangeError(`a marked nonce starts from ${NONCE_LENGTH - MARK_LENGTH} random bytes, got ${random.byteLength}`)
  }

  const nonce = new Uint8Array(NONCE_LENGTH)
  nonce.set(random)
  nonce.set(markOf(random), random.byteLength)
  return nonce
}

/** Whether the peer's nonce says it keys with the full-width secret (see `markedNonce`). */
export function carriesFullWidthMark (nonce: Uint8Array): boolean {
  if (nonce.byteLength !== NONCE_LENGTH) {
    return false
  }

  const random = nonce.subarray(0, NONCE_LENGTH - MARK_LENGTH)
  return equals(nonce.subarray(NONCE_LENGTH - MARK_LENGTH), markOf(random))
}

function markOf (random: Uint8Array): Uint8Array {
  return createHash('sha256').update(LABEL).update(random).digest().subarray(0, MARK_LENGTH)
}
