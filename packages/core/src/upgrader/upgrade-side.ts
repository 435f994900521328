import { expectedPeer } from './verify-peer.js'
import type { NegotiationRole } from './negotiate.js'
import type { MessageStreamDirection, MultiaddrConnection, PeerId, UpgraderOptions } from '@libp2p/interface'

/**
 * Who dialed is not who proposes. `direction` and `expected` follow who
 * dialed: an outbound upgrade verifies the dialed `/p2p/` id whatever role it
 * plays. `role` is the multistream-select role (and, for handshakes with
 * roles such as noise's, the handshake role); `initiator` overrides it, as in
 * a hole punch where the dialer answers.
 */
export interface UpgradeSide {
  direction: MessageStreamDirection
  role: NegotiationRole
  expected?: PeerId
}

export function outboundSide (maConn: MultiaddrConnection, opts: Pick<UpgraderOptions, 'initiator'>): UpgradeSide {
  return {
    direction: 'outbound',
    role: opts.initiator === false ? 'answer' : 'propose',
    expected: expectedPeer(maConn.remoteAddr)
  }
}

export function inboundSide (opts: Pick<UpgraderOptions, 'initiator'>): UpgradeSide {
  return {
    direction: 'inbound',
    role: opts.initiator === true ? 'propose' : 'answer'
  }
}
