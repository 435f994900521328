import * as mss from '@libp2p/multistream-select'
import type { AbortOptions, MessageStream } from '@libp2p/interface'

/** Which side of multistream-select we play: the dialer proposes, the listener answers. */
export type NegotiationRole = 'propose' | 'answer'

/**
 * Agrees on one of `protocols` with the remote. The proposer offers them in
 * the given order, so configuration order is preference order.
 */
export async function negotiate (stream: MessageStream, role: NegotiationRole, protocols: string[], options: AbortOptions): Promise<string> {
  return role === 'propose'
    ? mss.select(stream, protocols, options)
    : mss.handle(stream, protocols, options)
}
