import { StreamStateError } from '@libp2p/interface'
import type { MessageStream, StreamCloseEvent } from '@libp2p/interface'

/**
 * Resolves at once if nothing is queued for sending, else at the stream's
 * next `idle` event (its send queue has been handed down). Rejects with the
 * stream's error if it closes first, or with the signal's reason.
 */
export async function whenWritten (stream: MessageStream, queued: () => boolean, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted()

  if (!queued()) {
    return
  }

  await new Promise<void>((resolve, reject) => {
    const onIdle = (): void => {
      cleanUp()
      resolve()
    }
    const onClose = (evt: StreamCloseEvent): void => {
      cleanUp()
      reject(evt.error ?? new StreamStateError('the stream closed before its queued data was sent'))
    }
    const onAbort = (): void => {
      cleanUp()
      reject(signal?.reason)
    }
    const cleanUp = (): void => {
      stream.removeEventListener('idle', onIdle)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
    }

    stream.addEventListener('idle', onIdle)
    stream.addEventListener('close', onClose)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
