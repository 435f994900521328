import { CustomProgressEvent } from 'progress-events'
import type { InboundConnectionUpgradeEvents, Logger, OutboundConnectionUpgradeEvents, PeerId } from '@libp2p/interface'
import type { ProgressEvent, ProgressEventListener } from 'progress-events'

/** What the crypto or muxer negotiation settled on, and what was on offer. */
export interface NegotiatedProtocol {
  /** Ours, in preference order: offered when proposing, accepted when answering. */
  protocols: string[]
  /** `propose` offers them in order, `answer` picks the first the remote offers that we have. */
  role: 'propose' | 'answer'
  /** The protocol both sides agreed on; `undefined` for a muxer when none is configured. */
  protocol?: string
  /**
   * Who agreed on it: a multistream-select round, or (muxers only) the crypto
   * channel's handshake (noise extensions, TLS ALPN) or the transport.
   */
  by: 'multistream-select' | 'encrypter' | 'transport'
}

/** What the crypto channel's handshake established. */
export interface SecuredSession {
  /** The crypto channel's protocol id, or `native` for a transport that secures its own connections. */
  encryption: string
  /** The PeerId whose key the remote proved it owns (or the transport reported). */
  remotePeer: PeerId
  /** The channel's report about the session (its `remoteExtensions`), e.g. SECIO's negotiated suite. */
  encryptionDetails?: unknown
}

/** The result of the identity check. */
export interface VerifiedPeer {
  /** The `/p2p/` id that was dialed, if any; without one nothing was compared. */
  expected?: PeerId
  actual: PeerId
}

/**
 * Progress of one upgrade, passed to `onProgress` as each stage begins (the
 * `@libp2p/interface` events js-libp2p's upgrader emits too) and as each
 * stage ends, with what it agreed on. A failure is the upgrade's error, not
 * an event. The crypto channel gets the same listener, so its own events
 * (SECIO's `secio:proposals` and `secio:keys-confirmed`) arrive in between.
 */
export type UpgradeProgressEvents =
  OutboundConnectionUpgradeEvents |
  InboundConnectionUpgradeEvents |
  ProgressEvent<'upgrader:crypto-negotiated', NegotiatedProtocol> |
  ProgressEvent<'upgrader:secured', SecuredSession> |
  ProgressEvent<'upgrader:peer-verified', VerifiedPeer> |
  ProgressEvent<'upgrader:muxer-negotiated', NegotiatedProtocol>

type Detail<T extends UpgradeProgressEvents['type']> = Extract<UpgradeProgressEvents, { type: T }>['detail']

/** Reports one progress event of an upgrade. */
export type ReportProgress = <T extends UpgradeProgressEvents['type']>(type: T, detail?: Detail<T>) => void

/**
 * Calls the caller's progress listener; a listener that throws is logged and
 * ignored, so watching an upgrade cannot break it.
 */
export function progressReporter (onProgress: ProgressEventListener | undefined, log: Logger): ReportProgress {
  return (type, detail) => {
    if (onProgress == null) return

    try {
      onProgress(new CustomProgressEvent(type, detail))
    } catch (err) {
      log.error('an onProgress listener threw on %s - %e', type, err)
    }
  }
}
