// Not shared with @uplink/secio's framing/read-in-order.ts: adapters must not depend on core, and the two end and push back differently.
import type { MessageStream, StreamMessageEvent } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Bytes a reader may hold before it asks the stream to stop the remote. */
const READER_HIGH_WATER = 1024 * 1024

export interface ReaderHooks {
  /**
   * How the stream's readable side ended, once nothing is left to hand out:
   * `{}` for the remote's clean end, `{ error }` for a failure, undefined while
   * bytes may still come. Asked whenever the reader has nothing queued, so a
   * stream given bytes back after telling its end (an `unshift()` by a
   * protocol negotiation that read ahead) is read to those bytes first.
   */
  ended: () => { error?: Error } | undefined
  /** The reader holds more than it wants (`true`) or has caught up (`false`). */
  backlog: (full: boolean) => void
}

/**
 * Async iteration over a stream's `message` events that yields every chunk
 * received, in order, and only then ends or throws. The upstream iterator ends
 * its queue with the error, which drops chunks not yet pulled, and ends on the
 * remote's half-close while paused bytes still wait.
 */
export async function * readInOrder (stream: MessageStream, hooks: ReaderHooks): AsyncGenerator<Uint8Array | Uint8ArrayList> {
  const queue: Array<Uint8Array | Uint8ArrayList> = []
  let queued = 0
  let full = false
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
  const onEnd = (): void => { wake?.() }

  stream.addEventListener('message', onMessage)
  stream.addEventListener('remoteCloseWrite', onEnd)
  stream.addEventListener('close', onEnd)

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
        continue
      }

      const end = hooks.ended()

      if (end != null) {
        if (end.error != null) throw end.error
        return
      }

      await new Promise<void>(resolve => { wake = resolve })
      wake = undefined
    }
  } finally {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('remoteCloseWrite', onEnd)
    stream.removeEventListener('close', onEnd)

    if (full) hooks.backlog(false)
  }
}
