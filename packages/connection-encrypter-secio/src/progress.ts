import { CustomProgressEvent } from 'progress-events'
import type { Suite } from './handshake/algorithms.js'
import type { Logger } from '@libp2p/interface'
import type { ProgressEvent, ProgressOptions } from 'progress-events'

/** The algorithm lists one side's Propose offers, most preferred first. */
export interface SecioOffer {
  exchanges: string[]
  ciphers: string[]
  hashes: string[]
}

/** Both Proposes, once the peer's is read: what each side offered and what that selects. */
export interface SecioProposals {
  local: SecioOffer
  remote: SecioOffer
  /** +1 when our lists win the selection, -1 when the peer's do. */
  order: 1 | -1
  selected: Suite
  /** The peer's nonce carries Uplink's full-width mark (`handshake/full-width-mark.ts`). */
  remoteMarked: boolean
}

/**
 * How the channel's keys were settled. `leadingZeros` > 0 means the ECDH
 * secret was ambiguous (go-libp2p and py-libp2p drop those bytes), and
 * `settledBy` says how the width was chosen.
 */
export interface SecioKeying {
  leadingZeros: number
  secretWidth: 'full' | 'zero-stripped'
  settledBy: 'unambiguous-secret' | 'both-marked' | 'peer-frame' | 'wait-expired'
}

/** Progress events `secureInbound`/`secureOutbound` report through `onProgress`. */
export type SecioProgressEvents =
  ProgressEvent<'secio:proposals', SecioProposals> |
  ProgressEvent<'secio:keys-confirmed', SecioKeying>

export type SecioProgressOptions = ProgressOptions<SecioProgressEvents>

type Detail<T extends SecioProgressEvents['type']> = Extract<SecioProgressEvents, { type: T }>['detail']

/** Reports one event; a listener that throws is logged and cannot break the handshake. */
export function reportProgress<T extends SecioProgressEvents['type']> (options: SecioProgressOptions, log: Logger, type: T, detail: Detail<T>): void {
  try {
    options.onProgress?.(new CustomProgressEvent<unknown>(type, detail) as SecioProgressEvents)
  } catch (err) {
    log.error('an onProgress listener threw on %s - %e', type, err)
  }
}
