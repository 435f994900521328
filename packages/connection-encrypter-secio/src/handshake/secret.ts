import { generateEphemeralKeyPair } from '@libp2p/crypto/keys'
import { InvalidExchangeError } from '../errors.js'
import type { ExchangeName } from './algorithms.js'
import type { ECDHKey } from '@libp2p/crypto/keys'

/** Makes the ephemeral ECDH key pair for one handshake; tests inject fixed ones. */
export type EphemeralKeyFactory = (curve: ExchangeName) => Promise<ECDHKey>

export const generateEphemeral: EphemeralKeyFactory = async (curve) => generateEphemeralKeyPair(curve)

/**
 * The X coordinate of our private scalar times the peer's point, at the
 * curve's full width. OpenSSL rejects points that are not on the curve.
 */
export async function computeSharedSecret (ephemeral: ECDHKey, remoteEphemeralKey: Uint8Array): Promise<Uint8Array> {
  try {
    return await ephemeral.genSharedKey(remoteEphemeralKey)
  } catch (err) {
    throw new InvalidExchangeError('the peer\'s ephemeral key is not a point on the curve', { cause: err })
  }
}

/**
 * The widths a peer may have used for the secret. go-libp2p-secio takes
 * `big.Int.Bytes()`, which drops leading zero bytes (about 1 handshake in 256
 * on P-256, 1 in 2 on P-521), while Node, WebCrypto, Rust and the legacy JS
 * keep the field width. Full width comes first.
 */
export function secretWidths (secret: Uint8Array): Uint8Array[] {
  let start = 0

  while (start < secret.byteLength - 1 && secret[start] === 0) {
    start++
  }

  return start === 0 ? [secret] : [secret, secret.subarray(start)]
}
