import { DeadlineExceededError } from '@uplink/deadline'
import {
  EncryptionFailedError,
  MuxerUnavailableError,
  UpgradeAbortedError,
  UpgradeTimeoutError,
  unexpectedPeerError
} from '../errors.js'
import type { UpgradeStage, UpgradeStageError } from '../errors.js'
import type { PeerId } from '@libp2p/interface'

export interface StageErrorContext {
  /** The upgrade's own signal: when it fired, the deadline or the caller ended the upgrade. */
  signal: AbortSignal
  /** The PeerId that was dialed, if any. */
  expected?: PeerId
  /** The first failure the raw or secured connection closed with, if any. */
  firstFailure?: Error
}

/**
 * Turns whatever a stage threw into the upgrader's named error for that stage.
 * The cause is the first real reason: a fired signal wins over the error it
 * provoked (a read cut short by the deadline is a timeout, not a broken peer),
 * and a connection that failed first wins over what a later layer made of it
 * (a SECIO MAC failure is not the muxer negotiation's unexpected end).
 */
export function stageError (stage: UpgradeStage, thrown: unknown, context: StageErrorContext): UpgradeStageError {
  if (isStageError(thrown)) {
    return thrown
  }

  const { signal, expected } = context

  if (signal.aborted) {
    return signal.reason instanceof DeadlineExceededError
      ? new UpgradeTimeoutError(stage, thrown)
      : new UpgradeAbortedError(stage, signal.reason ?? thrown)
  }

  const cause = context.firstFailure ?? thrown

  if (cause instanceof Error && cause.name === 'UnexpectedPeerError') {
    // crypto channels check the expected peer during their handshake; not all of them say who answered
    const actual = (cause as { actual?: PeerId }).actual
    const reason = actual == null ? `dialed ${expected?.toString() ?? 'an unknown peer'} - ${cause.message}` : undefined
    return unexpectedPeerError(expected, actual, { cause, reason })
  }

  if (cause instanceof DeadlineExceededError) {
    // a layer's own deadline (e.g. a crypto channel's handshake timeout) ran out before the upgrade's
    return new UpgradeTimeoutError(stage, cause)
  }

  switch (stage) {
    case 'negotiate-crypto':
    case 'handshake':
      return new EncryptionFailedError(stage, cause)
    case 'negotiate-muxer':
      return new MuxerUnavailableError(`connection upgrade failed at negotiate-muxer - ${describe(cause)}`, { cause })
    case 'verify-peer':
      return unexpectedPeerError(expected, undefined, { cause })
  }
}

function describe (err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

function isStageError (err: unknown): err is UpgradeStageError {
  return err instanceof Error && typeof (err as Partial<UpgradeStageError>).stage === 'string'
}
