import type { MessageStream, MessageStreamReadStatus } from '@libp2p/interface'

/**
 * Backpressure towards the raw connection: the raw source is paused while at
 * least one holder holds the gate (a paused reader, decrypted bytes nobody has
 * taken yet, an iterator that has fallen behind) and resumed when the last
 * one lets go. Holding twice is holding once; releasing what is not held does
 * nothing.
 */
export class InflowGate {
  private readonly source: MessageStream
  private readonly holders = new Set<unknown>()
  private paused = false

  constructor (source: MessageStream) {
    this.source = source
  }

  hold (holder: unknown): void {
    if (this.holders.has(holder)) {
      return
    }

    this.holders.add(holder)

    if (!this.paused && this.reading()) {
      this.paused = true
      this.source.pause()
    }
  }

  release (holder: unknown): void {
    if (!this.holders.delete(holder) || this.holders.size > 0 || !this.paused) {
      return
    }

    this.paused = false

    if (this.reading()) {
      this.source.resume()
    }
  }

  /**
   * A source that has stopped reading cannot be paused or resumed, and need
   * not be. `readStatus` is not part of the `MessageStream` interface, so a
   * source without it is judged by its `status`.
   */
  private reading (): boolean {
    const { readStatus } = this.source as Partial<{ readStatus: MessageStreamReadStatus }>

    return readStatus == null
      ? this.source.status === 'open' || this.source.status === 'closing'
      : readStatus === 'readable' || readStatus === 'paused'
  }
}
