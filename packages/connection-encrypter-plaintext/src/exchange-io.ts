import { byteStream } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_EXCHANGE_SIZE, decodeLengthPrefix, encodeLengthPrefix } from './exchange.js'
import type { AbortOptions, MessageStream } from '@libp2p/interface'

/** The Exchange's I/O: one varint-length-prefixed message each way, then the hand-over. */
export interface ExchangeIo {
  write(body: Uint8Array, options: AbortOptions): Promise<void>
  /** Reads one message body; a length over `MAX_EXCHANGE_SIZE` is refused before its body is read. */
  read(options: AbortOptions): Promise<Uint8ArrayList>
  /** Ends the Exchange's I/O: the raw stream, and the bytes already read past the remote's Exchange. */
  unwrap(): Unwrapped
}

export interface Unwrapped {
  stream: MessageStream
  leftover: Uint8ArrayList
}

export function exchangeIo (stream: MessageStream): ExchangeIo {
  const bytes = byteStream(stream)

  return {
    async write (body, options) {
      await bytes.write(new Uint8ArrayList(encodeLengthPrefix(body.byteLength), body), options)
    },

    async read (options) {
      const prefix = new Uint8ArrayList()
      let length: number | undefined

      while (length == null) {
        prefix.append(await bytes.read({ bytes: 1, signal: options.signal }))

        try {
          length = decodeLengthPrefix(prefix, MAX_EXCHANGE_SIZE)
        } catch (err) {
          // decodeLengthPrefix's "need another byte"
          if (!(err instanceof RangeError)) throw err
        }
      }

      return bytes.read({ bytes: length, signal: options.signal })
    },

    unwrap () {
      // The unread bytes are taken here rather than unshifted back onto the raw stream, as byteStream's
      // unwrap() does: a peer that sent data after its Exchange and closed at once may have ended that
      // stream's readable side, and unshift refuses an ended stream, which would fail the handshake and
      // lose the bytes. byteStream keeps them in `readBuffer` (on the object, though not in its type).
      const { readBuffer } = bytes as unknown as { readBuffer?: Uint8ArrayList }
      const leftover = new Uint8ArrayList()

      if (readBuffer != null) {
        leftover.append(readBuffer)
        readBuffer.consume(readBuffer.byteLength)
      }

      return { stream: bytes.unwrap(), leftover }
    }
  }
}
