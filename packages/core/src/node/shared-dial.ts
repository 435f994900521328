import { AbortError } from '@libp2p/interface'
import type { AbortOptions } from '@libp2p/interface'

/**
 * One dial attempt shared by every caller that wants the same peer at the same
 * time. Each caller may give up with its own signal; the attempt is aborted
 * only when every caller has given up, and is then "abandoned": the node must
 * forget it at once so the next caller starts a fresh attempt instead of
 * inheriting the last caller's abort reason.
 */
export class SharedDial<T> {
  private readonly controller = new AbortController()
  private readonly result: Promise<T>
  private readonly onAbandoned: () => void
  private waiters = 0
  private done = false
  abandoned = false

  constructor (run: (signal: AbortSignal) => Promise<T>, onAbandoned: () => void = () => {}) {
    this.onAbandoned = onAbandoned
    this.result = run(this.controller.signal)
    this.result.then(() => { this.done = true }, () => { this.done = true })
  }

  /** Settles when the attempt does, whatever its outcome (for a node that stops and waits for its dials). */
  get settled (): Promise<void> {
    return this.result.then(() => {}, () => {})
  }

  abort (reason: Error): void {
    this.controller.abort(reason)
  }

  async join (options: AbortOptions = {}): Promise<T> {
    const { signal } = options
    signal?.throwIfAborted()

    if (signal == null) {
      // a caller without a signal never gives up: the attempt cannot be abandoned while it waits
      this.waiters++

      try {
        return await this.result
      } finally {
        this.waiters--
      }
    }

    this.waiters++

    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason ?? new AbortError('the dial was aborted'))
        this.leave(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.result.then((value) => {
        signal.removeEventListener('abort', onAbort)
        this.waiters--
        resolve(value)
      }, (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        this.waiters--
        reject(err)
      })
    })
  }

  private leave (reason: unknown): void {
    if (--this.waiters > 0 || this.done) return
    this.abandoned = true
    this.controller.abort(reason)
    this.onAbandoned()
  }
}
