import { AbortError, InvalidParametersError, StreamStateError, TimeoutError } from '@libp2p/interface'
import { AbstractMultiaddrConnection } from '@libp2p/utils'
import { nextDrain } from '@uplink/drain'
import { pEvent } from 'p-event'
import { remoteMultiaddr } from './addresses.js'
import { TCPSocketError } from './errors.js'
import type { AbortOptions, CounterGroup, Logger, MessageStreamDirection, MultiaddrConnection } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Socket } from 'node:net'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SocketConnectionInit {
  /**
   * A connected socket, created with `allowHalfOpen: true` so that a FIN from
   * the remote does not make Node.js end our side behind our back (see
   * `onSocketEnd`)
   */
  socket: Socket
  direction: MessageStreamDirection
  log: Logger

  /**
   * Defaults to the socket's remote address. Dialers pass the multiaddr they
   * dialed instead: it keeps the `/p2p/<peer>` suffix the upgrader verifies
   * the remote peer against, and any DNS name the user asked for
   */
  remoteAddr?: Multiaddr

  /** ms without traffic before the connection is aborted, 0 disables */
  inactivityTimeout: number

  /** ms to wait for the remote to finish closing before destroying the socket */
  closeTimeout: number

  metrics?: CounterGroup
  metricPrefix?: string
}

class TCPSocketConnection extends AbstractMultiaddrConnection {
  private readonly socket: Socket
  private readonly closeTimeout: number
  private closing?: Promise<void>

  constructor (init: SocketConnectionInit) {
    const { socket } = init
    const remoteAddr = init.remoteAddr ?? addressOf(socket)

    super({
      remoteAddr,
      direction: init.direction,
      log: init.log,
      inactivityTimeout: init.inactivityTimeout,
      metrics: init.metrics,
      metricPrefix: init.metricPrefix
    })

    this.socket = socket
    this.closeTimeout = init.closeTimeout

    socket.on('data', (buf) => {
      this.onData(buf)
    })

    // the kernel buffer has room again, AbstractMessageStream resumes sending
    // whatever queued up while `sendData` reported `canSendMore: false`
    socket.on('drain', () => {
      this.safeDispatchEvent('drain')
    })

    socket.on('end', () => {
      this.onSocketEnd()
    })

    socket.on('error', (err: Error & { code?: string }) => {
      this.onSocketError(err)
    })

    socket.on('timeout', () => {
      // Node only reports inactivity, closing is up to us
      this.abort(new TimeoutError(`Connection to ${remoteAddr.toString()} was inactive for ${init.inactivityTimeout}ms`))
    })

    socket.once('close', (hadError) => {
      this.log.trace('socket closed, had error %s', hadError)

      if (hadError) {
        // normally the 'error' event already aborted us and this is a no-op
        this.abort(new TCPSocketError('Socket closed after a transmission error'))
        return
      }

      this.onTransportClosed()
    })

    if (init.inactivityTimeout > 0) {
      socket.setTimeout(init.inactivityTimeout)
    }
  }

  /** Not the inherited onDrain, which no longer waits once the stream has drained once (see `@uplink/drain`). */
  override async onDrain (options?: AbortOptions): Promise<void> {
    return nextDrain(this, options)
  }

  sendData (data: Uint8ArrayList): SendResult {
    if (this.socket.destroyed || this.socket.writableEnded) {
      throw new StreamStateError('Cannot write to a socket that is closed')
    }

    let sentBytes = 0
    let canSendMore = true

    // Every piece goes out in one writev: a SECIO frame's length, ciphertext
    // and MAC (or a yamux header and its body) as one syscall and, with
    // noDelay, one segment. Stopping at the first `false` (the socket's queue
    // is above its high water mark, which one 64 KiB piece already is) would
    // cut a frame into a writev per 'drain'; these bytes are in memory either
    // way, and the `false` still holds back the next message until 'drain'.
    this.socket.cork()

    try {
      for (const buf of data) {
        canSendMore = this.socket.write(buf)
        sentBytes += buf.byteLength
      }
    } finally {
      this.socket.uncork()
    }

    return { sentBytes, canSendMore }
  }

  /**
   * Closes gracefully - flushes queued bytes, half-closes, waits for the remote
   * to close its end - but gives all of that `closeTimeout` ms (unless the
   * remote had already finished). A remote that
   * stops reading or never sends its FIN would otherwise pin the socket open,
   * so after that the connection is aborted with a `TimeoutError` and the close
   * completes anyway. Aborted, not closed: the remote may still have been
   * sending (or our queued bytes never left), and a reader must not take the
   * cut for the remote's clean end.
   */
  override async close (options?: AbortOptions): Promise<void> {
    // a close already under way (ours, or the one a remote FIN started) is the one every caller waits for
    if (this.closing != null) {
      return this.closing
    }

    if (this.status !== 'open') {
      return
    }

    this.closing = this.closeGracefully(options)
    return this.closing
  }

  private async closeGracefully (options?: AbortOptions): Promise<void> {
    let timedOut = false
    // once the remote has finished, only our own bytes are left to flush: a slow
    // reader is bounded by the inactivity timeout, which sees its progress
    const timer = Number.isFinite(this.closeTimeout) && this.remoteWriteStatus !== 'closed'
      ? setTimeout(() => {
        timedOut = true
        this.log('remote did not finish closing within %dms, aborting the connection', this.closeTimeout)
        this.abort(new TimeoutError(`the remote did not finish closing within ${this.closeTimeout} ms (closeTimeout): anything it still had to send is lost`))
      }, this.closeTimeout)
      : undefined

    try {
      await super.close(options)
    } catch (err) {
      // destroying the socket fails the waits for the write queue to drain,
      // that is the expected outcome of the timeout and not an error
      if (!timedOut) {
        throw err
      }
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Half-closes the socket (FIN after any queued bytes) and resolves once the
   * remote has closed its end too. The timer armed by `close` bounds the wait.
   */
  async sendClose (options?: AbortOptions): Promise<void> {
    if (this.socket.destroyed) {
      return
    }

    const closed = pEvent(this.socket, 'close', {
      signal: options?.signal,
      // errors are handled, and logged, by the listener in the constructor
      rejectionEvents: []
    })

    this.socket.end()

    try {
      await closed
    } catch {
      this.socket.destroy()
      throw new AbortError('Closing the connection was aborted')
    }
  }

  sendReset (): void {
    if (this.socket.destroyed) {
      return
    }

    try {
      // a RST tells the remote immediately, instead of it waiting for a FIN
      // that will never come - but libuv cannot reset a socket it has
      // already started shutting down, so a plain destroy it is then
      if (this.socket.writableEnded || this.socket.connecting) {
        this.socket.destroy()
      } else {
        this.socket.resetAndDestroy()
      }
    } catch (err) {
      this.log.error('could not reset socket - %e', err)
      this.socket.destroy()
    }
  }

  // the reader is not keeping up: stop reading so the kernel receive window
  // fills and TCP flow control slows the sender down
  sendPause (): void {
    this.socket.pause()
  }

  sendResume (): void {
    this.socket.resume()
  }

  /**
   * A FIN arrived: the remote will send nothing more.
   *
   * The socket is half-open, so we could keep writing, but nothing above a
   * MultiaddrConnection (stream muxers, libp2p's Connection, multistream-select
   * reading it) can go on half-open: the remote only sends FIN when closing the
   * whole connection. So 'remoteCloseWrite' listeners get the chance to send a
   * final message synchronously, then our side is closed gracefully, flushing
   * everything still queued - which Node's own `allowHalfOpen: false` handling
   * would not do for bytes still waiting in our write buffer. A write after
   * that fails with a `StreamStateError`, never silently.
   */
  private onSocketEnd (): void {
    this.log.trace('remote closed its writable end')
    this.onRemoteCloseWrite()

    if (this.status !== 'open') {
      return
    }

    this.close().catch((err: Error) => {
      this.abort(err)
    })
  }

  private onSocketError (err: Error & { code?: string }): void {
    this.log('socket error - %e', err)

    if (err.code === 'ECONNRESET' && (this.status === 'open' || this.status === 'closing')) {
      // the remote sent RST - a reset by the remote, not a local failure
      this.onRemoteReset()
      return
    }

    this.abort(new TCPSocketError(`Connection to ${this.remoteAddr.toString()} failed`, err))
  }
}

function addressOf (socket: Socket): Multiaddr {
  // both are undefined once the socket is destroyed, e.g. the client hung up
  // before the server got to it
  if (socket.remoteAddress == null || socket.remotePort == null) {
    throw new InvalidParametersError('Could not determine the remote address of the socket, it may already be closed')
  }

  return remoteMultiaddr(socket.remoteAddress, socket.remotePort)
}

/**
 * Wraps a connected socket as a MultiaddrConnection, the raw byte stream the
 * upgrader turns into an encrypted, multiplexed Connection
 */
export function toMultiaddrConnection (init: SocketConnectionInit): MultiaddrConnection {
  return new TCPSocketConnection(init)
}
