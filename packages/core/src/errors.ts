import {
  AbortError as InterfaceAbortError,
  TimeoutError as InterfaceTimeoutError,
  UnexpectedPeerError as InterfaceUnexpectedPeerError
} from '@libp2p/interface'
import type { PeerId } from '@libp2p/interface'

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
 * The remote proved ownership of a different key than the dialed PeerId (or is
 * ourselves). Keeps the interface's name so `err.name === 'UnexpectedPeerError'`
 * matches here and in js-libp2p alike.
 */
export class UnexpectedPeerError extends InterfaceUnexpectedPeerError implements UpgradeStageError {
  readonly stage: UpgradeStage = 'verify-peer'
  readonly expected?: PeerId
  readonly actual?: PeerId

  constructor (expected: PeerId | undefined, actual: PeerId | undefined, options?: ErrorOptions & { reason?: string }) {
    super(options?.reason ?? `dialed ${expected?.toString() ?? 'an unknown peer'} but the remote proved it is ${actual?.toString() ?? 'another peer'}`)
    if (options?.cause !== undefined) this.cause = options.cause
    this.expected = expected
    this.actual = actual
  }
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
