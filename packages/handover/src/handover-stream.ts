import { StreamResetError } from '@libp2p/interface'
import { AbstractMessageStream } from '@libp2p/utils'
import { nextDrain } from '@uplink/drain'
import { withCause } from './with-cause.js'
import type { AbortOptions, MessageStream, StreamCloseEvent } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

/** How the raw stream ended, from the least final to the most. */
type RawEnd =
  | { kind: 'remote-close-write' }
  | { kind: 'close' }
  | { kind: 'error', error: Error }

const FINALITY: Record<RawEnd['kind'], number> = { 'remote-close-write': 0, close: 1, error: 2 }

export interface HandoverInit {
  /** The log scope under the raw stream's logger (`plaintext`, `mss`). */
  logScope: string
}

/**
 * What a handshake or a negotiation hands on: the raw stream, unchanged both
 * ways, starting with the bytes it read past its last message.
 *
 * The raw stream's end is told only after every byte that came before it has
 * been dispatched. The next layer attaches after the handshake, so an end
 * that arrived meanwhile (with the handshake's last message, or between the
 * hand-over and the first read) would otherwise have been told to nobody: an
 * iterator then waits forever after the last byte, and a stream whose
 * readable side has ended refuses the bytes put back on it.
 */
export function handoverStream (raw: MessageStream, leftover: Uint8ArrayList, init: HandoverInit): MessageStream {
  return new HandoverStream(raw, leftover, init)
}

class HandoverStream extends AbstractMessageStream {
  private readonly raw: MessageStream
  /** An end of the raw stream not told yet, because bytes before it wait for a reader. */
  private heldEnd?: RawEnd

  constructor (raw: MessageStream, leftover: Uint8ArrayList, init: HandoverInit) {
    super({
      log: raw.log.newScope(init.logScope),
      direction: raw.direction,
      inactivityTimeout: raw.inactivityTimeout,
      maxReadBufferLength: raw.maxReadBufferLength
    })

    this.raw = raw
    raw.addEventListener('message', (evt) => { this.onData(evt.data) })
    raw.addEventListener('drain', () => { this.safeDispatchEvent('drain') })
    raw.addEventListener('remoteCloseWrite', () => { this.onRawEnd({ kind: 'remote-close-write' }) })
    raw.addEventListener('close', (evt) => { this.onRawClose(evt) })

    if (leftover.byteLength > 0) {
      this.onData(leftover)
    }

    this.catchUp()
  }

  readonly [Symbol.toStringTag] = '@uplink/handover-stream'

  /** The raw stream may have ended during the handshake, before our listeners existed. */
  private catchUp (): void {
    const { status } = this.raw
    // a muxed stream says when only the remote's half has ended; a raw connection only has `status`
    const { remoteWriteStatus } = this.raw as { remoteWriteStatus?: string }

    if (status === 'reset' || status === 'aborted') {
      this.onRawEnd({ kind: 'error', error: new StreamResetError('the connection ended in error before the next layer took it over') })
    } else if (status === 'closed') {
      this.onRawEnd({ kind: 'close' })
    } else if (remoteWriteStatus === 'closed') {
      this.onRawEnd({ kind: 'remote-close-write' })
    }
  }

  private onRawClose (evt: StreamCloseEvent): void {
    if (evt.error == null) {
      this.onRawEnd({ kind: 'close' })
    } else {
      // a reset by the peer, or a failure under us (a socket error): either way the first real reason stays reachable
      const error = evt.local === true ? evt.error : withCause(new StreamResetError('the connection was reset by the remote'), evt.error)
      this.onRawEnd({ kind: 'error', error })
    }
  }

  private onRawEnd (end: RawEnd): void {
    if (this.status !== 'open' && this.status !== 'closing') {
      return
    }

    if (this.heldEnd == null || FINALITY[end.kind] > FINALITY[this.heldEnd.kind]) {
      this.heldEnd = end
    }

    if (end.kind !== 'remote-close-write') {
      // nothing more can be written, whether or not the reader has caught up
      this.writeStatus = 'closed'
      this.remoteReadStatus = 'closed'
    }

    this.tellEndOnceRead()
  }

  protected override dispatchReadBuffer (): void {
    super.dispatchReadBuffer()
    this.tellEndOnceRead()
  }

  private tellEndOnceRead (): void {
    const end = this.heldEnd

    if (end == null || this.readBuffer.byteLength > 0) {
      return
    }

    this.heldEnd = undefined

    if (end.kind === 'error') {
      // nothing unread is lost: the buffer is empty
      this.abort(end.error)
    } else if (end.kind === 'close') {
      this.onTransportClosed()
    } else {
      this.onRemoteCloseWrite()
      // nothing is left to read: a reader that comes later must see the end rather than wait for an event already gone
      this.readStatus = 'closed'
      this.maybeDispatchEnd()
    }
  }

  /** Not the inherited onDrain, which no longer waits once the stream has drained once (see `@uplink/drain`). */
  override async onDrain (options?: AbortOptions): Promise<void> {
    return nextDrain(this, options)
  }

  sendData (data: Uint8ArrayList): SendResult {
    return {
      sentBytes: data.byteLength,
      canSendMore: this.raw.send(data)
    }
  }

  sendReset (err: Error): void {
    this.raw.abort(err)
  }

  sendPause (): void {
    // pausing or resuming a raw stream that has ended throws, and there is nothing left to hold back
    if (this.rawReadable()) this.raw.pause()
  }

  sendResume (): void {
    if (this.rawReadable()) this.raw.resume()
  }

  private rawReadable (): boolean {
    const { readStatus } = this.raw as { readStatus?: string }
    return readStatus !== 'closing' && readStatus !== 'closed'
  }

  /**
   * Flushes what is queued, then closes the raw stream (a connection
   * entirely, a muxed stream its writable end); its end then ends this one.
   */
  async close (options?: AbortOptions): Promise<void> {
    if (this.status !== 'open') {
      return
    }

    this.status = 'closing'
    this.writeStatus = 'closing'

    try {
      await this.written(options)
      await this.raw.close(options)
    } catch (err: any) {
      this.abort(err)
      throw err
    }

    if (this.writeStatus === 'closing') {
      this.writeStatus = 'closed'
    }
  }

  /** Resolves once everything queued has been handed to the raw stream. */
  private async written (options?: AbortOptions): Promise<void> {
    if (!this.sendingData && this.writeBuffer.byteLength === 0) {
      return
    }

    const signal = options?.signal
    signal?.throwIfAborted()

    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        this.removeEventListener('idle', onIdle)
        this.removeEventListener('close', onClose)
        signal?.removeEventListener('abort', onAbort)
        if (err == null) resolve()
        else reject(err)
      }
      const onIdle = (): void => { done() }
      const onClose = (evt: StreamCloseEvent): void => { done(evt.error ?? new StreamResetError('the stream ended before its queued bytes were written')) }
      const onAbort = (): void => { done(signal?.reason) }

      this.addEventListener('idle', onIdle)
      this.addEventListener('close', onClose)
      signal?.addEventListener('abort', onAbort)
    })
  }
}
