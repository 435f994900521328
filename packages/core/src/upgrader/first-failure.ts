import type { MessageStream, StreamCloseEvent } from '@libp2p/interface'

/**
 * The first real reason a connection failed. One failure makes every layer
 * above it fail with errors of its own (a muxer sees its stream close, a
 * multistream-select read sees an unexpected end); the one recorded first is
 * the cause users are told about, whatever a later layer threw.
 */
export class FirstFailure {
  private error?: Error

  get first (): Error | undefined {
    return this.error
  }

  record (err: unknown): void {
    if (this.error == null && err instanceof Error) {
      this.error = err
    }
  }

  /**
   * Records the error a stream closes with. Listening from the start of the
   * upgrade puts this listener ahead of every layer built on the stream later,
   * so the failure is known before they react to it.
   */
  watch (stream: MessageStream): void {
    stream.addEventListener('close', (evt: StreamCloseEvent) => {
      this.record(evt.error)
    }, { once: true })
  }
}
