import { DialError, ListenError } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

// Errors raised by this package. Aborts, timeouts and lifecycle misuse reuse
// the @libp2p/interface classes (AbortError, TimeoutError, NotStartedError,
// AlreadyStartedError) so callers can match on the names they already know;
// the classes below exist only where we have something to add: the address
// involved and the Node.js error that caused it.

/**
 * Opening a TCP socket to a multiaddr failed, e.g. the connection was refused
 * or the host was unreachable. Extends `DialError`, so code that handles any
 * transport's dial failures still catches it.
 */
export class TCPDialError extends DialError {
  static override name = 'TCPDialError'

  /** The address that could not be dialed */
  readonly multiaddr: Multiaddr

  /** The Node.js error code of the cause, e.g. `ECONNREFUSED` */
  readonly code?: string

  constructor (multiaddr: Multiaddr, cause: Error & { code?: string }) {
    super(`Could not connect to ${multiaddr.toString()}: ${cause.message}`)
    this.name = 'TCPDialError'
    this.multiaddr = multiaddr
    this.code = cause.code
    this.cause = cause
  }
}

/**
 * The server socket could not listen on a multiaddr, e.g. the port was taken.
 */
export class TCPListenError extends ListenError {
  static override name = 'TCPListenError'

  /** The address that could not be listened on */
  readonly multiaddr: Multiaddr

  /** The Node.js error code of the cause, e.g. `EADDRINUSE` */
  readonly code?: string

  constructor (multiaddr: Multiaddr, cause: Error & { code?: string }) {
    super(`Could not listen on ${multiaddr.toString()}: ${cause.message}`)
    this.name = 'TCPListenError'
    this.multiaddr = multiaddr
    this.code = cause.code
    this.cause = cause
  }
}

/**
 * An established socket failed (the remote vanished mid-write, the network
 * went away, ...). The connection is aborted with this error.
 */
export class TCPSocketError extends Error {
  static override name = 'TCPSocketError'

  /** The Node.js error code of the cause, e.g. `EPIPE` */
  readonly code?: string

  constructor (message: string, cause?: Error & { code?: string }) {
    super(cause == null ? message : `${message}: ${cause.message}`, { cause })
    this.name = 'TCPSocketError'
    this.code = cause?.code
  }
}
