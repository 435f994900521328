import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { instantiate } from '../components.js'
import { createConnection } from '../connection/connection.js'
import type { UplinkConnection } from '../connection/connection.js'
import { StreamHandlerRegistry } from '../connection/stream-handlers.js'
import {
  DEFAULT_CONNECTION_CLOSE_TIMEOUT, DEFAULT_MAX_INBOUND_UPGRADES_PER_HOST_PER_SECOND, DEFAULT_MAX_PENDING_INBOUND_UPGRADES,
  DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST, DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT, DEFAULT_UPGRADE_TIMEOUT
} from '../constants.js'
import { EncryptionFailedError } from '../errors.js'
import { FirstFailure } from './first-failure.js'
import { InboundAdmission } from './inbound-admission.js'
import { negotiate } from './negotiate.js'
import { progressReporter } from './progress.js'
import { stageError } from './stage-errors.js'
import { deadlineSignal } from '@uplink/deadline'
import { inboundSide, outboundSide } from './upgrade-side.js'
import { validateUpgraderInit } from './validate-init.js'
import type { CheckedUpgraderInit } from './validate-init.js'
import { verifyRemotePeer } from './verify-peer.js'
import type { EncrypterModule, MuxerModule, UplinkComponents } from '../components.js'
import type { UpgradeStage } from '../errors.js'
import type { InboundUpgradeLimits } from './inbound-admission.js'
import type { ReportProgress } from './progress.js'
import type { UpgradeSide } from './upgrade-side.js'
import type {
  ClearableSignal, ComponentLogger, ConnectionEncrypter, Libp2pEvents, Logger, MessageStream,
  MultiaddrConnection, PeerId, PrivateKey, StreamHandler, StreamHandlerOptions, StreamMuxerFactory, Upgrader,
  UpgraderOptions, UpgraderWithoutEncryptionOptions
} from '@libp2p/interface'
import type { TypedEventTarget } from 'main-event'
import type { ProgressEventListener } from 'progress-events'

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

  /**
   * Bounds on half-open inbound connections: each pending upgrade holds a
   * socket and handshake state until it finishes or times out. The excess is
   * refused with an `InboundUpgradeRefusedError` (logged) and closed at once.
   */
  inboundUpgradeLimits?: InboundUpgradeLimits

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
  /** Inbound upgrades in progress now (bounded by `inboundUpgradeLimits`). */
  readonly pendingInboundUpgrades: number
}

export type { InboundUpgradeLimits }

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
  private readonly admission: InboundAdmission
  private readonly log: Logger

  constructor (init: CheckedUpgraderInit) {
    super()
    const logger = init.logger ?? defaultLogger()
    this.log = logger.forComponent('uplink:upgrader')
    this.peerId = peerIdFromPrivateKey(init.privateKey)
    this.components = { privateKey: init.privateKey, peerId: this.peerId, logger, upgrader: this, events: new TypedEventEmitter<Libp2pEvents>() }
    this.handlers = init.streamHandlers ?? new StreamHandlerRegistry()
    this.upgradeTimeout = init.upgradeTimeout ?? DEFAULT_UPGRADE_TIMEOUT
    this.protocolNegotiationTimeout = init.protocolNegotiationTimeout ?? DEFAULT_PROTOCOL_NEGOTIATION_TIMEOUT
    this.connectionCloseTimeout = init.connectionCloseTimeout ?? DEFAULT_CONNECTION_CLOSE_TIMEOUT
    this.admission = new InboundAdmission({
      maxPending: init.inboundUpgradeLimits?.maxPending ?? DEFAULT_MAX_PENDING_INBOUND_UPGRADES,
      maxPendingPerHost: init.inboundUpgradeLimits?.maxPendingPerHost ?? DEFAULT_MAX_PENDING_INBOUND_UPGRADES_PER_HOST,
      maxPerHostPerSecond: init.inboundUpgradeLimits?.maxPerHostPerSecond ?? DEFAULT_MAX_INBOUND_UPGRADES_PER_HOST_PER_SECOND
    })

    for (const module of init.connectionEncrypters) {
      const encrypter = instantiate(module, this.components)
      this.encrypters.set(encrypter.protocol, encrypter)
    }

    for (const module of init.streamMuxers) {
      const muxer = instantiate(module, this.components)
      this.muxers.set(muxer.protocol, muxer)
    }
  }

  readonly [Symbol.toStringTag] = '@uplink/upgrader'

  async upgradeOutbound (maConn: MultiaddrConnection, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<UplinkConnection> {
    let side: UpgradeSide

    try {
      side = outboundSide(maConn, opts)
    } catch (err: any) {
      // a dialed address whose /p2p/ id is not a PeerId: nothing can be verified, so nothing is upgraded
      maConn.abort(err)
      throw err
    }

    return this.upgrade(maConn, side, opts)
  }

  async upgradeInbound (maConn: MultiaddrConnection, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<void> {
    let release: () => void

    try {
      release = this.admission.admit(maConn)
    } catch (err: any) {
      this.log.error('refused inbound connection from %a - %e', maConn.remoteAddr, err)
      maConn.abort(err)
      throw err
    }

    try {
      await this.upgrade(maConn, inboundSide(opts), opts)
    } finally {
      release()
    }
  }

  /** Inbound upgrades in progress now. */
  get pendingInboundUpgrades (): number {
    return this.admission.pendingUpgrades
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
   * or the deadline closes the raw connection; the error names the stage and
   * carries the first real reason as its cause.
   */
  private async upgrade (maConn: MultiaddrConnection, side: UpgradeSide, opts: UpgraderOptions | UpgraderWithoutEncryptionOptions): Promise<UplinkConnection> {
    const signal = deadlineSignal(opts.signal, this.upgradeTimeout, 'the connection upgrade')
    const failure = new FirstFailure()
    failure.watch(maConn)
    const closeOnAbort = (): void => { maConn.abort(asError(signal.reason)) }
    signal.addEventListener('abort', closeOnAbort, { once: true })
    let stage: UpgradeStage = 'negotiate-crypto'
    const report = progressReporter(opts.onProgress, this.log)

    try {
      this.log('upgrading %s connection %a as the %s', side.direction, maConn.remoteAddr, side.role === 'propose' ? 'proposer' : 'answerer')
      signal.throwIfAborted()

      const upgraded = 'skipEncryption' in opts && opts.skipEncryption
        ? { secured: maConn, remotePeer: opts.remotePeer, encryption: 'native' }
        : await this.encrypt(maConn, side, signal, (next) => { stage = next }, report, opts.onProgress)
      report('upgrader:secured', { encryption: upgraded.encryption, remotePeer: upgraded.remotePeer, encryptionDetails: upgraded.encryptionDetails })

      if (upgraded.secured !== maConn) {
        failure.watch(upgraded.secured)
      }

      stage = 'verify-peer'
      verifyRemotePeer(side.expected, upgraded.remotePeer, this.peerId)
      report('upgrader:peer-verified', { expected: side.expected, actual: upgraded.remotePeer })

      stage = 'negotiate-muxer'
      report(side.direction === 'outbound' ? 'upgrader:multiplex-outbound-connection' : 'upgrader:multiplex-inbound-connection')
      const by = opts.muxerFactory != null ? 'transport' : upgraded.muxerFactory != null ? 'encrypter' : 'multistream-select'
      let muxerFactory = opts.muxerFactory ?? upgraded.muxerFactory

      if (muxerFactory == null && this.muxers.size > 0) {
        const negotiated = await negotiate(upgraded.secured, side.role, [...this.muxers.keys()], { signal })
        muxerFactory = this.muxers.get(negotiated.protocol)
        // the muxer reads what the negotiation hands on (see negotiate.ts)
        upgraded.secured = negotiated.stream
      }

      report('upgrader:muxer-negotiated', { protocols: [...this.muxers.keys()], role: side.role, protocol: muxerFactory?.protocol, by })

      return this.createConnection(maConn, side, upgraded, muxerFactory, failure, opts)
    } catch (err: unknown) {
      const error = stageError(stage, err, { signal, expected: side.expected, firstFailure: failure.first })
      this.log.error('%s upgrade of %a failed - %e', side.direction, maConn.remoteAddr, error)
      maConn.abort(error)
      throw error
    } finally {
      signal.removeEventListener('abort', closeOnAbort)
      signal.clear()
    }
  }

  /**
   * The handshake's own role follows the negotiation role (a noise initiator
   * needs a responder), but the expected peer is checked in either: who
   * dialed decides what is verified.
   */
  private async encrypt (maConn: MultiaddrConnection, side: UpgradeSide, signal: AbortSignal, enter: (stage: UpgradeStage) => void, report: ReportProgress, onProgress?: ProgressEventListener): Promise<Upgraded> {
    enter('negotiate-crypto')
    report(side.direction === 'outbound' ? 'upgrader:encrypt-outbound-connection' : 'upgrader:encrypt-inbound-connection')
    const protocols = [...this.encrypters.keys()]
    const { protocol: encryption, stream: raw } = await negotiate(maConn, side.role, protocols, { signal })
    report('upgrader:crypto-negotiated', { protocols, role: side.role, protocol: encryption, by: 'multistream-select' })
    const encrypter = this.encrypters.get(encryption)

    if (encrypter == null) {
      throw new EncryptionFailedError('negotiate-crypto', new Error(`no crypto channel for ${encryption}`))
    }

    enter('handshake')
    // the channel's own progress events (SECIO's proposals, for one) reach the caller's listener as they are
    const options = { signal, remotePeer: side.expected, onProgress }
    const result = side.role === 'propose'
      ? await encrypter.secureOutbound(raw, options)
      : await encrypter.secureInbound(raw, options)

    return { secured: result.connection, remotePeer: result.remotePeer, encryption, encryptionDetails: result.remoteExtensions, muxerFactory: result.streamMuxer }
  }

  private createConnection (maConn: MultiaddrConnection, side: UpgradeSide, upgraded: Upgraded, muxerFactory: StreamMuxerFactory | undefined, failure: FirstFailure, opts: UpgraderOptions): UplinkConnection {
    const { direction } = side
    const connection = createConnection({
      id: `${direction === 'inbound' ? 'in' : 'out'}-${++connectionCount}`,
      direction,
      failure,
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
