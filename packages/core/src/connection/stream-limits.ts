import { DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS } from '../constants.js'
import type { StreamHandlerRegistry } from './stream-handlers.js'
import type { MessageStreamDirection, Stream } from '@libp2p/interface'

/** The per-protocol, per-connection stream limit for one direction. */
export function streamLimit (handlers: StreamHandlerRegistry, protocol: string, direction: MessageStreamDirection, requested?: number): number {
  const options = handlers.findHandler(protocol)?.options

  if (direction === 'inbound') {
    return options?.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS
  }

  return options?.maxOutboundStreams ?? requested ?? DEFAULT_MAX_OUTBOUND_STREAMS
}

export function countStreams (streams: Stream[], protocol: string, direction: MessageStreamDirection): number {
  let count = 0

  for (const stream of streams) {
    if (stream.direction === direction && stream.protocol === protocol) {
      count++
    }
  }

  return count
}
