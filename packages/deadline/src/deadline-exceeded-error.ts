import { TimeoutError } from '@libp2p/interface'

/**
 * A deadline ran out (the caller did not abort). It is a `TimeoutError` by
 * class and by `name`, so `err.name === 'TimeoutError'` matches it in every
 * layer, and `instanceof DeadlineExceededError` tells a deadline from a
 * caller's abort across packages.
 */
export class DeadlineExceededError extends TimeoutError {
  readonly timeoutMs: number

  constructor (timeoutMs: number, what = 'the operation') {
    super(`${what} exceeded its deadline of ${timeoutMs} ms`)
    this.timeoutMs = timeoutMs
  }
}
