import { defaultLogger } from '@libp2p/logger'
import { DEFAULT_CLOSE_TIMEOUT, DEFAULT_INACTIVITY_TIMEOUT } from './index.js'
import { toMultiaddrConnection } from './socket-to-conn.js'
import type { ComponentLogger, MessageStreamDirection, MultiaddrConnection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Socket } from 'node:net'

export interface SocketToConnectionOptions {
  /** `outbound` for a socket you connected, `inbound` for one a server accepted. */
  direction: MessageStreamDirection

  /**
   * The address the connection is to. For an outbound socket pass the
   * multiaddr you dialed, ending in `/p2p/<PeerId>`: that is the id the
   * upgrader verifies. Defaults to the socket's remote address (nothing to
   * verify).
   */
  remoteAddr?: Multiaddr

  /** ms without traffic before the connection is aborted, 0 disables. @default DEFAULT_INACTIVITY_TIMEOUT */
  inactivityTimeout?: number

  /** ms a graceful close may take before the socket is destroyed. @default DEFAULT_CLOSE_TIMEOUT */
  closeTimeout?: number

  logger?: ComponentLogger
}

/**
 * Wraps a connected `node:net` socket as a `MultiaddrConnection`, the raw
 * connection an upgrader turns into an encrypted, multiplexed `Connection`
 * (`upgrader.upgradeOutbound(maConn, …)` / `upgradeInbound`). This is what
 * `tcp()` does with every socket it dials or accepts.
 *
 * Create the socket with `allowHalfOpen: true` (`net.connect({ …, allowHalfOpen: true })`,
 * `net.createServer({ allowHalfOpen: true })`), so the remote's half-close does
 * not end our side before queued bytes are sent.
 */
export function socketToMultiaddrConnection (socket: Socket, options: SocketToConnectionOptions): MultiaddrConnection {
  return toMultiaddrConnection({
    socket,
    direction: options.direction,
    remoteAddr: options.remoteAddr,
    log: (options.logger ?? defaultLogger()).forComponent(`uplink:tcp:socket:${options.direction}`),
    inactivityTimeout: options.inactivityTimeout ?? DEFAULT_INACTIVITY_TIMEOUT,
    closeTimeout: options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT
  })
}
