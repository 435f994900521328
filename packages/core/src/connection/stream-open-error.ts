import { ConnectionFailedError } from '@libp2p/interface'
import { withCause } from '../errors.js'

/**
 * What `newStream()` rejects with when opening failed. Below it, a muxer may
 * reject with a bare `Error` (yamux's "Remote sent GoAway") and
 * multistream-select with the stream's close event itself when the
 * connection dies mid-negotiation: neither names anything. Those become a
 * `ConnectionFailedError` caused by the connection's first failure (or by
 * what was thrown); named errors pass through unchanged.
 */
export function streamOpenError (thrown: unknown, connectionFailure: Error | undefined): Error {
  if (thrown instanceof Error && thrown.name !== 'Error') return thrown

  const reason = thrown instanceof Error ? thrown : (thrown as { error?: unknown } | undefined)?.error
  const cause = connectionFailure ?? (reason instanceof Error ? reason : undefined)
  const said = cause == null ? 'it closed' : `${cause.name}: ${cause.message}`
  const err = new ConnectionFailedError(`cannot open a stream: the connection failed - ${said}`)
  return cause == null ? err : withCause(err, cause)
}
