import { AbortError } from '@libp2p/interface'
import type { AbortOptions } from '@libp2p/interface'

/**
 * One dial attempt shared by every caller that wants the same peer at the same
 * time. Each caller may give up with its own signal; the attempt itself is
 * only aborted once every caller has given up.
 */
export class SharedDial<T> {
  private readonly controller = new AbortController()
  private readonly result: Promise<T>
  private waiters = 0

  constructor (run: (signal: AbortSignal) => Promise<T>) {
    this.result = run(this.controller.signal)
    // callers observe the outcome through join(); nothing else awaits this one
    this.result.catch(() => {})
  }

  get settled (): Promise<unknown> {
    return this.result.then(() => {}, () => {})
  }

  abort (reason: Error): void {
    this.controller.abort(reason)
  }

  async join (options: AbortOptions = {}): Promise<T> {
    const signal = options.signal
    signal?.throwIfAborted()
    this.waiters++

    let onAbort: (() => void) | undefined
    const abandoned = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        reject(signal?.reason ?? new AbortError('the dial was aborted'))

        if (--this.waiters === 0) {
          this.controller.abort(signal?.reason)
        }
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })

    try {
      return await (signal == null ? this.result : Promise.race([this.result, abandoned]))
    } finally {
      if (onAbort != null) signal?.removeEventListener('abort', onAbort)
      if (signal?.aborted !== true) this.waiters--
    }
  }
}
