import { InvalidParametersError, isPeerId } from '@libp2p/interface'
import { isMultiaddr } from '@multiformats/multiaddr'
import { parsePeerId } from '../addresses/parse-peer-id.js'
import { toMultiaddr } from '../addresses/to-multiaddrs.js'
import { describeValue } from '../config/describe-value.js'
import { expectedPeer } from '../upgrader/verify-peer.js'
import type { AddrInput } from '../addresses/to-multiaddrs.js'
import type { PeerId } from '@libp2p/interface'

/** Whom `hangUp` means: a PeerId, its string form, or an address (object or string) ending in `/p2p/<PeerId>`. */
export function hangUpTarget (peer: PeerId | AddrInput): PeerId {
  if (isPeerId(peer)) {
    return peer
  }

  if (typeof peer === 'string' && !peer.startsWith('/')) {
    return parsePeerId(peer, `hangUp: ${JSON.stringify(peer)}`)
  }

  if (typeof peer !== 'string' && !isMultiaddr(peer)) {
    throw new InvalidParametersError(`hangUp was given ${describeValue(peer)}: expected a PeerId, a PeerId string or an address ending in /p2p/<PeerId>`)
  }

  const addr = toMultiaddr(peer, 'hangUp')
  const peerId = expectedPeer(addr)

  if (peerId == null) {
    throw new InvalidParametersError(`hangUp needs a PeerId or an address with /p2p/, got ${addr.toString()}`)
  }

  return peerId
}
