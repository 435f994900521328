/**
 * @packageDocumentation
 *
 * `/secio/1.0.0`, the crypto channel go-libp2p and js-libp2p shipped from 2014
 * until 2020, for networks that still speak it. Wire-compatible with
 * go-libp2p-secio and libp2p-secio 0.13.1 (uint32 frames, AES-CTR with one
 * keystream per direction, encrypt-then-HMAC, the nonce echo), on the
 * `@libp2p/interface` v3 `ConnectionEncrypter` contract.
 *
 * SECIO is deprecated: prefer noise or TLS wherever the peer allows.
 *
 * @example
 *
 * ```ts
 * import { secio } from '@uplink/secio'
 *
 * // Uplink
 * createNode({ modules: { transport: [tcp()], connection: { muxer: [mplex()], crypto: [secio()] } } })
 * // js-libp2p v3
 * createLibp2p({ transports: [tcp()], connectionEncrypters: [secio()], streamMuxers: [mplex()] })
 * ```
 *
 * @module @uplink/secio
 */

import { Secio } from './secio.js'
import type { CipherName, ExchangeName, HashName, Suite } from './handshake/algorithms.js'
import type { ComponentLogger, ConnectionEncrypter, PrivateKey } from '@libp2p/interface'

export interface SecioInit {
  /**
   * ECDH curves to offer, most preferred first.
   *
   * @default ['P-256', 'P-384', 'P-521']
   */
  exchanges?: ExchangeName[]

  /**
   * Ciphers to offer, most preferred first (AES in CTR mode).
   *
   * @default ['AES-256', 'AES-128']
   */
  ciphers?: CipherName[]

  /**
   * HMAC hashes to offer, most preferred first.
   *
   * @default ['SHA256', 'SHA512']
   */
  hashes?: HashName[]

  /**
   * Largest frame (ciphertext + MAC) accepted from the peer. The legacy JS
   * SECIO sends one frame per write and can exceed its own 8 MiB limit under
   * bulk load; raise this to accept such frames from it.
   *
   * @default DEFAULT_MAX_FRAME_LENGTH (8 MiB)
   */
  maxFrameLength?: number

  /**
   * Largest plaintext put in one frame we send; bigger writes are split.
   * Never more than 8 MiB minus the MAC, whatever is asked.
   *
   * @default DEFAULT_MAX_SEND_CHUNK (1 MiB)
   */
  maxSendChunk?: number

  /**
   * Milliseconds the side that lost the order waits for the peer's nonce
   * frame to start when the ECDH secret starts with a zero byte, to learn
   * whether the peer is go-libp2p (which drops those zeros). A frame that has
   * started is read whole. Two Uplink peers never wait: each one's nonce
   * carries a mark that tells the other it keys with the full-width secret.
   *
   * @default DEFAULT_LEADING_ZERO_WAIT (1 000)
   */
  leadingZeroWait?: number

  /**
   * Milliseconds the whole handshake may take, on top of the caller's signal.
   * When it runs out the handshake rejects with a `DeadlineExceededError`
   * (a `TimeoutError`); its timer is cleared when the handshake ends.
   *
   * @default DEFAULT_HANDSHAKE_TIMEOUT (30 000)
   */
  handshakeTimeout?: number
}

export interface SecioComponents {
  privateKey: PrivateKey
  logger: ComponentLogger
}

/** The negotiated suite, returned as the secured connection's `remoteExtensions`. */
export type SecioSuite = Suite

export function secio (init: SecioInit = {}): (components: SecioComponents) => ConnectionEncrypter<SecioSuite> {
  return (components) => new Secio(components, init)
}

export { PROTOCOL, DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_SEND_CHUNK, DEFAULT_LEADING_ZERO_WAIT, DEFAULT_HANDSHAKE_TIMEOUT, MAX_HANDSHAKE_MESSAGE_LENGTH, MIN_RSA_BITS, MAX_RSA_BITS, NONCE_LENGTH, READER_HIGH_WATER, REPLAY_WINDOW } from './constants.js'
export * from './errors.js'
export type { CipherName, ExchangeName, HashName } from './handshake/algorithms.js'
export { isSecioEncryptionDetails } from './encryption-details.js'
export type { SecioEncryptionDetails } from './encryption-details.js'
export { DEFAULT_PREFERENCES as DEFAULT_SECIO_PREFERENCES } from './handshake/algorithms.js'
export type { Preferences as SecioPreferences } from './handshake/algorithms.js'
export type { SecioOffer, SecioProposals, SecioKeying, SecioProgressEvents, SecioProgressOptions } from './progress.js'
export { carriesFullWidthMark } from './handshake/full-width-mark.js'
