import { createECDH } from 'node:crypto'
import { InvalidExchangeError } from '../errors.js'
import type { ExchangeName } from './algorithms.js'
import type { ECDH } from 'node:crypto'

/** One handshake's ephemeral ECDH key pair. */
export interface EphemeralKey {
  /** Our public point, uncompressed (`0x04 ‖ X ‖ Y`), as the Exchange carries it. */
  readonly key: Uint8Array
  /** X of our private scalar times the peer's point, at the curve's full width. */
  genSharedKey(theirs: Uint8Array): Promise<Uint8Array>
  /** Destroys the private scalar. The handshake calls it once the secret is computed, or when it fails before. */
  wipe(): void
}

/** Makes the ephemeral ECDH key pair for one handshake; tests inject fixed ones. */
export type EphemeralKeyFactory = (curve: ExchangeName) => Promise<EphemeralKey>

const OPENSSL_CURVE: Record<ExchangeName, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1'
}

/** The smallest valid scalar: what a wiped key holds instead of its secret one. */
const SCALAR_ONE = Uint8Array.of(1)

export const generateEphemeral: EphemeralKeyFactory = async (curve) => {
  const ecdh = createECDH(OPENSSL_CURVE[curve])
  ecdh.generateKeys()
  return ephemeralKeyOf(ecdh)
}

/**
 * An `EphemeralKey` over a Node `ECDH` whose key pair is set. Ours rather
 * than `@libp2p/crypto`'s `generateEphemeralKeyPair`, which keeps its `ECDH`
 * in a closure where nothing can reach it to wipe.
 *
 * The scalar lives inside OpenSSL and never enters JavaScript (we never call
 * `getPrivateKey()`), and Node can neither zero nor free it on demand. It can
 * replace it: `setPrivateKey()` installs a new EC key and frees the old one,
 * which OpenSSL's `EC_KEY_free` does with `BN_clear_free` (zeroing it). So
 * `wipe()` puts the scalar 1, which is no secret, in its place, and the key
 * refuses any use after that.
 */
export function ephemeralKeyOf (ecdh: ECDH): EphemeralKey {
  let wiped = false

  return {
    key: ecdh.getPublicKey(),

    async genSharedKey (theirs) {
      if (wiped) {
        throw new Error('this ephemeral key was wiped: it computes no more secrets')
      }

      return ecdh.computeSecret(theirs)
    },

    wipe () {
      if (!wiped) {
        wiped = true
        ecdh.setPrivateKey(SCALAR_ONE)
      }
    }
  }
}

/**
 * The X coordinate of our private scalar times the peer's point, at the
 * curve's full width. OpenSSL rejects points that are not on the curve.
 */
export async function computeSharedSecret (ephemeral: EphemeralKey, remoteEphemeralKey: Uint8Array): Promise<Uint8Array> {
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
