import type { StreamMuxer } from '@libp2p/interface'

/**
 * Takes over the muxer's `abort`. A muxer may give up without closing the
 * connection under it (mplex past its new-stream limit resets every stream,
 * then ignores the remote; yamux on a GoAway with an error code), and tells
 * nobody: the `StreamMuxer` interface has no event for it. Its `abort` is the
 * one door every such failure goes through, so the connection stands there:
 * `onAbort` hears the muxer give up *before* its streams are aborted, so the
 * connection can name the error they end with, and aborts the muxer through
 * the returned function, the muxer's own `abort`.
 */
export function takeOverMuxerAbort (muxer: StreamMuxer, onAbort: (err: Error) => void): (err: Error) => void {
  const abort = muxer.abort.bind(muxer)

  muxer.abort = (err: Error): void => {
    if (muxer.status === 'open') {
      onAbort(err)
    } else {
      abort(err)
    }
  }

  return abort
}
