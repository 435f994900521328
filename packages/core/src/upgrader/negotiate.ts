import * as mss from '@libp2p/multistream-select'
import { handoverStream, streamEnded } from '@uplink/handover'
import { Uint8ArrayList } from 'uint8arraylist'
import type { AbortOptions, MessageStream } from '@libp2p/interface'

/** Which side of multistream-select we play: the dialer proposes, the listener answers. */
export type NegotiationRole = 'propose' | 'answer'

export interface Negotiated {
  protocol: string
  /** What the next layer reads and writes: the stream itself, or a hand-over if it ended during the negotiation. */
  stream: MessageStream
}

/**
 * Agrees on one of `protocols` with the remote. The proposer offers them in
 * the given order, so configuration order is preference order.
 *
 * multistream-select puts the bytes it read past the agreement back on the
 * stream, which a stream whose readable side has ended refuses: a remote that
 * sent its agreement, its first data and its half-close together would fail
 * the upgrade and lose the data. So the negotiation sees a view of the stream
 * that collects what is put back; a stream still open takes it back as
 * before (the next layer then reads the stream itself, at no cost), one that
 * ended meanwhile is handed on behind a hand-over stream that tells those
 * bytes first and the end after them.
 */
export async function negotiate (stream: MessageStream, role: NegotiationRole, protocols: string[], options: AbortOptions): Promise<Negotiated> {
  const leftover = new Uint8ArrayList()
  const view = collectingPutBack(stream, leftover)
  const protocol = role === 'propose'
    ? await mss.select(view, protocols, options)
    : await mss.handle(view, protocols, options)

  if (streamEnded(stream)) {
    return { protocol, stream: handoverStream(stream, leftover, { logScope: 'mss' }) }
  }

  if (leftover.byteLength > 0) {
    stream.unshift(leftover)
  }

  return { protocol, stream }
}

/** The stream as it is, except that bytes put back on it go to `into`. */
function collectingPutBack (stream: MessageStream, into: Uint8ArrayList): MessageStream {
  const putBack = (data: Uint8Array | Uint8ArrayList): void => { into.append(data) }

  return new Proxy(stream, {
    get (target, property) {
      if (property === 'unshift') return putBack
      const value = Reflect.get(target, property, target)
      // methods run on the stream itself (its event target and private fields are not the proxy's);
      // own properties, such as the logger, a function with properties of its own, are passed as they are
      return typeof value === 'function' && !Object.hasOwn(target, property) ? value.bind(target) : value
    }
  })
}
