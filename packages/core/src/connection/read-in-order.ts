import type { MessageStream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Bytes a reader may hold before it asks the stream to stop the remote. */
const READER_HIGH_WATER = 1024 * 1024

export interface ReaderHooks {
  /** How the stream ended, if it already told its end before this reader started. */
  ended: () => { error?: Error } | undefined
  /** The reader holds more than it wants (`true`) or has caught up (`false`). */
  backlog: (full: boolean) => void
}

/**
 * Async iteration over a stream's `message` events that yields every chunk
 * received, in order, and only then ends (the remote closed its writable end)
 * or throws (the stream closed with an error). The upstream iterator ends its
 * queue with the error, which drops chunks not yet pulled, and ends on the
 * remote's half-close while paused bytes still wait.
 */
export async function * readInOrder (stream: MessageStream, hooks: ReaderHooks): AsyncGenerator<Uint8Array | Uint8ArrayList> {
  const queue: Array<Uint8Array | Uint8ArrayList> = []
  let queued = 0
  let full = false
  let end = hooks.ended()
  let wake: (() => void) | undefined

  const onMessage = (evt: StreamMessageEvent): void => {
    queue.push(evt.data)
    queued += evt.data.byteLength

    if (!full && queued > READER_HIGH_WATER) {
      full = true
      hooks.backlog(true)
    }

    wake?.()
  }
  // the first end told wins: a remote that finished writing is a clean end even if the stream errors later
  const onRemoteCloseWrite = (): void => {
    end ??= {}
    wake?.()
  }
  const onClose = (evt: StreamCloseEvent): void => {
    end ??= { error: evt.error }
    wake?.()
  }

  stream.addEventListener('message', onMessage)
  stream.addEventListener('remoteCloseWrite', onRemoteCloseWrite)
  stream.addEventListener('close', onClose)

  try {
    while (true) {
      const next = queue.shift()

      if (next != null) {
        queued -= next.byteLength

        if (full && queue.length === 0) {
          full = false
          hooks.backlog(false)
        }

        yield next
      } else if (end != null) {
        if (end.error != null) throw end.error
        return
      } else {
        await new Promise<void>(resolve => { wake = resolve })
        wake = undefined
      }
    }
  } finally {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('remoteCloseWrite', onRemoteCloseWrite)
    stream.removeEventListener('close', onClose)

    if (full) hooks.backlog(false)
  }
}
