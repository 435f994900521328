import { parsePeerId } from '../addresses/parse-peer-id.js'
import { CODE_P2P } from '@multiformats/multiaddr'
import { unexpectedPeerError } from '../errors.js'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The PeerId a dialed address promises (its last `/p2p/` component), if any.
 * Without one, the remote's identity is learned from the handshake and nothing
 * is verified.
 */
export function expectedPeer (addr: Multiaddr): PeerId | undefined {
  const value = addr.getComponents().findLast(c => c.code === CODE_P2P)?.value
  return value == null ? undefined : parsePeerId(value, `/p2p/${value} in ${addr.toString()}`)
}

/**
 * The check the whole pipeline exists for: the key the remote proved it owns
 * belongs to the peer we meant to reach, and that peer is not ourselves.
 */
export function verifyRemotePeer (expected: PeerId | undefined, actual: PeerId, self: PeerId): void {
  if (expected != null && !expected.equals(actual)) {
    throw unexpectedPeerError(expected, actual)
  }

  if (actual.equals(self)) {
    throw unexpectedPeerError(expected, actual, { reason: `the remote is this node itself (${self.toString()})` })
  }
}
