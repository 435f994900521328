/**
 * @packageDocumentation
 *
 * A TCP transport for Node.js that implements the `@libp2p/interface` v3
 * `Transport` contract, so it plugs into Uplink's upgrader or into js-libp2p.
 *
 * It dials and listens on `/ip4`, `/ip6` and `/dns(4|6)` TCP multiaddrs and
 * hands each socket, wrapped as a `MultiaddrConnection`, to the upgrader that
 * turns it into an encrypted, multiplexed `Connection`. To upgrade a socket
 * of your own, wrap it with `socketToMultiaddrConnection`.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from 'libp2p'
 * import { tcp } from '@uplink/tcp'
 *
 * const node = await createLibp2p({
 *   addresses: { listen: ['/ip4/0.0.0.0/tcp/0'] },
 *   transports: [tcp()]
 * })
 * ```
 *
 * @module @uplink/tcp
 */

import { TCPTransport } from './tcp.js'
import type { ResolvedTCPOptions } from './tcp.js'
import type { ComponentLogger, CreateListenerOptions, DialTransportOptions, Metrics, OutboundConnectionUpgradeEvents, Transport } from '@libp2p/interface'
import type { ProgressEvent } from 'progress-events'

export { TCPDialError, TCPListenError, TCPSocketError } from './errors.js'
export { socketToMultiaddrConnection } from './from-socket.js'
export type { SocketToConnectionOptions } from './from-socket.js'

/** Nagle's algorithm adds latency to the small frames muxers send */
export const DEFAULT_NO_DELAY = true

export const DEFAULT_KEEP_ALIVE = true

/** 0 keeps the operating system's default */
export const DEFAULT_KEEP_ALIVE_INITIAL_DELAY = 0

/** 2 minutes */
export const DEFAULT_INACTIVITY_TIMEOUT = 120_000

/** No limit */
export const DEFAULT_MAX_INBOUND_CONNECTIONS = Infinity

export const DEFAULT_CLOSE_TIMEOUT = 1000

/** Node.js's own default for `server.listen` */
export const DEFAULT_BACKLOG = 511

export interface TCPOptions {
  /**
   * Disable Nagle's algorithm so small writes are sent immediately
   *
   * @default {@link DEFAULT_NO_DELAY}
   */
  noDelay?: boolean

  /**
   * Enable TCP keep-alive probes, so connections to peers that vanished
   * without a FIN or RST are eventually noticed
   *
   * @default {@link DEFAULT_KEEP_ALIVE}
   */
  keepAlive?: boolean

  /**
   * ms of idleness before the first keep-alive probe is sent
   *
   * @default {@link DEFAULT_KEEP_ALIVE_INITIAL_DELAY}
   */
  keepAliveInitialDelay?: number

  /**
   * ms without any traffic in either direction after which a connection is
   * aborted with a `TimeoutError`. 0 disables it
   *
   * @default {@link DEFAULT_INACTIVITY_TIMEOUT}
   */
  inactivityTimeout?: number

  /**
   * Each listener destroys newly accepted sockets while it already has this
   * many open, before they reach the upgrader
   *
   * @default {@link DEFAULT_MAX_INBOUND_CONNECTIONS}
   */
  maxInboundConnections?: number

  /**
   * ms a graceful close may take - flushing queued data, then waiting for the
   * remote to close its end - before the socket is destroyed, so a socket that
   * never finishes closing cannot linger
   *
   * @default {@link DEFAULT_CLOSE_TIMEOUT}
   */
  closeTimeout?: number

  /**
   * ms to wait for a TCP connection to be established before the dial fails
   * with a `TimeoutError`. It bounds the connect only - the upgrade that follows
   * is bounded by the signal passed to `dial`. Unset, only that signal applies
   */
  dialTimeout?: number

  /**
   * Maximum length of the queue of connections the kernel has accepted but
   * the listener has not picked up yet
   *
   * @default {@link DEFAULT_BACKLOG}
   */
  backlog?: number
}

export interface TCPComponents {
  logger: ComponentLogger
  metrics?: Metrics
}

export type TCPDialEvents =
  OutboundConnectionUpgradeEvents |
  ProgressEvent<'tcp:open-connection'>

export type TCPDialOptions = DialTransportOptions<TCPDialEvents>

export type TCPCreateListenerOptions = CreateListenerOptions

/**
 * Creates the TCP transport factory, pass it to `transports` in the node
 * configuration
 */
export function tcp (init: TCPOptions = {}): (components: TCPComponents) => Transport<TCPDialEvents> {
  const options: ResolvedTCPOptions = {
    noDelay: init.noDelay ?? DEFAULT_NO_DELAY,
    keepAlive: init.keepAlive ?? DEFAULT_KEEP_ALIVE,
    keepAliveInitialDelay: init.keepAliveInitialDelay ?? DEFAULT_KEEP_ALIVE_INITIAL_DELAY,
    inactivityTimeout: init.inactivityTimeout ?? DEFAULT_INACTIVITY_TIMEOUT,
    maxInboundConnections: init.maxInboundConnections ?? DEFAULT_MAX_INBOUND_CONNECTIONS,
    closeTimeout: init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT,
    dialTimeout: init.dialTimeout,
    backlog: init.backlog ?? DEFAULT_BACKLOG
  }

  return (components) => new TCPTransport(components, options)
}
