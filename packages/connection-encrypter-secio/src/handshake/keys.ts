import { keyStretcher } from '@libp2p/crypto/keys'
import type { Suite } from './algorithms.js'

/** Keys for one direction: what encrypts and MACs it. */
export interface DirectionKeys {
  iv: Uint8Array
  cipherKey: Uint8Array
  macKey: Uint8Array
}

export interface SessionKeys {
  /** Encrypt and MAC what we send. */
  local: DirectionKeys
  /** Verify and decrypt what we receive. */
  remote: DirectionKeys
}

/**
 * Stretches the secret (TLS-1.0-PRF-like, 20-byte MAC keys for every hash) and
 * hands the first half to the side that won the order.
 */
export async function deriveSessionKeys (suite: Suite, secret: Uint8Array, order: 1 | -1): Promise<SessionKeys> {
  const { k1, k2 } = await keyStretcher(suite.cipher, suite.hash, secret)
  return order > 0 ? { local: k1, remote: k2 } : { local: k2, remote: k1 }
}
