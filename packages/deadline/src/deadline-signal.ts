import { AbortError } from '@libp2p/interface'
import { setMaxListeners } from 'main-event'
import { DeadlineExceededError } from './deadline-exceeded-error.js'
import type { ClearableSignal } from '@libp2p/interface'

/**
 * One signal for one operation: it fires when the caller's signal fires (with
 * the caller's reason) or when `timeoutMs` elapse (with a
 * `DeadlineExceededError`), whichever is first. `clear()` must run when the
 * operation ends: it cancels the timer and detaches from the caller's signal,
 * so a finished operation pins nothing and is never aborted later.
 *
 * Unlike `AbortSignal.timeout()`, whose timer lives until it fires, nothing
 * here outlives `clear()`.
 */
export function deadlineSignal (callerSignal: AbortSignal | undefined, timeoutMs: number, what?: string): ClearableSignal {
  const controller = new AbortController()
  // every read and write of the operation listens on this signal
  setMaxListeners(Infinity, controller.signal)

  const onCallerAbort = (): void => {
    controller.abort(callerSignal?.reason ?? new AbortError())
  }

  let timer: ReturnType<typeof setTimeout> | undefined

  if (callerSignal?.aborted === true) {
    onCallerAbort()
  } else {
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true })

    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        callerSignal?.removeEventListener('abort', onCallerAbort)
        controller.abort(new DeadlineExceededError(timeoutMs, what))
      }, timeoutMs)
    }
  }

  return Object.assign(controller.signal, {
    clear (): void {
      clearTimeout(timer)
      timer = undefined
      callerSignal?.removeEventListener('abort', onCallerAbort)
    }
  })
}

/**
 * Runs `operation` under `deadlineSignal(callerSignal, timeoutMs)` and clears
 * the signal however the operation ends.
 */
export async function withDeadline <T> (callerSignal: AbortSignal | undefined, timeoutMs: number, operation: (signal: AbortSignal) => Promise<T>, what?: string): Promise<T> {
  const signal = deadlineSignal(callerSignal, timeoutMs, what)

  try {
    return await operation(signal)
  } finally {
    signal.clear()
  }
}

/** Whether a signal fired because its own deadline ran out, rather than because a caller aborted. */
export function isDeadlineExceeded (signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof DeadlineExceededError
}
