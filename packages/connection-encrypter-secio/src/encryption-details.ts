import { CIPHERS, EXCHANGES, HASHES } from './handshake/algorithms.js'
import type { Suite } from './handshake/algorithms.js'

/**
 * What a SECIO session settled on: the ECDH curve, the cipher and the HMAC
 * hash. An Uplink connection secured by `secio()` carries it as its
 * `encryptionDetails` (the encrypter's `remoteExtensions`).
 */
export type SecioEncryptionDetails = Suite

/**
 * Tells a SECIO session's details apart from another channel's (noise's
 * extensions, nothing at all), so `connection.encryptionDetails` can be read
 * without a cast.
 *
 * @example
 *
 * ```ts
 * if (isSecioEncryptionDetails(connection.encryptionDetails)) {
 *   console.log(connection.encryptionDetails.cipher) // 'AES-256'
 * }
 * ```
 */
export function isSecioEncryptionDetails (details: unknown): details is SecioEncryptionDetails {
  if (details == null || typeof details !== 'object') {
    return false
  }

  const { exchange, cipher, hash } = details as Record<string, unknown>
  return (EXCHANGES as readonly unknown[]).includes(exchange) &&
    (CIPHERS as readonly unknown[]).includes(cipher) &&
    (HASHES as readonly unknown[]).includes(hash)
}
