import { createPrivateKey, sign } from 'node:crypto'
import type { PrivateKey } from '@libp2p/interface'
import type { KeyObject } from 'node:crypto'

/** What signs our Exchange: any `PrivateKey` is one, and so is `identitySigner`'s form of it. */
export interface ExchangeSigner {
  sign(data: Uint8Array): Uint8Array | Promise<Uint8Array>
}

/**
 * The identity key as it signs Exchanges, imported into OpenSSL once.
 * `@libp2p/crypto` imports an Ed25519 or RSA private key from JWK on every
 * `sign()`, which costs an Ed25519 handshake twice the signature itself; the
 * identity key lives as long as the encrypter, so the import can too. The
 * bytes are the same: Ed25519 and RSA PKCS#1 v1.5 over SHA-256 (what
 * `@libp2p/crypto` and go-libp2p make) are deterministic. secp256k1 signs in
 * JavaScript with nothing to import, and a key that OpenSSL refuses is left
 * to `@libp2p/crypto`, which reports it when it signs.
 */
export function identitySigner (privateKey: PrivateKey): ExchangeSigner {
  const key = importIdentity(privateKey)

  if (key == null) {
    return privateKey
  }

  // Ed25519 takes no digest name; RSA keys sign PKCS#1 v1.5 unless told otherwise
  const digest = privateKey.type === 'RSA' ? 'sha256' : null
  return { sign: (data) => sign(digest, data, key) }
}

function importIdentity (privateKey: PrivateKey): KeyObject | undefined {
  try {
    switch (privateKey.type) {
      case 'Ed25519':
        // raw is the 32-byte seed, then the 32-byte public key
        return createPrivateKey({
          format: 'jwk',
          key: { kty: 'OKP', crv: 'Ed25519', d: base64url(privateKey.raw.subarray(0, 32)), x: base64url(privateKey.raw.subarray(32)) }
        })
      case 'RSA':
        return createPrivateKey({ format: 'jwk', key: privateKey.jwk })
      default:
        return undefined
    }
  } catch {
    return undefined
  }
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
