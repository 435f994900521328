import type { MessageStream } from '@libp2p/interface'

/**
 * Whether anything of the stream's end has happened: the remote closed its
 * writable half, the stream closed or failed, or its readable side is done.
 * A stream in that state refuses bytes put back on it, and a layer that
 * attaches to it now will not hear of the end, which was told already.
 */
export function streamEnded (stream: MessageStream): boolean {
  // a muxed stream says when only the remote's half has ended; a raw connection may have only `status`
  const { readStatus, remoteWriteStatus } = stream as { readStatus?: string, remoteWriteStatus?: string }
  return stream.status !== 'open' ||
    readStatus === 'closing' || readStatus === 'closed' ||
    remoteWriteStatus === 'closing' || remoteWriteStatus === 'closed'
}
