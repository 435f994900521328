import { StreamResetError } from '@libp2p/interface'
import { byteStream } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { InvalidFrameLengthError } from '../errors.js'
import type { AbortOptions, MessageStream } from '@libp2p/interface'

export interface FrameReadOptions extends AbortOptions {
  headerSignal?: AbortSignal
}

/** Handshake I/O in SECIO's framing: a uint32 big-endian length, then the payload. */
export interface FramedIo {
  write(payload: Uint8Array | Uint8ArrayList, options: AbortOptions): Promise<void>
  /** Writes bytes that already carry their length prefix (a sealed frame). */
  writeFramed(frame: Uint8ArrayList, options: AbortOptions): Promise<void>
  /**
   * Reads one frame; a length outside `min..max` is refused before its body is
   * read. `headerSignal` (which must also follow `options.signal`) may cut
   * short only the wait for the 4-byte length: once it is in, the body is
   * read under `options.signal` alone, so a wait never ends halfway through a
   * frame. An aborted read keeps the bytes it got for the next one.
   */
  read(limits: { min?: number, max: number }, options: FrameReadOptions): Promise<Uint8Array>
  /**
   * Ends handshake I/O: the raw stream, and the bytes already read past the
   * last handshake frame (the start of the data frames).
   */
  unwrap(): Unwrapped
}

export interface Unwrapped {
  stream: MessageStream
  leftover: Uint8ArrayList
}

export function lengthPrefix (length: number): Uint8Array {
  const prefix = new Uint8Array(4)
  new DataView(prefix.buffer).setUint32(0, length)
  return prefix
}

/**
 * Once the peer has reset the connection, a read that started afterwards
 * fails as an EOF and a write as a state error (or with the close event
 * itself): all of them are the peer's reset, so they are named so, whichever
 * step was under way. An abort of our own signal keeps its reason.
 */
async function resetNamed <T> (stream: MessageStream, options: FrameReadOptions, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (err) {
    const ownAbort = [options.signal, options.headerSignal].some(signal => signal?.aborted === true && signal.reason === err)

    if (stream.status === 'reset' && !ownAbort && !(err instanceof StreamResetError)) {
      throw Object.assign(new StreamResetError('the connection was reset by the remote'), { cause: err })
    }

    throw err
  }
}

export function framedIo (stream: MessageStream): FramedIo {
  const bytes = byteStream(stream)

  return {
    async write (payload, options) {
      await resetNamed(stream, options, async () => bytes.write(new Uint8ArrayList(lengthPrefix(payload.byteLength), payload), options))
    },

    async writeFramed (frame, options) {
      await resetNamed(stream, options, async () => bytes.write(frame, options))
    },

    async read ({ min = 0, max }, options) {
      const header = await resetNamed(stream, options, async () => bytes.read({ bytes: 4, signal: options.headerSignal ?? options.signal }))
      const length = header.getUint32(0)

      if (length > max || length < min) {
        throw new InvalidFrameLengthError(`frame length ${length} is outside ${min}..${max}`)
      }

      return (await resetNamed(stream, options, async () => bytes.read({ bytes: length, signal: options.signal }))).subarray()
    },

    unwrap () {
      // The unread bytes are taken here rather than unshifted back onto the raw stream, as byteStream's
      // unwrap() does: a peer that sent its first data frame and closed at once has ended that stream,
      // and unshift refuses an ended stream, which would fail the handshake and lose the bytes.
      // byteStream keeps them in `readBuffer` (on the object, though not in its type).
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
