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

/**
 * Attach `cause` to an error built by a constructor that only takes a message
 * (the `@libp2p/interface` error classes), so callers can still see what went
 * wrong underneath.
 */
export function withCause <E extends Error> (err: E, cause: unknown): E {
  if (cause !== undefined) {
    Object.defineProperty(err, 'cause', {
      value: cause,
      enumerable: false,
      writable: true,
      configurable: true
    })
  }

  return err
}
