import { generateKeyPairSync } from 'node:crypto'
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

/**
 * A fresh Ed25519 identity, made synchronously so a `Node` (and a subclass in
 * the tutorial's shape) has its PeerId from the constructor on. libp2p's raw
 * Ed25519 private key is the 32-byte seed followed by the 32-byte public key.
 */
export function generateEd25519Identity (): PrivateKey {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })

  if (jwk.d == null || jwk.x == null) {
    throw new Error('node:crypto returned an Ed25519 JWK without d or x')
  }

  const seed = Buffer.from(jwk.d, 'base64url')
  const publicKey = Buffer.from(jwk.x, 'base64url')
  return privateKeyFromRaw(Buffer.concat([seed, publicKey]))
}
