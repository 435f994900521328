/**
 * The remote peer announced (or began to announce) an Exchange message larger
 * than `MAX_EXCHANGE_SIZE`. Raised while the length prefix is still
 * being read, so no buffer for the body is ever allocated.
 *
 * The handshake surfaces this as the `cause` of an
 * `InvalidCryptoExchangeError`.
 */
export class ExchangeTooLargeError extends Error {
  static override name = 'ExchangeTooLargeError'

  constructor (message = 'Exchange message is too large') {
    super(message)
    this.name = 'ExchangeTooLargeError'
  }
}

// one helper for every layer that wraps an error (the @libp2p/interface classes take only a message)
export { withCause } from '@uplink/handover/with-cause'
