import { InvalidPeerIdError } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { reasonOf } from '../config/describe-value.js'
import type { PeerId } from '@libp2p/interface'

/**
 * A PeerId from its string form; `what` says where the string came from
 * (e.g. `/p2p/Qm… in /ip4/…`), since the decoder's own errors
 * (`Non-base58btc character`) say neither that nor that it was a PeerId.
 */
export function parsePeerId (text: string, what: string): PeerId {
  try {
    return peerIdFromString(text)
  } catch (cause) {
    throw Object.assign(new InvalidPeerIdError(`${what} is not a valid PeerId (${reasonOf(cause)})`), { cause })
  }
}
