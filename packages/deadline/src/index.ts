/**
 * @packageDocumentation
 *
 * The one deadline mechanism shared by Uplink's upgrader, connections and
 * crypto channels: `deadlineSignal(callerSignal, ms)` gives a `ClearableSignal`
 * that fires at the caller's abort or when the time is up, and `clear()`
 * leaves no timer or listener behind. `DeadlineExceededError` is a
 * `TimeoutError`.
 *
 * @module @uplink/deadline
 */

export { DeadlineExceededError } from './deadline-exceeded-error.js'
export { deadlineSignal, isDeadlineExceeded, withDeadline } from './deadline-signal.js'
