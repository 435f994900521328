import net from 'node:net'
import { AbortError, TimeoutError, serviceCapabilities, transportSymbol } from '@libp2p/interface'
import { CustomProgressEvent } from 'progress-events'
import { isTCPAddress, toNetAddress } from './addresses.js'
import { TCPDialError } from './errors.js'
import { TCPListener } from './listener.js'
import { shareScopes } from './shared-scopes.js'
import { toMultiaddrConnection } from './socket-to-conn.js'
import type { ListenerEventName } from './listener.js'
import type { TCPComponents, TCPCreateListenerOptions, TCPDialEvents, TCPDialOptions, TCPOptions } from './index.js'
import type { Connection, CounterGroup, Listener, Logger, MultiaddrConnection, Transport } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** TCPOptions with every default filled in */
export type ResolvedTCPOptions = Required<Omit<TCPOptions, 'dialTimeout'>> & Pick<TCPOptions, 'dialTimeout'>

export class TCPTransport implements Transport<TCPDialEvents> {
  readonly [transportSymbol] = true
  readonly [Symbol.toStringTag] = '@uplink/tcp'
  // lets js-libp2p resolve this as the node's '@libp2p/transport' dependency
  readonly [serviceCapabilities]: string[] = ['@libp2p/transport']

  private readonly components: TCPComponents
  private readonly options: ResolvedTCPOptions
  private readonly log: Logger
  private readonly dialEvents?: CounterGroup<'connect' | 'error' | 'abort' | 'timeout' | 'upgrade_error'>
  private readonly listenerEvents?: CounterGroup<ListenerEventName>

  constructor (components: TCPComponents, options: ResolvedTCPOptions) {
    this.components = components
    this.options = options
    // every dialed connection's logger is the same 'connection' scope (see shareScopes)
    this.log = shareScopes(components.logger.forComponent('uplink:tcp'))
    this.dialEvents = components.metrics?.registerCounterGroup('uplink_tcp_dialer_events_total', {
      label: 'event',
      help: 'Outbound TCP connection attempts by outcome'
    })
    // registered once here, metric names must be unique per node
    this.listenerEvents = components.metrics?.registerCounterGroup('uplink_tcp_listener_events_total', {
      label: 'event',
      help: 'Inbound TCP connections by outcome'
    })
  }

  async dial (ma: Multiaddr, options: TCPDialOptions): Promise<Connection> {
    const socket = await this.connect(ma, options)

    let maConn: MultiaddrConnection

    try {
      maConn = toMultiaddrConnection({
        socket,
        direction: 'outbound',
        remoteAddr: ma,
        log: this.log.newScope('connection'),
        inactivityTimeout: this.options.inactivityTimeout,
        closeTimeout: this.options.closeTimeout
      })
    } catch (err) {
      socket.destroy()
      throw err
    }

    const { upgrader, ...upgradeOptions } = options

    try {
      this.log('upgrading outbound connection to %a', ma)
      return await upgrader.upgradeOutbound(maConn, upgradeOptions)
    } catch (err: any) {
      this.dialEvents?.increment({ upgrade_error: true })
      this.log.error('upgrading outbound connection to %a failed - %e', ma, err)
      // an unusable raw connection must not outlive the failed dial
      maConn.abort(err)
      throw err
    }
  }

  /**
   * Opens the socket, settling on whichever comes first: connected, failed,
   * aborted by the caller or past `dialTimeout`. Every way but the first
   * destroys the socket, so a failed dial leaves nothing open.
   */
  private async connect (ma: Multiaddr, options: TCPDialOptions): Promise<net.Socket> {
    const { signal } = options

    if (signal.aborted) {
      throw new AbortError(`Dial to ${ma.toString()} was aborted`)
    }

    const address = toNetAddress(ma)
    options.onProgress?.(new CustomProgressEvent('tcp:open-connection'))
    this.log('dialing %a', ma)

    const socket = net.connect({
      ...address,
      noDelay: this.options.noDelay,
      keepAlive: this.options.keepAlive,
      keepAliveInitialDelay: this.options.keepAliveInitialDelay,
      allowHalfOpen: true
    })

    return new Promise<net.Socket>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined

      const settle = (err?: Error): void => {
        clearTimeout(timer)
        socket.removeListener('connect', onConnect)
        socket.removeListener('error', onError)
        signal.removeEventListener('abort', onAbort)

        if (err == null) {
          resolve(socket)
          return
        }

        socket.destroy()
        reject(err)
      }

      const onConnect = (): void => {
        this.dialEvents?.increment({ connect: true })
        this.log('connected to %a', ma)
        settle()
      }

      const onError = (err: Error): void => {
        this.dialEvents?.increment({ error: true })
        this.log('dial to %a failed - %e', ma, err)
        settle(new TCPDialError(ma, err))
      }

      const onAbort = (): void => {
        this.dialEvents?.increment({ abort: true })
        this.log('dial to %a aborted', ma)
        settle(new AbortError(`Dial to ${ma.toString()} was aborted`))
      }

      socket.once('connect', onConnect)
      socket.once('error', onError)
      signal.addEventListener('abort', onAbort, { once: true })

      if (this.options.dialTimeout != null) {
        const dialTimeout = this.options.dialTimeout

        timer = setTimeout(() => {
          this.dialEvents?.increment({ timeout: true })
          settle(new TimeoutError(`Dial to ${ma.toString()} timed out after ${dialTimeout}ms`))
        }, dialTimeout)
      }
    })
  }

  createListener (options: TCPCreateListenerOptions): Listener {
    return new TCPListener({
      upgrader: options.upgrader,
      logger: this.components.logger,
      events: this.listenerEvents,
      ...this.options
    })
  }

  /**
   * Only plain TCP addresses: anything layered on top (`/ws`, `/tls`,
   * `/p2p-circuit`, ...) belongs to another transport
   */
  listenFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isTCPAddress)
  }

  dialFilter (multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter(isTCPAddress)
  }
}
