import type { MessageStream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * Async iteration over a stream's `message` events that hands out every chunk
 * received before the stream closed, and only then its error. The iterator of
 * `AbstractMessageStream` ends an it-pushable with the error, which drops
 * chunks the reader has not pulled yet: data verified and delivered just
 * before a bad frame would be lost.
 */
export async function * drainThenFail (stream: MessageStream): AsyncGenerator<Uint8Array | Uint8ArrayList> {
  const queue: Array<Uint8Array | Uint8ArrayList> = []
  let ended = false
  let failure: Error | undefined
  let wake: (() => void) | undefined

  const onMessage = (evt: StreamMessageEvent): void => {
    queue.push(evt.data)
    wake?.()
  }
  const onClose = (evt: StreamCloseEvent): void => {
    ended = true
    failure = evt.error
    wake?.()
  }
  const onRemoteCloseWrite = (): void => {
    ended = true
    wake?.()
  }

  stream.addEventListener('message', onMessage)
  stream.addEventListener('close', onClose)
  stream.addEventListener('remoteCloseWrite', onRemoteCloseWrite)

  try {
    while (true) {
      const next = queue.shift()

      if (next != null) {
        yield next
      } else if (ended) {
        if (failure != null) throw failure
        return
      } else {
        await new Promise<void>(resolve => { wake = resolve })
        wake = undefined
      }
    }
  } finally {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('close', onClose)
    stream.removeEventListener('remoteCloseWrite', onRemoteCloseWrite)
  }
}
