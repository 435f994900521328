import {
  ConnectionClosedError,
  StreamCloseEvent,
  TooManyInboundProtocolStreamsError,
  TooManyOutboundProtocolStreamsError,
  connectionSymbol
} from '@libp2p/interface'
import * as mss from '@libp2p/multistream-select'
import { CODE_P2P, CODE_P2P_CIRCUIT } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { deadlineSignal } from '@uplink/deadline'
import { MuxerFailedError, MuxerUnavailableError } from '../errors.js'
import { applicationStream } from './application-stream.js'
import { takeOverMuxerAbort } from './muxer-abort.js'
import { streamOpenError } from './stream-open-error.js'
import { countStreams, streamLimit } from './stream-limits.js'
import type { FirstFailure } from '../upgrader/first-failure.js'
import type { StreamHandlerRegistry } from './stream-handlers.js'
import type {
  AbortOptions, Connection, ConnectionLimits, ConnectionStatus, Logger, MessageStream, MessageStreamDirection,
  MessageStreamEvents, MultiaddrConnection, MultiaddrConnectionTimeline, NewStreamOptions, PeerId, Stream, StreamMuxer
} from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface ConnectionInit {
  id: string
  direction: MessageStreamDirection
  /** The raw connection: its status and close event are the connection's. */
  maConn: MultiaddrConnection
  /** What the crypto channel returned; the same object as `maConn` for channels that do not wrap it. */
  secured: MessageStream
  /** The first failure of the raw or secured connection, watched since the upgrade began. */
  failure: FirstFailure
  remotePeer: PeerId
  encryption: string
  /** What the crypto channel reported about the session (its `remoteExtensions`). */
  encryptionDetails?: unknown
  muxer?: StreamMuxer
  handlers: StreamHandlerRegistry
  limits?: ConnectionLimits
  protocolNegotiationTimeout: number
  closeTimeout: number
}

/**
 * A secured, multiplexed connection: a v3 `Connection` plus what the crypto channel reported about the session:
 * for `@uplink/secio` the negotiated `{ exchange, cipher, hash }`, for noise
 * its extensions.
 */
export interface UplinkConnection extends Connection {
  readonly encryptionDetails?: unknown
}

class UplinkConnectionImpl extends TypedEventEmitter<Omit<MessageStreamEvents, 'drain' | 'message' | 'end'>> implements UplinkConnection {
  readonly id: string
  readonly remoteAddr: Multiaddr
  readonly remotePeer: PeerId
  readonly direction: MessageStreamDirection
  readonly timeline: MultiaddrConnectionTimeline
  readonly encryption: string
  readonly encryptionDetails?: unknown
  readonly multiplexer?: string
  readonly direct: boolean
  readonly limits?: ConnectionLimits
  readonly log: Logger

  private readonly maConn: MultiaddrConnection
  private readonly secured: MessageStream
  private readonly failure: FirstFailure
  private readonly muxer?: StreamMuxer
  /** The stream each muxer stream was handed to the application as. */
  private readonly applicationStreams = new WeakMap<Stream, Stream>()
  private closing?: Promise<void>
  private aborted = false
  /** The muxer's own abort: its `abort` now tells this connection first (muxer-abort.ts). */
  private readonly abortMuxer?: (err: Error) => void
  private readonly handlers: StreamHandlerRegistry
  private readonly protocolNegotiationTimeout: number
  private readonly closeTimeout: number

  constructor (init: ConnectionInit) {
    super()
    this.id = init.id
    this.direction = init.direction
    this.maConn = init.maConn
    this.secured = init.secured
    this.failure = init.failure
    this.remotePeer = init.remotePeer
    this.encryption = init.encryption
    this.encryptionDetails = init.encryptionDetails
    this.muxer = init.muxer
    this.multiplexer = init.muxer?.protocol
    this.handlers = init.handlers
    this.limits = init.limits
    this.protocolNegotiationTimeout = init.protocolNegotiationTimeout
    this.closeTimeout = init.closeTimeout
    this.timeline = init.maConn.timeline
    this.log = init.maConn.log

    const components = init.maConn.remoteAddr.getComponents()
    this.direct = !components.some(c => c.code === CODE_P2P_CIRCUIT)
    this.remoteAddr = components.some(c => c.code === CODE_P2P)
      ? init.maConn.remoteAddr
      : init.maConn.remoteAddr.encapsulate(`/p2p/${init.remotePeer.toString()}`)

    this.muxer?.addEventListener('stream', (evt) => {
      void this.acceptStream(this.wrap(evt.detail))
    })

    if (this.muxer != null) {
      this.abortMuxer = takeOverMuxerAbort(this.muxer, (err) => { this.onMuxerFailed(err) })
    }

    this.maConn.addEventListener('close', (evt) => {
      this.failure.record(evt.error)
      this.dispatchEvent(new StreamCloseEvent(evt.local, this.failure.first ?? evt.error))
    })
  }

  readonly [Symbol.toStringTag] = 'Connection'
  readonly [connectionSymbol] = true

  get status (): ConnectionStatus {
    return this.maConn.status
  }

  get streams (): Stream[] {
    return (this.muxer?.streams ?? []).map(stream => this.applicationStreams.get(stream) ?? stream)
  }

  async newStream (protocols: string | string[], options: NewStreamOptions = {}): Promise<Stream> {
    const wanted = Array.isArray(protocols) ? protocols : [protocols]

    if (this.muxer == null) {
      throw new MuxerUnavailableError('this connection has no stream muxer')
    }

    if (this.status !== 'open' || this.muxer.status !== 'open') {
      throw new ConnectionClosedError(`cannot open a stream: the connection is ${this.status}`)
    }

    const signal = deadlineSignal(options.signal, options.signal == null ? this.protocolNegotiationTimeout : Infinity)
    let stream: Stream | undefined

    try {
      stream = this.wrap(await this.muxer.createStream({
        ...options,
        signal,
        // transports that carry the protocol themselves can only carry one
        protocol: wanted.length === 1 ? wanted[0] : undefined
      }))

      if (stream.protocol === '') {
        stream.protocol = await mss.select(stream, wanted, { signal })
      }

      const limit = streamLimit(this.handlers, stream.protocol, 'outbound', options.maxOutboundStreams)
      const open = countStreams(this.streams, stream.protocol, 'outbound')

      if (open > limit) {
        throw new TooManyOutboundProtocolStreamsError(`too many outbound streams for ${stream.protocol}: ${open}/${limit}`)
      }

      stream.log('opened outbound stream for %s', stream.protocol)
      return stream
    } catch (thrown: any) {
      const err = streamOpenError(thrown, this.failure.first)
      stream?.abort(err)
      throw err
    } finally {
      signal.clear()
    }
  }

  /** Every stream reaches the application through one that keeps Uplink's delivery promises (see `application-stream.ts`). */
  private wrap (stream: Stream): Stream {
    const wrapped = applicationStream(stream, { connectionFailure: () => this.failure.first })
    this.applicationStreams.set(stream, wrapped)
    return wrapped
  }

  private async acceptStream (stream: Stream): Promise<void> {
    const signal = deadlineSignal(undefined, this.protocolNegotiationTimeout)

    try {
      if (stream.protocol === '') {
        // answers "na" to anything we do not serve until the remote gives up
        stream.protocol = await mss.handle(stream, this.handlers.getProtocols(), { signal })
      }
    } catch (err: any) {
      stream.log('inbound protocol negotiation ended without agreement - %e', err)
      stream.abort(err)
      return
    } finally {
      signal.clear()
    }

    try {
      const { handler, options } = this.handlers.getHandler(stream.protocol)
      const limit = streamLimit(this.handlers, stream.protocol, 'inbound')
      const open = countStreams(this.streams, stream.protocol, 'inbound')

      if (open > limit) {
        throw new TooManyInboundProtocolStreamsError(`too many inbound streams for ${stream.protocol}: ${open}/${limit}`)
      }

      if (this.limits != null && options.runOnLimitedConnection !== true) {
        throw new ConnectionClosedError(`${stream.protocol} does not run on limited connections`)
      }

      await handler(stream, this)
    } catch (err: any) {
      stream.log.error('handler for %s failed - %e', stream.protocol, err)
      stream.abort(err)
    }
  }

  /** Closes gracefully: streams, then the crypto channel, then the raw connection. Concurrent calls share one outcome. */
  async close (options: AbortOptions = {}): Promise<void> {
    if (this.closing != null) {
      return this.closing
    }

    if (this.status !== 'open') {
      return
    }

    this.closing = this.closeGracefully(options)
    return this.closing
  }

  private async closeGracefully (options: AbortOptions): Promise<void> {
    const signal = deadlineSignal(options.signal, this.closeTimeout, 'the graceful close')

    try {
      this.log('closing connection to %a', this.remoteAddr)
      await this.muxer?.close({ signal })

      if (this.secured !== this.maConn) {
        await this.secured.close({ signal })
      }

      await this.maConn.close({ signal })
    } catch (err: any) {
      // a peer that does not finish the close handshake in time gets cut off
      this.abort(err)
    } finally {
      signal.clear()
    }
  }

  /**
   * A connection whose muxer has given up is dead: closing it tells the
   * remote at once, so its stream opens fail now instead of waiting for an
   * answer until their negotiation deadline.
   */
  private onMuxerFailed (err: Error): void {
    if (this.aborted || this.status !== 'open') {
      // the connection is going already: the muxer still ends as it asked
      this.abortMuxer?.(err)
      return
    }

    // a named error (a muxer's own decoding error) is already the first real reason; mplex and yamux give up with bare Errors
    const error = err.name !== 'Error' ? err : new MuxerFailedError(`the ${this.multiplexer ?? 'stream'} muxer gave up on the connection - ${err.message}`, { cause: err })
    this.log.error('closing the connection to %a - %e', this.remoteAddr, error)
    this.abort(error)
  }

  abort (err: Error): void {
    if (this.aborted) return
    this.aborted = true
    this.failure.record(err)
    this.abortMuxer?.(err)

    if (this.secured !== this.maConn) {
      this.secured.abort(err)
    }

    this.maConn.abort(err)
  }
}

export function createConnection (init: ConnectionInit): UplinkConnection {
  return new UplinkConnectionImpl(init)
}
