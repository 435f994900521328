import { UnexpectedPeerError as InterfaceUnexpectedPeerError } from '@libp2p/interface'
import type { PeerId } from '@libp2p/interface'

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

/**
 * The remote peer is not the one the caller expected (`options.remotePeer`).
 *
 * Still an `UnexpectedPeerError` from `@libp2p/interface` (same class chain,
 * same `name`), but it also carries both PeerIds as `expected` and `actual`,
 * so an upgrader can report them without parsing the message.
 */
export class UnexpectedPeerError extends InterfaceUnexpectedPeerError {
  readonly expected: PeerId
  readonly actual: PeerId

  constructor (expected: PeerId, actual: PeerId) {
    super(`Expected remote peer ${expected.toString()} but it presented ${actual.toString()}`)
    this.expected = expected
    this.actual = actual
  }
}
