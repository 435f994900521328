/**
 * @packageDocumentation
 *
 * A `/plaintext/2.0.0` connection encrypter: the peers exchange PeerIds and
 * public keys, then talk in the clear.
 *
 * **Not for production.** Nothing is encrypted and nothing is authenticated:
 * the remote peer's identity is whatever it claims, as long as its claimed id
 * and key agree. Use it for tests, debugging and interoperability checks.
 *
 * @example With Uplink, or inside js-libp2p v3
 *
 * ```typescript
 * import { createLibp2p } from 'libp2p'
 * import { plaintext } from '@uplink/plaintext'
 *
 * const node = await createLibp2p({
 *   connectionEncrypters: [
 *     plaintext()
 *   ]
 * })
 * ```
 *
 * @example Talking to js-libp2p 0.28/0.29
 *
 * ```typescript
 * import { plaintext } from '@uplink/plaintext'
 *
 * // those versions cannot parse the spec-form public key, so send theirs
 * const encrypter = plaintext({ encoding: 'legacy-js' })
 * ```
 *
 * @module @uplink/plaintext
 */

import { Plaintext } from './plaintext.js'
import type { ComponentLogger, ConnectionEncrypter, PrivateKey } from '@libp2p/interface'

export { PROTOCOL } from './plaintext.js'
export { MAX_EXCHANGE_SIZE } from './exchange.js'
export type { ExchangeEncoding } from './exchange.js'
export { ExchangeTooLargeError } from './errors.js'

export interface PlaintextComponents {
  privateKey: PrivateKey
  logger: ComponentLogger
}

export interface PlaintextInit {
  /**
   * How to encode the public key in the Exchange message we send. Both forms
   * are always accepted on receipt.
   *
   * - `'spec'`: as the libp2p spec says; what go-libp2p, rust-libp2p and
   *   js-libp2p since 0.30 understand.
   * - `'legacy-js'`: the off-spec form of js-libp2p 0.28/0.29
   *   (`Type = RSA`, `Data` = the whole marshalled PublicKey protobuf). Those
   *   versions reject the spec form, and modern implementations reject this
   *   one, so only use it for nodes that only talk to legacy peers.
   * - `'auto'`: outbound connections send the spec form; inbound connections
   *   wait for the dialer's Exchange and answer in the same form, so legacy
   *   and modern dialers both succeed. This delays our Exchange on inbound
   *   connections until the dialer's arrives, a small deviation from the spec
   *   ("both peers immediately send") that is safe because every known dialer
   *   writes before it reads. It cannot help when *we* dial a legacy peer,
   *   because that peer judges our Exchange before we see its own.
   *
   * @default 'spec'
   */
  encoding?: 'spec' | 'legacy-js' | 'auto'
}

/**
 * Create a `/plaintext/2.0.0` connection encrypter factory
 */
export function plaintext (init: PlaintextInit = {}): (components: PlaintextComponents) => ConnectionEncrypter {
  return (components) => new Plaintext(components, init)
}
