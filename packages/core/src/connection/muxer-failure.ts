import { ConnectionFailedError } from '@libp2p/interface'
import { withCause } from '../errors.js'
import type { StreamMuxer } from '@libp2p/interface'

/**
 * Upstream muxers that give up on their own (yamux on a GoAway with an error
 * code, mplex past its new-stream rate limit) abort their streams with a plain
 * `Error` and leave the connection under them open, with no muxer to serve
 * it: a connection that looks alive and closes "cleanly" later. This makes
 * such an abort the connection's failure instead: `onAbort` gets it, named,
 * and the returned function is the muxer's own abort, for the connection to
 * call as it fails.
 */
export function takeOverMuxerAbort (muxer: StreamMuxer, onAbort: (err: Error) => void): (err: Error) => void {
  const abortMuxer = muxer.abort.bind(muxer)
  muxer.abort = (err: Error) => { onAbort(namedMuxerFailure(err)) }
  return abortMuxer
}

function namedMuxerFailure (err: Error): Error {
  if (err.name !== 'Error' && err.name !== '') return err
  return withCause(new ConnectionFailedError(`the stream muxer failed - ${err.message}`), err)
}
