import { StreamAbortEvent, StreamCloseEvent, StreamResetError, StreamResetEvent } from '@libp2p/interface'
import { AbstractMessageStream, UnexpectedEOFError } from '@libp2p/utils'
import { nextDrain } from '@uplink/drain'
import { COALESCE_UP_TO, READER_HIGH_WATER } from '../constants.js'
import { FrameDecoder } from './frame-decoder.js'
import { InflowGate } from './inflow-gate.js'
import { OutgoingFrames } from './outgoing-frames.js'
import { readInOrder } from './read-in-order.js'
import { whenWritten } from './when-written.js'
import type { FrameOpener, FrameSealer } from './frame-cipher.js'
import type { AbortOptions, MessageStream } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SecioStreamInit {
  sealer: FrameSealer
  opener: FrameOpener
  /** Largest frame accepted from the peer (ciphertext + MAC). */
  maxFrameLength: number
  /** Largest plaintext per outgoing frame; longer writes are split. */
  maxSendChunk: number
  /** Bytes the handshake read past its last frame: the first data frames, already received. */
  leftover?: Uint8ArrayList
}

/** Why the raw connection is paused: the reader paused us, or decrypted bytes wait that nobody has taken. */
const PAUSED = Symbol('paused')
const UNREAD = Symbol('unread')

/**
 * The secured connection: a v3 `MessageStream` over the raw one. The first
 * write of a turn of the event loop leaves at once as a frame, the writes
 * after it in that turn share one frame (see `OutgoingFrames`); each frame
 * received is delivered as one chunk.
 *
 * Backpressure passes through both ways: our drain is the raw stream's, and
 * the raw stream is paused whenever decrypted bytes wait for a reader (paused,
 * not attached yet, or an iterator that fell behind), so what waits is bounded
 * by one raw read plus one frame instead of growing.
 *
 * A frame that fails its length, MAC or replay check resets the peer at once;
 * the frames decrypted before it still reach the reader, then the named
 * error. The same holds when the raw connection fails under us; a remote reset
 * keeps the raw connection's error as `cause`.
 */
export class SecioStream extends AbstractMessageStream {
  private readonly raw: MessageStream
  private readonly outgoing: OutgoingFrames
  private readonly opener: FrameOpener
  private readonly decoder: FrameDecoder
  private readonly inflow: InflowGate
  private closing?: Promise<void>
  /** Why the stream ended, once it has; what a reader gets after the last byte. */
  private endError?: Error
  private rawClosed = false

  constructor (raw: MessageStream, init: SecioStreamInit) {
    super({
      log: raw.log.newScope('secio'),
      direction: raw.direction,
      inactivityTimeout: raw.inactivityTimeout,
      // what can arrive after the raw connection is paused: the frame in progress and the raw read that completes it
      maxReadBufferLength: init.maxFrameLength + raw.maxReadBufferLength,
      // AbstractMessageStream hands sendData at most this much at a time
      maxMessageSize: init.maxSendChunk
    })

    this.raw = raw
    this.outgoing = new OutgoingFrames({
      sealer: init.sealer,
      maxPlaintext: init.maxSendChunk,
      sendAt: COALESCE_UP_TO,
      send: frame => this.raw.send(frame),
      // the write that added these bytes already returned: the next one waits for the raw connection's drain
      onFull: () => { this.onMuxerNeedsDrain() },
      onError: err => { this.fail(err, 'aborted') }
    })
    this.opener = init.opener
    this.decoder = new FrameDecoder({ min: init.opener.macLength, max: init.maxFrameLength })
    this.inflow = new InflowGate(raw)

    raw.addEventListener('message', (evt) => { this.receive(evt.data) })
    raw.addEventListener('close', (evt) => { this.onRawClose(evt) })
    raw.addEventListener('drain', () => { this.safeDispatchEvent('drain') })
    raw.addEventListener('remoteCloseWrite', () => { this.onRawRemoteCloseWrite() })
    this.addEventListener('close', (evt) => { this.endError ??= evt.error })
    this.catchUp(init.leftover)
  }

  /**
   * The data frames, and even the raw stream's end, may have come in with the
   * last handshake frame, before these listeners existed (a peer that sends
   * its nonce frame and a first message, then closes): take them now, in that
   * order, so they reach the reader as if they had come later.
   */
  private catchUp (leftover?: Uint8ArrayList): void {
    if (leftover != null && leftover.byteLength > 0) {
      this.receive(leftover)
    }

    const { status } = this.raw
    // a muxed stream says when only the remote's half has ended; a raw connection only has `status`
    const { remoteWriteStatus } = this.raw as { remoteWriteStatus?: string }

    if (status === 'reset' || status === 'aborted') {
      this.fail(new StreamResetError('the connection ended in error as the handshake finished'), 'reset')
    } else if (status === 'closed') {
      this.onRawClose(new StreamCloseEvent())
    } else if (remoteWriteStatus === 'closed') {
      this.onRawRemoteCloseWrite()
    }
  }

  readonly [Symbol.toStringTag] = '@uplink/secio-stream'

  /** Every chunk delivered before the end reaches the reader, in order, then the end or the error. */
  override [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array | Uint8ArrayList> {
    return readInOrder(this, { inflow: this.inflow, highWater: READER_HIGH_WATER, endError: () => this.endError })
  }

  private receive (data: Uint8Array | Uint8ArrayList): void {
    if (this.status !== 'open' && this.status !== 'closing') {
      return
    }

    const { frames, error } = this.decoder.push(data)

    for (const frame of frames) {
      let plaintext: Uint8ArrayList

      try {
        plaintext = this.opener.openPieces(frame)
      } catch (err: any) {
        this.fail(err, 'aborted')
        return
      }

      this.onData(plaintext)
    }

    if (error != null) {
      // only after the good frames cut from the same read were delivered
      this.fail(error, 'aborted')
      return
    }

    if (this.readBuffer.byteLength > 0) {
      this.inflow.hold(UNREAD)
    }
  }

  protected override dispatchReadBuffer (): void {
    super.dispatchReadBuffer()

    if (this.readBuffer.byteLength === 0) {
      this.inflow.release(UNREAD)
    }
  }

  private onRawClose (evt: StreamCloseEvent): void {
    if (this.rawClosed) return
    this.rawClosed = true

    if (evt.error != null) {
      // a reset by the peer, or a failure under us (e.g. a socket error): either way the first real reason stays reachable
      const error = evt.local === true ? evt.error : Object.assign(new StreamResetError('the connection was reset by the remote'), { cause: evt.error })
      this.fail(error, evt.local === true ? 'aborted' : 'reset')
    } else if (this.decoder.pending > 0) {
      // a clean end inside a frame is a truncated transfer, not the end of the data
      this.fail(new UnexpectedEOFError(`the connection ended ${this.decoder.pending} bytes into a frame`), 'aborted')
    } else {
      this.onTransportClosed()
    }
  }

  private onRawRemoteCloseWrite (): void {
    // a raw connection may close for good right after telling us (a TCP socket does, on the remote's FIN): what
    // this turn wrote goes out now, while it still can
    this.flushNow()

    if (this.decoder.pending > 0) {
      this.fail(new UnexpectedEOFError(`the remote closed its end ${this.decoder.pending} bytes into a frame`), 'aborted')
    } else {
      this.onRemoteCloseWrite()
    }
  }

  /**
   * Ends both directions with `err`. Unlike `abort()`, bytes already
   * decrypted stay readable: a paused or not yet attached reader gets them on
   * `resume()` or when it attaches, and the `end` event (an iterator's throw)
   * only after them. The raw connection is reset at once either way.
   */
  private fail (err: Error, status: 'aborted' | 'reset'): void {
    if (this.status !== 'open' && this.status !== 'closing') {
      return
    }

    this.log.error('%s - %e', status, err)
    this.status = status
    this.endError = err
    this.writeStatus = 'closed'
    this.remoteWriteStatus = 'closed'
    this.remoteReadStatus = 'closed'
    this.timeline.close = Date.now()

    this.outgoing.discard()

    if (this.writeBuffer.byteLength > 0) {
      this.writeBuffer.consume(this.writeBuffer.byteLength)
      this.safeDispatchEvent('idle')
    }

    if (this.readBuffer.byteLength === 0) {
      this.readStatus = 'closed'
    }

    this.maybeDispatchEnd()

    if (this.raw.status === 'open' || this.raw.status === 'closing') {
      this.raw.abort(err)
    }

    this.dispatchEvent(status === 'reset' ? new StreamResetEvent(err) : new StreamAbortEvent(err))
  }

  private flushNow (): void {
    if (this.status !== 'open' && this.status !== 'closing') {
      return
    }

    try {
      this.outgoing.flush()
    } catch (err: any) {
      this.fail(err, 'aborted')
    }
  }

  /** Not the inherited onDrain, which no longer waits once the stream has drained once (see `@uplink/drain`). */
  override async onDrain (options?: AbortOptions): Promise<void> {
    return nextDrain(this, options)
  }

  sendData (data: Uint8ArrayList): SendResult {
    return {
      sentBytes: data.byteLength,
      canSendMore: this.outgoing.write(data)
    }
  }

  sendReset (err: Error): void {
    this.outgoing.discard()
    this.raw.abort(err)
  }

  sendPause (): void {
    this.inflow.hold(PAUSED)
  }

  sendResume (): void {
    this.inflow.release(PAUSED)
  }

  /**
   * Flushes what is still queued (sealed in order), then closes the raw
   * connection. Every call made while a close is under way gets that close's
   * outcome; the first call's signal bounds it, and if it fails (or the
   * stream is aborted meanwhile) the stream is aborted and every caller gets
   * the error. On a stream that has already ended, close() resolves at once.
   */
  async close (options?: AbortOptions): Promise<void> {
    this.closing ??= this.closeGracefully(options)
    return this.closing
  }

  private async closeGracefully (options?: AbortOptions): Promise<void> {
    if (this.status !== 'open') {
      return
    }

    this.status = 'closing'
    this.writeStatus = 'closing'

    try {
      await whenWritten(this, () => this.sendingData || this.writeBuffer.byteLength > 0, options?.signal)
      // the last frame goes out now, not on the next tick: the raw close below must come after it
      this.outgoing.flush()
      // An in-memory connection (the pairs of @libp2p/utils, which the upstream compliance suite uses) delivers in
      // promise continuations and drops what reaches an end that is closing: so let this turn of the event loop
      // finish first, and the peer's answers to our last frames, on their way in it, land before we close.
      await new Promise<void>(resolve => { setImmediate(resolve) })

      // (ended meanwhile: by an abort, whose error is thrown below, or by the remote's clean close)
      if (this.status === 'closing') {
        await this.raw.close(options)
      }
    } catch (err: any) {
      this.abort(err)
      throw this.endError ?? err
    }

    if (this.status === 'closing') {
      // the raw stream closed without an event reaching us
      this.onTransportClosed()
    }

    if (this.endError != null) {
      throw this.endError
    }
  }
}
