import net from 'node:net'
import { AbortError, AlreadyStartedError } from '@libp2p/interface'
import { getThinWaistAddresses, ipPortToMultiaddr } from '@libp2p/utils'
import { TypedEventEmitter, setMaxListeners } from 'main-event'
import { toNetAddress } from './addresses.js'
import { TCPListenError } from './errors.js'
import { shareScopes } from './shared-scopes.js'
import { toMultiaddrConnection } from './socket-to-conn.js'
import type { ResolvedTCPOptions } from './tcp.js'
import type { AbortOptions, ComponentLogger, CounterGroup, Listener, ListenerEvents, Logger, MultiaddrConnection, Upgrader } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export type ListenerEventName = 'connection' | 'refused' | 'upgrade_error'

export interface TCPListenerInit extends ResolvedTCPOptions {
  upgrader: Upgrader
  logger: ComponentLogger
  events?: CounterGroup<ListenerEventName>
}

/** An accepted socket, from accept until it closes */
interface Inbound {
  maConn: MultiaddrConnection
  /** Resolves when the socket has closed and the maConn has seen it */
  closed: Promise<void>
}

type Status = 'idle' | 'listening' | 'closing'

export class TCPListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  private readonly init: TCPListenerInit
  private readonly log: Logger
  private readonly server: net.Server
  private readonly inbound = new Set<Inbound>()
  private status: Status = 'idle'
  private listeningAddr?: Multiaddr
  private announceAddrs: Multiaddr[] = []
  private closing?: Promise<void>

  /**
   * Aborted by `close()`: every in-flight upgrade's signal derives from it, so
   * closing the listener ends them instead of leaving them to time out
   */
  private shutdown = new AbortController()

  constructor (init: TCPListenerInit) {
    super()

    this.init = init
    // every connection's logger is the same 'connection' scope (see shareScopes)
    this.log = shareScopes(init.logger.forComponent('uplink:tcp:listener'))
    setMaxListeners(Infinity, this.shutdown.signal)

    this.server = net.createServer({
      noDelay: init.noDelay,
      keepAlive: init.keepAlive,
      keepAliveInitialDelay: init.keepAliveInitialDelay,
      // see SocketConnectionInit.socket
      allowHalfOpen: true
    }, (socket) => {
      this.onSocket(socket)
    })

    // an EventEmitter 'error' without a listener would crash the process;
    // errors while starting to listen are reported by listen() instead
    this.server.on('error', (err) => {
      if (this.status === 'listening') {
        this.log.error('server error - %e', err)
        this.safeDispatchEvent('error', { detail: err })
      }
    })
  }

  async listen (ma: Multiaddr, options?: AbortOptions): Promise<void> {
    if (this.status !== 'idle') {
      throw new AlreadyStartedError(`Listener is already ${this.status}`)
    }

    const { host, port, family } = toNetAddress(ma)

    if (options?.signal?.aborted === true) {
      throw new AbortError(`Listening on ${ma.toString()} was aborted`)
    }

    await new Promise<void>((resolve, reject) => {
      const settle = (err?: Error): void => {
        this.server.removeListener('listening', onListening)
        this.server.removeListener('error', onError)
        options?.signal?.removeEventListener('abort', onAbort)

        if (err == null) {
          resolve()
        } else {
          reject(err)
        }
      }

      const onListening = (): void => {
        settle()
      }

      const onError = (cause: Error): void => {
        const err = new TCPListenError(ma, cause)
        this.safeDispatchEvent('error', { detail: err })
        settle(err)
      }

      const onAbort = (): void => {
        // a DNS host is resolved before the server binds, so it may not be
        // listening yet - and must not be left listening afterwards
        if (this.server.listening) {
          this.server.close()
        } else {
          this.server.once('listening', () => this.server.close())
        }

        settle(new AbortError(`Listening on ${ma.toString()} was aborted`))
      }

      this.server.once('listening', onListening)
      this.server.once('error', onError)
      options?.signal?.addEventListener('abort', onAbort, { once: true })

      this.server.listen({
        host,
        port,
        // so /ip6/::/tcp/x does not also claim the IPv4 port, which a separate
        // /ip4/0.0.0.0/tcp/x listener may want
        ipv6Only: family === 6,
        backlog: this.init.backlog
      })
    })

    this.listeningAddr = ma
    this.status = 'listening'
    // what the socket bound: the port the OS picked for `/tcp/0`, the address a DNS name resolved to
    const bound = this.server.address()
    this.log('listening on %a', bound == null || typeof bound === 'string' ? ma : ipPortToMultiaddr(bound.address, bound.port))
    this.safeDispatchEvent('listening')
  }

  getAddrs (): Multiaddr[] {
    const address = this.server.address()

    if (this.status !== 'listening' || this.listeningAddr == null || address == null || typeof address === 'string') {
      return []
    }

    // expands wildcard hosts (0.0.0.0, ::) into this machine's interface
    // addresses, which is what a remote would have to dial
    return getThinWaistAddresses(this.listeningAddr, address.port)
  }

  /**
   * Stores the addresses, nothing more: unlike e.g. WebTransport, a TCP
   * listener has no runtime-only details (certificate hashes and the like) to
   * add to them
   */
  updateAnnounceAddrs (addrs: Multiaddr[]): void {
    this.announceAddrs = [...addrs]
  }

  /**
   * Stops accepting, aborts in-flight upgrades and every open raw connection
   * (close connections through their owner first for a graceful shutdown) and
   * resolves once the server socket is closed. If `options.signal` aborts first, the remaining
   * sockets are destroyed and the promise rejects with an `AbortError`.
   */
  async close (options?: AbortOptions): Promise<void> {
    if (this.status === 'listening') {
      this.closing = this.shutDown()
    }

    // undefined: never listened, or already closed
    const closing = this.closing
    const signal = options?.signal

    if (closing == null || signal == null) {
      return closing
    }

    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        for (const { maConn } of this.inbound) {
          maConn.abort(new AbortError('The listener was closed'))
        }

        reject(new AbortError('Closing the listener was aborted'))
      }

      if (signal.aborted) {
        onAbort()
        return
      }

      signal.addEventListener('abort', onAbort, { once: true })
      void closing.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort)
      })
    })
  }

  private async shutDown (): Promise<void> {
    this.status = 'closing'
    this.log('closing, %d open connections', this.inbound.size)

    const serverClosed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve()
      })
    })
    const connectionsClosed = [...this.inbound].map(async ({ closed }) => closed)

    this.shutdown.abort()

    // Raw connections are aborted, not closed gracefully: an upgraded one
    // carries a muxer above it, and a socket half-closed underneath a live
    // muxer makes the muxer write to a closing stream (an uncaught error in
    // yamux). Owners close their connections first for a graceful shutdown,
    // as `Node.stop()` does; in-flight upgrades give up on the shutdown signal.
    for (const entry of this.inbound) {
      entry.maConn.abort(new AbortError('The listener was closed'))
    }

    await Promise.all([serverClosed, ...connectionsClosed])

    this.status = 'idle'
    this.listeningAddr = undefined
    this.closing = undefined
    this.shutdown = new AbortController()
    setMaxListeners(Infinity, this.shutdown.signal)
    this.log('closed')
    this.safeDispatchEvent('close')
  }

  private onSocket (socket: net.Socket): void {
    if (this.status !== 'listening') {
      // accepted in the window between close() and the server handle closing
      socket.destroy()
      return
    }

    if (this.inbound.size >= this.init.maxInboundConnections) {
      this.log('refusing connection from %s:%s, already at the limit of %d', socket.remoteAddress, socket.remotePort, this.init.maxInboundConnections)
      this.init.events?.increment({ refused: true })
      refuse(socket)
      return
    }

    this.init.events?.increment({ connection: true })

    let maConn: MultiaddrConnection

    try {
      maConn = toMultiaddrConnection({
        socket,
        direction: 'inbound',
        log: this.log.newScope('connection'),
        inactivityTimeout: this.init.inactivityTimeout,
        closeTimeout: this.init.closeTimeout
      })
    } catch (err) {
      // the remote may already have hung up, leaving no address to report
      this.log.error('could not accept connection - %e', err)
      socket.destroy()
      return
    }

    const { promise: closed, resolve } = Promise.withResolvers<void>()
    const entry: Inbound = { maConn, closed }
    this.inbound.add(entry)
    // registered after the maConn's own listener, so it runs after it
    socket.once('close', () => {
      this.inbound.delete(entry)
      resolve()
    })

    this.log('new inbound connection from %a', maConn.remoteAddr)
    void this.upgrade(entry)
  }

  private async upgrade (entry: Inbound): Promise<void> {
    const { maConn } = entry
    const { upgrader } = this.init
    let signal: ReturnType<Upgrader['createInboundAbortSignal']> | undefined

    try {
      signal = upgrader.createInboundAbortSignal(this.shutdown.signal)
      await upgrader.upgradeInbound(maConn, { signal })
      this.log('inbound connection from %a upgraded', maConn.remoteAddr)
    } catch (err: any) {
      this.init.events?.increment({ upgrade_error: true })

      if (this.status === 'listening') {
        this.log.error('inbound connection from %a failed to upgrade - %e', maConn.remoteAddr, err)
      } else {
        this.log('inbound connection from %a ended by close - %e', maConn.remoteAddr, err)
      }

      maConn.abort(err instanceof Error ? err : new Error(String(err)))
    } finally {
      signal?.clear()
    }
  }
}

// RST rather than FIN: the peer learns at once that it was refused, rather
// than after trying to use the connection
function refuse (socket: net.Socket): void {
  try {
    socket.resetAndDestroy()
  } catch {
    socket.destroy()
  }
}
