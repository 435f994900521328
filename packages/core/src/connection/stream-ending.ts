import { ConnectionClosedError, ConnectionFailedError } from '@libp2p/interface'
import { withCause } from '../errors.js'

export interface StreamEndingFacts {
  /** The error the muxer closed its stream with, if any. */
  error?: Error
  /** The remote closed its writable end: everything it meant to send arrived. */
  remoteEnded: boolean
  /** The application closed the readable end itself and asked for nothing more. */
  readClosed: boolean
  /**
   * The connection's first failure, if it failed before the stream ended. A
   * stream that finished both ways is closed before any later failure, so a
   * failure known when the stream ends is what ended it.
   */
  connectionFailure?: Error
}

/**
 * How a stream's end is told to the application. Upstream muxers close their
 * streams without an error when the connection under them dies, so a stream
 * the remote had not finished is a truncated one, never a clean end: it ends
 * with the connection's first failure as its cause.
 */
export function streamEndingError (facts: StreamEndingFacts): Error | undefined {
  if (facts.connectionFailure != null && facts.error !== facts.connectionFailure) {
    const failure = facts.connectionFailure
    return withCause(new ConnectionFailedError(`the stream's connection failed - ${failure.name}: ${failure.message}`), failure)
  }

  if (facts.error != null) {
    return facts.error
  }

  if (facts.remoteEnded || facts.readClosed) {
    return undefined
  }

  return new ConnectionClosedError('the connection closed before the remote finished writing to this stream')
}
