import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { instantiate } from '../components.js'
import { createConnection } from '../connection/connection.js'
import type { UplinkConnection } from '../connection/connection.js'
import { StreamHandlerRegistry } from '../connection/stream-handlers.js'
import { DEFAULT_CONNECTION_CLOSE_TIMEOUT, DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT, DEFAULT_UPGRADE_TIMEOUT } from '../constants.js'
import { EncryptionFailedError } from '../errors.js'
import { negotiate } from './negotiate.js'
import { stageError } from './stage-errors.js'
import { deadlineSignal } from '@uplink/deadline'
import { expectedPeer, verifyRemotePeer } from './verify-peer.js'
import { validateUpgraderInit } from './validate-init.js'
import type { EncrypterModule, MuxerModule, UplinkComponents } from '../components.js'
import type { UpgradeStage } from '../errors.js'
import type { NegotiationRole } from './negotiate.js'
import type {
  ClearableSignal, ComponentLogger, ConnectionEncrypter, Logger, MessageStream, MessageStreamDirection,
  MultiaddrConnection, PeerId, PrivateKey, StreamHandler, StreamHandlerOptions, StreamMuxerFactory, Upgrader,
  UpgraderOptions, UpgraderWithoutEncryptionOptions
} from '@libp2p/interface'
import type { TypedEventTarget } from 'main-event'

export interface UpgraderInit {
  /** This side's identity: crypto channels prove ownership of it to the remote. */
  privateKey: PrivateKey

  /**
   * Crypto channels, as js-libp2p module factories (`noise()`, `plaintext()`,
   * `secio()`) or instances. A dialer offers them in this order.
   */
  connectionEncrypters: EncrypterModule[]

  /**
   * Stream muxers (`yamux()`, `mplex()`), factories or instances, offered in
   * this order. Without any, connections carry no streams.
   */
  streamMuxers?: MuxerModule[]

  /**
   * Milliseconds a whole upgrade may take, in either direction; then the raw
   * connection is closed and the upgrade fails with a `TimeoutError`.
   *
   * @default DEFAULT_UPGRADE_TIMEOUT (10 000)
   */
  upgradeTimeout?: number

  /**
   * Milliseconds multistream-select may take per stream when `newStream` is
   * given no signal, and for every inbound stream.
   *
   * @default DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT (5 000)
   */
  protocolNegotiationTimeout?: number

  /**
   * Milliseconds a graceful `Connection.close()` may take before the
   * connection is aborted.
   *
   * @default DEFAULT_CONNECTION_CLOSE_TIMEOUT (1 000)
   */
  connectionCloseTimeout?: number

  /** Where inbound streams find their handlers; share one to serve the same protocols elsewhere. */
  streamHandlers?: StreamHandlerRegistry

  logger?: ComponentLogger
}

export interface UpgraderEvents {
  /** A connection finished its upgrade, inbound or outbound. */
  'connection:open': CustomEvent<UplinkConnection>
  'connection:close': CustomEvent<UplinkConnection>
}

/**
 * A v3 `Upgrader` that needs no node around it. Inbound connections arrive
 * through the `connection:open` event (the v3 `upgradeInbound` returns
 * nothing); inbound streams go to the handlers registered with `handle`.
 */
export interface UplinkUpgrader extends Upgrader, TypedEventTarget<UpgraderEvents> {
  upgradeOutbound(maConn: MultiaddrConnection, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<UplinkConnection>
  readonly peerId: PeerId
  readonly components: UplinkComponents
  handle(protocols: string | string[], handler: StreamHandler, options?: StreamHandlerOptions): void
  unhandle(protocols: string | string[]): void
  getProtocols(): string[]
}

interface Upgraded {
  secured: MessageStream
  remotePeer: PeerId
  encryption: string
  encryptionDetails?: unknown
  muxerFactory?: StreamMuxerFactory
}

let connectionCount = 0

class UplinkUpgraderImpl extends TypedEventEmitter<UpgraderEvents> implements UplinkUpgrader {
  readonly peerId: PeerId
  readonly components: UplinkComponents
  private readonly encrypters = new Map<string, ConnectionEncrypter>()
  private readonly muxers = new Map<string, StreamMuxerFactory>()
  private readonly handlers: StreamHandlerRegistry
  private readonly upgradeTimeout: number
  private readonly protocolNegotiationTimeout: number
  private readonly connectionCloseTimeout: number
  private readonly log: Logger

  constructor (init: UpgraderInit) {
    super()
    const logger = init.logger ?? defaultLogger()
    this.log = logger.forComponent('uplink:upgrader')
    this.peerId = peerIdFromPrivateKey(init.privateKey)
    this.components = { privateKey: init.privateKey, peerId: this.peerId, logger, upgrader: this }
    this.handlers = init.streamHandlers ?? new StreamHandlerRegistry()
    this.upgradeTimeout = init.upgradeTimeout ?? DEFAULT_UPGRADE_TIMEOUT
    this.protocolNegotiationTimeout = init.protocolNegotiationTimeout ?? DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT
    this.connectionCloseTimeout = init.connectionCloseTimeout ?? DEFAULT_CONNECTION_CLOSE_TIMEOUT

    for (const module of init.connectionEncrypters) {
      const encrypter = instantiate(module, this.components)
      this.encrypters.set(encrypter.protocol, encrypter)
    }

    for (const module of init.streamMuxers ?? []) {
      const muxer = instantiate(module, this.components)
      this.muxers.set(muxer.protocol, muxer)
    }
  }

  readonly [Symbol.toStringTag] = '@uplink/upgrader'

  async upgradeOutbound (maConn: MultiaddrConnection, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<UplinkConnection> {
    // `initiator: false` (e.g. hole punching) makes the dialer answer multistream-select
    return this.upgrade(maConn, opts.initiator === false ? 'inbound' : 'outbound', opts)
  }

  async upgradeInbound (maConn: MultiaddrConnection, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<void> {
    await this.upgrade(maConn, 'inbound', opts)
  }

  createInboundAbortSignal (signal: AbortSignal): ClearableSignal {
    return deadlineSignal(signal, this.upgradeTimeout)
  }

  getConnectionEncrypters (): Map<string, ConnectionEncrypter> {
    return this.encrypters
  }

  getStreamMuxers (): Map<string, StreamMuxerFactory> {
    return this.muxers
  }

  handle (protocols: string | string[], handler: StreamHandler, options?: StreamHandlerOptions): void {
    this.handlers.handle(protocols, handler, options)
  }

  unhandle (protocols: string | string[]): void {
    this.handlers.unhandle(protocols)
  }

  getProtocols (): string[] {
    return this.handlers.getProtocols()
  }

  /**
   * raw → multistream-select (crypto) → handshake → peer check →
   * multistream-select (muxer) → Connection, under one deadline. Any failure
   * or the deadline closes the raw connection.
   */
  private async upgrade (maConn: MultiaddrConnection, direction: MessageStreamDirection, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<UplinkConnection> {
    const signal = deadlineSignal(opts.signal, this.upgradeTimeout)
    const closeOnAbort = (): void => { maConn.abort(asError(signal.reason)) }
    signal.addEventListener('abort', closeOnAbort, { once: true })

    const role: NegotiationRole = direction === 'outbound' ? 'propose' : 'answer'
    const expected = direction === 'outbound' ? expectedPeer(maConn.remoteAddr) : undefined
    let stage: UpgradeStage = 'negotiate-crypto'

    try {
      this.log('upgrading %s connection %a', direction, maConn.remoteAddr)
      signal.throwIfAborted()

      const upgraded = 'skipEncryption' in opts && opts.skipEncryption
        ? { secured: maConn, remotePeer: opts.remotePeer, encryption: 'native' }
        : await this.encrypt(maConn, direction, role, expected, signal, (next) => { stage = next })

      stage = 'verify-peer'
      verifyRemotePeer(expected, upgraded.remotePeer, this.peerId)

      stage = 'negotiate-muxer'
      const muxerFactory = opts.muxerFactory ?? upgraded.muxerFactory ?? await this.negotiateMuxer(upgraded.secured, role, signal)

      return this.createConnection(maConn, direction, upgraded, muxerFactory, opts)
    } catch (err: unknown) {
      const error = stageError(stage, err, signal, expected)
      this.log.error('%s upgrade of %a failed - %e', direction, maConn.remoteAddr, error)
      maConn.abort(error)
      throw error
    } finally {
      signal.removeEventListener('abort', closeOnAbort)
      signal.clear()
    }
  }

  private async encrypt (maConn: MultiaddrConnection, direction: MessageStreamDirection, role: NegotiationRole, expected: PeerId | undefined, signal: AbortSignal, enter: (stage: UpgradeStage) => void): Promise<Upgraded> {
    enter('negotiate-crypto')
    const encryption = await negotiate(maConn, role, [...this.encrypters.keys()], { signal })
    const encrypter = this.encrypters.get(encryption)

    if (encrypter == null) {
      throw new EncryptionFailedError('negotiate-crypto', new Error(`no crypto channel for ${encryption}`))
    }

    enter('handshake')
    const options = { signal, remotePeer: expected }
    const result = direction === 'outbound'
      ? await encrypter.secureOutbound(maConn, options)
      : await encrypter.secureInbound(maConn, options)

    return { secured: result.connection, remotePeer: result.remotePeer, encryption, encryptionDetails: result.remoteExtensions, muxerFactory: result.streamMuxer }
  }

  private async negotiateMuxer (secured: MessageStream, role: NegotiationRole, signal: AbortSignal): Promise<StreamMuxerFactory | undefined> {
    if (this.muxers.size === 0) {
      return undefined
    }

    const protocol = await negotiate(secured, role, [...this.muxers.keys()], { signal })
    return this.muxers.get(protocol)
  }

  private createConnection (maConn: MultiaddrConnection, direction: MessageStreamDirection, upgraded: Upgraded, muxerFactory: StreamMuxerFactory | undefined, opts: UpgraderOptions): UplinkConnection {
    const connection = createConnection({
      id: `${direction === 'inbound' ? 'in' : 'out'}-${++connectionCount}`,
      direction,
      maConn,
      secured: upgraded.secured,
      remotePeer: upgraded.remotePeer,
      encryption: upgraded.encryption,
      encryptionDetails: upgraded.encryptionDetails,
      muxer: muxerFactory?.createStreamMuxer(upgraded.secured),
      handlers: this.handlers,
      limits: opts.limits,
      protocolNegotiationTimeout: this.protocolNegotiationTimeout,
      closeTimeout: this.connectionCloseTimeout
    })

    maConn.timeline.upgraded = Date.now()
    connection.addEventListener('close', () => {
      this.safeDispatchEvent('connection:close', { detail: connection })
    }, { once: true })
    this.log('%s connection to %p upgraded with %s and %s', direction, connection.remotePeer, connection.encryption, connection.multiplexer ?? 'no muxer')
    this.safeDispatchEvent('connection:open', { detail: connection })

    return connection
  }
}

function asError (reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason))
}

/** Creates an upgrader that works on its own: give it a raw connection, get a `Connection`. */
export function createUpgrader (init: UpgraderInit): UplinkUpgrader {
  return new UplinkUpgraderImpl(validateUpgraderInit(init))
}
