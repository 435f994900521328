import { DuplicateProtocolHandlerError, UnhandledProtocolError } from '../errors.js'
import type { StreamHandler, StreamHandlerOptions, StreamHandlerRecord } from '@libp2p/interface'

/**
 * Which protocols this side serves and the handler for each. One registry is
 * shared by every connection an upgrader creates, so handlers registered after
 * a connection opened still receive its streams.
 */
export class StreamHandlerRegistry {
  private readonly handlers = new Map<string, StreamHandlerRecord>()

  readonly [Symbol.toStringTag] = '@uplink/stream-handlers'

  handle (protocols: string | string[], handler: StreamHandler, options: StreamHandlerOptions = {}): void {
    const list = Array.isArray(protocols) ? protocols : [protocols]

    for (const protocol of list) {
      if (this.handlers.has(protocol) && options.force !== true) {
        throw new DuplicateProtocolHandlerError(`a handler is already registered for ${protocol}`)
      }
    }

    for (const protocol of list) {
      this.handlers.set(protocol, { handler, options })
    }
  }

  unhandle (protocols: string | string[]): void {
    for (const protocol of Array.isArray(protocols) ? protocols : [protocols]) {
      this.handlers.delete(protocol)
    }
  }

  getProtocols (): string[] {
    return [...this.handlers.keys()]
  }

  getHandler (protocol: string): StreamHandlerRecord {
    const record = this.handlers.get(protocol)

    if (record == null) {
      throw new UnhandledProtocolError(`no handler is registered for ${protocol}`)
    }

    return record
  }

  findHandler (protocol: string): StreamHandlerRecord | undefined {
    return this.handlers.get(protocol)
  }
}
