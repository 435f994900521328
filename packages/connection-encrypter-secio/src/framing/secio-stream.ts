import { AbstractMessageStream, UnexpectedEOFError } from '@libp2p/utils'
import { pEvent } from 'p-event'
import { drainThenFail } from './drain-then-fail.js'
import { FrameDecoder } from './frame-decoder.js'
import type { FrameOpener, FrameSealer } from './frame-cipher.js'
import type { AbortOptions, MessageStream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SecioStreamInit {
  sealer: FrameSealer
  opener: FrameOpener
  /** Largest frame accepted from the peer (ciphertext + MAC). */
  maxFrameLength: number
  /** Largest plaintext per outgoing frame; longer writes are split. */
  maxSendChunk: number
}

/**
 * The secured connection: a v3 `MessageStream` over the raw one, one SECIO
 * frame per chunk each way. Backpressure passes through in both directions
 * (our pause pauses the raw stream, its drain is ours). A frame that fails its
 * MAC or length check aborts the stream with that named error, and nothing
 * after it is delivered.
 */
export class SecioStream extends AbstractMessageStream {
  private readonly raw: MessageStream
  private readonly sealer: FrameSealer
  private readonly opener: FrameOpener
  private readonly decoder: FrameDecoder

  constructor (raw: MessageStream, init: SecioStreamInit) {
    super({
      log: raw.log.newScope('secio'),
      direction: raw.direction,
      inactivityTimeout: raw.inactivityTimeout,
      maxReadBufferLength: raw.maxReadBufferLength,
      // AbstractMessageStream hands sendData at most this much at a time
      maxMessageSize: init.maxSendChunk
    })

    this.raw = raw
    this.sealer = init.sealer
    this.opener = init.opener
    this.decoder = new FrameDecoder({ min: init.opener.macLength, max: init.maxFrameLength })

    const onMessage = (evt: StreamMessageEvent): void => {
      this.receive(evt.data)
    }
    const onClose = (evt: StreamCloseEvent): void => {
      if (evt.error == null && this.decoder.pending > 0) {
        // a clean end inside a frame is a truncated transfer, not the end of the data
        this.abort(new UnexpectedEOFError(`the connection ended ${this.decoder.pending} bytes into a frame`))
      } else if (evt.error == null) {
        this.onTransportClosed()
      } else if (evt.local === true) {
        this.abort(evt.error)
      } else {
        this.onRemoteReset()
      }
    }

    raw.addEventListener('message', onMessage)
    raw.addEventListener('close', onClose)
    raw.addEventListener('drain', () => { this.safeDispatchEvent('drain') })
    raw.addEventListener('remoteCloseWrite', () => { this.onRemoteCloseWrite() })
  }

  readonly [Symbol.toStringTag] = '@uplink/secio-stream'

  /** Every chunk delivered before a failure reaches the reader, then the failure. */
  override [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array | Uint8ArrayList> {
    if (this.readStatus !== 'readable' && this.readStatus !== 'paused') {
      return (async function * () {})()
    }

    return drainThenFail(this)
  }

  private receive (data: Uint8Array | Uint8ArrayList): void {
    if (this.status !== 'open' && this.status !== 'closing') {
      return
    }

    const { frames, error } = this.decoder.push(data)

    try {
      for (const frame of frames) {
        this.onData(this.opener.open(frame))
      }
    } catch (err: any) {
      this.abort(err)
      return
    }

    if (error != null) {
      // only after the good frames cut from the same read were delivered
      this.abort(error)
    }
  }

  sendData (data: Uint8ArrayList): SendResult {
    return {
      sentBytes: data.byteLength,
      canSendMore: this.raw.send(this.sealer.seal(data))
    }
  }

  sendReset (err: Error): void {
    this.raw.abort(err)
  }

  sendPause (): void {
    this.raw.pause()
  }

  sendResume (): void {
    this.raw.resume()
  }

  /** Flushes what is still queued (sealed in order), then closes the raw connection. */
  async close (options?: AbortOptions): Promise<void> {
    if (this.status !== 'open') {
      return
    }

    this.status = 'closing'
    this.writeStatus = 'closing'

    if (this.sendingData || this.writeBuffer.byteLength > 0) {
      await pEvent(this, 'idle', { ...options, rejectionEvents: ['close'] })
    }

    await this.raw.close(options)
  }
}
