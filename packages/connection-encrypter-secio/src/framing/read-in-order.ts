// Not shared with @uplink/core's connection/read-in-order.ts: an adapter must not depend on core, and the two end and push back differently.
import type { InflowGate } from './inflow-gate.js'
import type { MessageStream, StreamMessageEvent } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ReadInOrderInit {
  /** Paused while this reader has `highWater` bytes or more it has not yielded yet. */
  inflow: InflowGate
  highWater: number
  /** Why the stream ended, once it has (undefined for a clean end). */
  endError(): Error | undefined
}

/**
 * Async iteration over a stream's `message` events that yields every chunk the
 * stream dispatched, in order, and only then ends: cleanly, or by throwing the
 * stream's error. It ends on the stream's `end` event, which comes only once
 * the stream has dispatched every buffered byte (also across `pause()` and
 * `resume()`), never on `close` or `remoteCloseWrite`, which can come while
 * bytes still wait. `AbstractMessageStream`'s own iterator ends on those and
 * drops what waits (see `docs/SECIO.md`).
 *
 * Bounded: when the reader falls `highWater` bytes behind, the raw source is
 * paused until it catches up to half of that.
 */
export async function * readInOrder (stream: MessageStream & { readonly readableEnded: boolean }, init: ReadInOrderInit): AsyncGenerator<Uint8Array | Uint8ArrayList> {
  const queue: Array<Uint8Array | Uint8ArrayList> = []
  const holder = Symbol('reader')
  let queued = 0
  let ended = stream.readableEnded
  let wake: (() => void) | undefined

  const onMessage = (evt: StreamMessageEvent): void => {
    queue.push(evt.data)
    queued += evt.data.byteLength

    if (queued >= init.highWater) {
      init.inflow.hold(holder)
    }

    wake?.()
  }
  const onEnd = (): void => {
    ended = true
    wake?.()
  }

  stream.addEventListener('message', onMessage)
  stream.addEventListener('end', onEnd)

  try {
    while (true) {
      const next = queue.shift()

      if (next != null) {
        queued -= next.byteLength

        if (queued <= init.highWater / 2) {
          init.inflow.release(holder)
        }

        yield next
      } else if (ended) {
        const error = init.endError()
        if (error != null) throw error
        return
      } else {
        await new Promise<void>(resolve => { wake = resolve })
        wake = undefined
      }
    }
  } finally {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('end', onEnd)
    init.inflow.release(holder)
  }
}
