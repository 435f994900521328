import { AbortError } from '@libp2p/interface'
import { setMaxListeners } from 'main-event'
import type { ClearableSignal } from '@libp2p/interface'

/** Why an upgrade-scoped signal fired: our own deadline, or the caller. */
export class DeadlineExceededError extends Error {
  static override name = 'DeadlineExceededError'

  constructor (readonly timeoutMs: number) {
    super(`deadline of ${timeoutMs} ms exceeded`)
    this.name = 'DeadlineExceededError'
  }
}

/**
 * One signal for one operation: it fires when the caller's signal fires or when
 * `timeoutMs` elapses, whichever is first. `clear()` must be called when the
 * operation ends so the timer and the listener on the caller's signal do not
 * outlive it (a finished upgrade must never be aborted later by its deadline).
 */
export function deadlineSignal (callerSignal: AbortSignal | undefined, timeoutMs: number): ClearableSignal {
  const controller = new AbortController()
  // every read and write of the operation listens on this signal
  setMaxListeners(Infinity, controller.signal)

  const onCallerAbort = (): void => {
    controller.abort(callerSignal?.reason ?? new AbortError())
  }

  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => { controller.abort(new DeadlineExceededError(timeoutMs)) }, timeoutMs)
    : undefined

  if (callerSignal?.aborted === true) {
    onCallerAbort()
  } else {
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true })
  }

  return Object.assign(controller.signal, {
    clear (): void {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onCallerAbort)
    }
  })
}
