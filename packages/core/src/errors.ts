import {
  AbortError as InterfaceAbortError,
  TimeoutError as InterfaceTimeoutError,
  UnexpectedPeerError
} from '@libp2p/interface'
import type { PeerId } from '@libp2p/interface'
import { withCause } from '@uplink/handover/with-cause'

declare module '@libp2p/interface' {
  /**
   * Uplink's packages all throw this one class for a wrong peer, with both
   * PeerIds attached, so `instanceof` and `err.name` work across packages
   * (and with js-libp2p's encrypters, which may only know `expected`).
   */
  interface UnexpectedPeerError {
    /** The PeerId the caller meant to reach (the dialed `/p2p/` id). */
    expected?: PeerId
    /** The PeerId the remote proved it owns, when the failing layer knows it. */
    actual?: PeerId
    /** Set by the upgrader: always `verify-peer`. */
    stage?: UpgradeStage
  }
}

export { UnexpectedPeerError }

// one helper for every layer that wraps an error (the @libp2p/interface classes take only a message)
export { withCause }

/**
 * The stage of the upgrade pipeline that failed, in pipeline order.
 * `negotiate-crypto` and `negotiate-muxer` are multistream-select rounds,
 * `handshake` is the crypto channel's own exchange and `verify-peer` the check
 * that the remote is the peer that was dialed.
 */
export type UpgradeStage = 'negotiate-crypto' | 'handshake' | 'verify-peer' | 'negotiate-muxer'

/** Every error the upgrader throws carries the failing stage and the original error. */
export interface UpgradeStageError extends Error {
  stage: UpgradeStage
}

function describe (stage: UpgradeStage, cause: unknown): string {
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
  return `connection upgrade failed at ${stage} - ${reason}`
}

/** The crypto channel could not be negotiated or its handshake failed. */
export class EncryptionFailedError extends Error implements UpgradeStageError {
  static override name = 'EncryptionFailedError'
  readonly stage: UpgradeStage

  constructor (stage: 'negotiate-crypto' | 'handshake', cause: unknown) {
    super(describe(stage, cause), { cause })
    this.name = 'EncryptionFailedError'
    this.stage = stage
  }
}

/** No stream muxer could be agreed with the remote. */
export class MuxerUnavailableError extends Error implements UpgradeStageError {
  static override name = 'MuxerUnavailableError'
  readonly stage: UpgradeStage = 'negotiate-muxer'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'MuxerUnavailableError'
  }
}

/**
 * The connection's stream muxer gave up on it: mplex past its new-stream rate
 * limit (`disconnectThreshold`), yamux after a GoAway that reports an error.
 * Such a muxer resets its streams but leaves the connection open, with
 * nothing left to answer the remote; Uplink closes the connection with this
 * error instead, the muxer's own reason as `cause`. (A muxer that gives up
 * with a named error, such as its decoder's, has the connection closed with
 * that error as it is.)
 */
export class MuxerFailedError extends Error {
  static override name = 'MuxerFailedError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'MuxerFailedError'
  }
}

/**
 * The remote proved ownership of a different key than the dialed PeerId (or is
 * ourselves): the one `UnexpectedPeerError` class of `@libp2p/interface`, with
 * `expected`, `actual` and `stage: 'verify-peer'`.
 */
export function unexpectedPeerError (expected: PeerId | undefined, actual: PeerId | undefined, options: { reason?: string, cause?: unknown } = {}): UnexpectedPeerError & UpgradeStageError {
  const message = options.reason ?? `dialed ${expected?.toString() ?? 'an unknown peer'} but the remote proved it is ${actual?.toString() ?? 'another peer'}`
  const err = withCause(new UnexpectedPeerError(message), options.cause)
  return Object.assign(err, { expected, actual, stage: 'verify-peer' as const })
}

/** The upgrade ran out of time; the raw connection has been closed. */
export class UpgradeTimeoutError extends InterfaceTimeoutError implements UpgradeStageError {
  readonly stage: UpgradeStage

  constructor (stage: UpgradeStage, cause: unknown) {
    super(describe(stage, cause))
    this.cause = cause
    this.stage = stage
  }
}

/** The caller aborted the upgrade; the raw connection has been closed. */
export class UpgradeAbortedError extends InterfaceAbortError implements UpgradeStageError {
  readonly stage: UpgradeStage

  constructor (stage: UpgradeStage, cause: unknown) {
    super(describe(stage, cause))
    this.cause = cause
    this.stage = stage
  }
}

/** No handler is registered for a protocol the remote asked for. */
export class UnhandledProtocolError extends Error {
  static override name = 'UnhandledProtocolError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'UnhandledProtocolError'
  }
}

/** A handler is already registered for the protocol (pass `force: true` to replace it). */
export class DuplicateProtocolHandlerError extends Error {
  static override name = 'DuplicateProtocolHandlerError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DuplicateProtocolHandlerError'
  }
}

/** None of the node's transports can dial or listen on the multiaddr. */
export class TransportUnavailableError extends Error {
  static override name = 'TransportUnavailableError'

  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'TransportUnavailableError'
  }
}

/** Which inbound-upgrade limit refused a connection (see `InboundUpgradeLimits`). */
export type InboundLimit = 'pending' | 'pending-per-host' | 'rate-per-host'

/**
 * An inbound connection was refused before its upgrade began, because too
 * many upgrades are pending (in all or from its host) or its host opened too
 * many connections in the last second. The raw connection is closed at once.
 */
export class InboundUpgradeRefusedError extends Error {
  static override name = 'InboundUpgradeRefusedError'
  readonly limit: InboundLimit

  constructor (limit: InboundLimit, message: string) {
    super(message)
    this.name = 'InboundUpgradeRefusedError'
    this.limit = limit
  }
}
