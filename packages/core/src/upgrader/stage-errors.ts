import {
  EncryptionFailedError,
  MuxerUnavailableError,
  UnexpectedPeerError,
  UpgradeAbortedError,
  UpgradeTimeoutError
} from '../errors.js'
import { DeadlineExceededError } from '@uplink/deadline'
import type { UpgradeStage, UpgradeStageError } from '../errors.js'
import type { PeerId } from '@libp2p/interface'

/**
 * Turns whatever a stage threw into the upgrader's named error for that stage,
 * keeping the original as `cause`. A fired signal wins over the error it
 * provoked: a read cut short by the deadline is a timeout, not a broken peer.
 */
export function stageError (stage: UpgradeStage, err: unknown, signal: AbortSignal, expected?: PeerId): UpgradeStageError {
  if (isStageError(err)) {
    return err
  }

  if (signal.aborted) {
    return signal.reason instanceof DeadlineExceededError
      ? new UpgradeTimeoutError(stage, err)
      : new UpgradeAbortedError(stage, signal.reason ?? err)
  }

  if (err instanceof Error && err.name === 'UnexpectedPeerError') {
    // crypto channels check the expected peer during their handshake; not all
    // of them say who answered other than in their message
    const actual = (err as { actual?: PeerId }).actual
    const reason = actual == null ? `dialed ${expected?.toString() ?? 'an unknown peer'} - ${err.message}` : undefined
    return new UnexpectedPeerError(expected, actual, { cause: err, reason })
  }

  switch (stage) {
    case 'negotiate-crypto':
    case 'handshake':
      return new EncryptionFailedError(stage, err)
    case 'negotiate-muxer':
      return new MuxerUnavailableError(`connection upgrade failed at negotiate-muxer - ${String(err)}`, { cause: err })
    case 'verify-peer':
      return new UnexpectedPeerError(expected, undefined, { cause: err })
  }
}

function isStageError (err: unknown): err is UpgradeStageError {
  return err instanceof Error && typeof (err as Partial<UpgradeStageError>).stage === 'string'
}
