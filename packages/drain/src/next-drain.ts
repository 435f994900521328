import { StreamClosedError } from '@libp2p/utils'
import type { AbortOptions, StreamCloseEvent } from '@libp2p/interface'

/** What waiting for a drain needs of a stream: the flag and the two events every `MessageStream` has. */
export interface DrainSource {
  readonly status: string
  readonly writableNeedsDrain: boolean
  addEventListener: (type: 'drain' | 'close', listener: (evt: any) => void, options?: { once?: boolean }) => void
  removeEventListener: (type: 'drain' | 'close', listener: (evt: any) => void) => void
}

const ENDED = new Set(['closed', 'aborted', 'reset'])

/**
 * Resolves once `stream` can take more data: at once if it does not need a
 * drain, else at its next 'drain' event. Rejects if it closes first (with its
 * error, or `StreamClosedError`), or with the signal's reason on abort.
 *
 * This is what `MessageStream.onDrain` promises. The `onDrain` of
 * `@libp2p/utils` 7.4.1's `AbstractMessageStream` keeps the promise of its
 * first wait and hands it out, resolved, to every later one: after a
 * stream's first drain, `if (!stream.send(data)) await stream.onDrain()`
 * no longer waits, so a writer fills the stream's write buffer without bound
 * in a loop of microtasks that never lets the event loop run (not even to
 * send what it queued).
 */
export async function nextDrain (stream: DrainSource, options?: AbortOptions): Promise<void> {
  if (stream.writableNeedsDrain !== true) {
    return
  }

  const signal = options?.signal
  signal?.throwIfAborted()

  if (ENDED.has(stream.status)) {
    throw new StreamClosedError(`the stream is ${stream.status}: it will not drain`)
  }

  await new Promise<void>((resolve, reject) => {
    const settle = (): void => {
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
    }
    const onDrain = (): void => { settle(); resolve() }
    const onClose = (evt: StreamCloseEvent): void => { settle(); reject(evt.error ?? new StreamClosedError('the stream closed before it drained')) }
    const onAbort = (): void => { settle(); reject(signal?.reason) }

    stream.addEventListener('drain', onDrain, { once: true })
    stream.addEventListener('close', onClose, { once: true })
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
