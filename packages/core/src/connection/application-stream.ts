import { StreamBufferError, StreamCloseEvent, StreamMessageEvent, StreamStateError } from '@libp2p/interface'
import { nextDrain } from '@uplink/drain'
import { TypedEventEmitter } from 'main-event'
import { Uint8ArrayList } from 'uint8arraylist'
import { DEFAULT_MAX_STREAM_READ_BUFFER } from '../constants.js'
import { readInOrder } from './read-in-order.js'
import { streamEndingError } from './stream-ending.js'
import type {
  AbortOptions, Logger, MessageStreamEvents, MessageStreamReadStatus, MessageStreamStatus, MessageStreamTimeline,
  MessageStreamWriteStatus, Stream
} from '@libp2p/interface'

export interface ApplicationStreamInit {
  /** The first failure of the connection the stream runs on, if it has failed. */
  connectionFailure: () => Error | undefined
  /** Bytes received but not yet taken by the application before the stream is aborted with a `StreamBufferError`. */
  maxReadBufferLength?: number
}

/** How the muxer's stream ended, waiting to be told to the application after the bytes before it. */
interface Ending {
  error?: Error
  local: boolean
}

/** The muxers' streams extend `AbstractMessageStream`, whose flow-control hooks pause the remote without buffering locally. */
interface FlowControlHooks {
  sendPause?: () => void
  sendResume?: () => void
}

/**
 * The stream Uplink hands to applications (inbound handlers and `newStream`),
 * over the muxer's stream. It keeps three promises the upstream stream classes
 * do not (see `docs/ARCHITECTURE.md`, "Streams the application sees"):
 *
 * - every byte the muxer delivered reaches the application, in order, then the
 *   end or the error, whether it iterates, listens to `message` events, or
 *   pauses and resumes: received bytes live here, never in the muxer stream's
 *   read buffer (which an abort throws away), and the end and the error are
 *   told only once the bytes before them are taken;
 * - a stream ends cleanly only when the remote closed its writable end: when
 *   the muxer closes it for any other reason (its connection died or closed
 *   under it) it ends with a named error carrying the connection's first
 *   failure;
 * - `pause()` stops the remote through the muxer's flow control instead of
 *   buffering without bound, up to `maxReadBufferLength`.
 */
class ApplicationStream extends TypedEventEmitter<MessageStreamEvents> implements Stream {
  private readonly inner: Stream
  private readonly connectionFailure: () => Error | undefined
  private readonly received = new Uint8ArrayList()
  private paused = false
  private innerHeld = false
  private delivering = false
  private remoteEnded = false
  private remoteEndTold = false
  private readClosed = false
  private readerBacklog = false
  private ending?: Ending
  private endTold = false
  /** The first end told to the application: the remote's clean end, or the stream's error. */
  private firstEnd?: { error?: Error }
  maxReadBufferLength: number

  constructor (inner: Stream, init: ApplicationStreamInit) {
    super()
    this.inner = inner
    this.connectionFailure = init.connectionFailure
    this.maxReadBufferLength = Math.max(inner.maxReadBufferLength, init.maxReadBufferLength ?? DEFAULT_MAX_STREAM_READ_BUFFER)

    inner.addEventListener('message', (evt) => { this.receive(evt.data) })
    inner.addEventListener('remoteCloseWrite', () => { this.remoteEnded = true; this.deliver() })
    inner.addEventListener('close', (evt) => { this.onInnerClose(evt) })
    inner.addEventListener('drain', () => { this.safeDispatchEvent('drain') })
    inner.addEventListener('idle', () => { this.safeDispatchEvent('idle') })

    if (inner.remoteWriteStatus === 'closed') {
      this.remoteEnded = true
    }
  }

  readonly [Symbol.toStringTag] = '@uplink/application-stream'

  get id (): string { return this.inner.id }
  get protocol (): string { return this.inner.protocol }
  set protocol (protocol: string) { this.inner.protocol = protocol }
  get direction (): Stream['direction'] { return this.inner.direction }
  get log (): Logger { return this.inner.log }
  get timeline (): MessageStreamTimeline { return this.inner.timeline }
  get inactivityTimeout (): number { return this.inner.inactivityTimeout }
  set inactivityTimeout (ms: number) { this.inner.inactivityTimeout = ms }
  get maxWriteBufferLength (): number | undefined { return this.inner.maxWriteBufferLength }
  set maxWriteBufferLength (length: number | undefined) { this.inner.maxWriteBufferLength = length }
  get writableNeedsDrain (): boolean { return this.inner.writableNeedsDrain }
  get writeBufferLength (): number { return this.inner.writeBufferLength }
  get writeStatus (): MessageStreamWriteStatus { return this.inner.writeStatus }
  get remoteReadStatus (): MessageStreamReadStatus { return this.inner.remoteReadStatus }

  get status (): MessageStreamStatus {
    if (this.ending?.error != null && this.inner.status === 'closed') {
      return 'aborted'
    }

    return this.inner.status
  }

  /** What the application can still read: the remote's end counts once the bytes before it are taken. */
  get remoteWriteStatus (): MessageStreamWriteStatus {
    return this.remoteEndTold || this.endTold ? 'closed' : this.inner.remoteWriteStatus === 'closing' ? 'closing' : 'writable'
  }

  get readStatus (): MessageStreamReadStatus {
    if (this.readClosed || (this.endTold && this.received.byteLength === 0)) return 'closed'
    return this.paused ? 'paused' : 'readable'
  }

  get readBufferLength (): number {
    return this.received.byteLength
  }

  get readableEnded (): boolean {
    return this.endTold && this.received.byteLength === 0
  }

  [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array | Uint8ArrayList> {
    return readInOrder(this, {
      ended: () => this.received.byteLength > 0 ? undefined : this.firstEnd,
      backlog: (full) => {
        this.readerBacklog = full
        if (full) this.hold()
        else if (this.received.byteLength === 0) this.release()
      }
    })
  }

  send (data: Uint8Array | Uint8ArrayList): boolean {
    return this.inner.send(data)
  }

  async onDrain (options?: AbortOptions): Promise<void> {
    // not the muxer stream's own onDrain: after its first drain it no longer waits (see @uplink/drain)
    return nextDrain(this, options)
  }

  async close (options?: AbortOptions): Promise<void> {
    return this.inner.close(options)
  }

  async closeRead (options?: AbortOptions): Promise<void> {
    this.readClosed = true
    this.received.consume(this.received.byteLength)
    this.release()
    return this.inner.closeRead(options)
  }

  /** A local abort: unread bytes are the application's to drop, as upstream. */
  abort (err: Error): void {
    this.received.consume(this.received.byteLength)
    this.ending ??= { error: err, local: true }
    this.inner.abort(err)
    this.deliver()
  }

  pause (): void {
    if (this.readStatus === 'closed') {
      throw new StreamStateError('Cannot pause a stream that is closed')
    }

    this.paused = true
    this.hold()
  }

  resume (): void {
    if (this.readStatus === 'closed') {
      throw new StreamStateError('Cannot resume a stream that is closed')
    }

    this.paused = false
    this.deliver()
  }

  /**
   * Bytes put back by the application or a protocol negotiation that read
   * ahead: read before anything received later, and before the end, even one
   * already told (they arrived before it).
   */
  unshift (data: Uint8Array | Uint8ArrayList): void {
    if (data.byteLength === 0) return
    this.received.prepend(data)
    queueMicrotask(() => { this.deliver() })
  }

  push (data: Uint8Array | Uint8ArrayList): void {
    this.receive(data)
  }

  override addEventListener (...args: Parameters<TypedEventEmitter<MessageStreamEvents>['addEventListener']>): void {
    super.addEventListener(...args)

    // bytes that arrived before anyone listened go to the first listener
    if (args[0] === 'message' && this.received.byteLength > 0) {
      queueMicrotask(() => { this.deliver() })
    }
  }

  private receive (data: Uint8Array | Uint8ArrayList): void {
    if (this.readClosed || this.ending != null || data.byteLength === 0) {
      return
    }

    if (this.received.byteLength === 0 && !this.paused && !this.delivering && this.listenerCount('message') > 0) {
      // the common case: nothing waits before these bytes and someone is reading
      this.dispatchEvent(new StreamMessageEvent(data))
      return
    }

    this.received.append(data)
    this.deliver()

    if (this.received.byteLength > this.maxReadBufferLength) {
      this.inner.abort(new StreamBufferError(`${this.received.byteLength} unread bytes exceed the limit of ${this.maxReadBufferLength} (read status ${this.readStatus})`))
    }
  }

  /** Hands the application what it can take now, then, once nothing is left before them, the remote's end and the stream's end. */
  private deliver (): void {
    if (this.delivering) return
    this.delivering = true

    try {
      while (!this.paused && this.received.byteLength > 0 && this.listenerCount('message') > 0) {
        const data = this.received.sublist()
        this.received.consume(data.byteLength)
        this.dispatchEvent(new StreamMessageEvent(data))
      }
    } finally {
      this.delivering = false
    }

    if (this.received.byteLength > 0) {
      this.hold()
      return
    }

    if (!this.readerBacklog) this.release()

    if (this.remoteEnded && !this.remoteEndTold && !this.readClosed) {
      this.remoteEndTold = true
      this.firstEnd ??= {}
      this.safeDispatchEvent('remoteCloseWrite')
    }

    if (this.ending != null && !this.endTold) {
      this.endTold = true
      this.firstEnd ??= { error: this.ending.error }
      this.safeDispatchEvent('end')
      this.dispatchEvent(new StreamCloseEvent(this.ending.local, this.ending.error))
    }
  }

  private onInnerClose (evt: StreamCloseEvent): void {
    this.ending ??= {
      local: evt.local === true,
      error: streamEndingError({
        error: evt.error,
        remoteEnded: this.remoteEnded,
        readClosed: this.readClosed,
        connectionFailure: this.connectionFailure()
      })
    }
    this.deliver()
  }

  /** Stops the remote while bytes wait here (yamux withholds window updates; mplex has no flow control). */
  private hold (): void {
    if (this.innerHeld || isTerminal(this.inner.status)) return
    this.innerHeld = true
    const hooks = this.inner as unknown as FlowControlHooks

    try {
      if (typeof hooks.sendPause === 'function') hooks.sendPause.call(this.inner)
      else this.inner.pause()
    } catch (err: any) {
      this.log.error('could not pause the muxer stream - %e', err)
    }
  }

  private release (): void {
    if (!this.innerHeld) return
    this.innerHeld = false
    if (isTerminal(this.inner.status)) return
    const hooks = this.inner as unknown as FlowControlHooks

    try {
      if (typeof hooks.sendResume === 'function') hooks.sendResume.call(this.inner)
      else this.inner.resume()
    } catch (err: any) {
      this.log.error('could not resume the muxer stream - %e', err)
    }
  }
}

function isTerminal (status: MessageStreamStatus): boolean {
  return status === 'closed' || status === 'aborted' || status === 'reset'
}

export type { ApplicationStream }

/** Wraps a muxer's stream into the stream an application gets. */
export function applicationStream (inner: Stream, init: ApplicationStreamInit): Stream {
  return new ApplicationStream(inner, init)
}
