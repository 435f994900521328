import type { StreamMuxer } from '@libp2p/interface'

/**
 * Calls `onAbort` once the muxer has aborted itself. A muxer may give up
 * without closing the connection under it (mplex past its new-stream limit
 * resets every stream, then ignores the remote), and tells nobody: the
 * `StreamMuxer` interface has no event for it. Its `abort` is the one door
 * every such failure goes through, so that is where we listen.
 */
export function onMuxerAbort (muxer: StreamMuxer, onAbort: (err: Error) => void): void {
  const abort = muxer.abort.bind(muxer)

  muxer.abort = (err: Error): void => {
    const wasOpen = muxer.status === 'open'
    abort(err)

    if (wasOpen) {
      onAbort(err)
    }
  }
}
