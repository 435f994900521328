import { Uint8ArrayList } from 'uint8arraylist'
import { InvalidFrameLengthError } from '../errors.js'

/**
 * What one `push` produced: the frames now complete, in order, and the error
 * that stopped decoding, if any. A frame is a list of views into the reads it
 * arrived in: nothing is copied to put it in one piece.
 */
export interface Decoded {
  frames: Uint8ArrayList[]
  error?: InvalidFrameLengthError
}

/**
 * Cuts a byte stream into SECIO frames. The length prefix is read unsigned and
 * judged as soon as its 4 bytes arrive, so a hostile length (over the cap, or
 * too short to hold a MAC) is refused before anything is buffered for it; the
 * buffer never holds more than one frame plus the current read.
 *
 * A bad length does not throw: the frames cut before it in the same read are
 * still handed out with the error, so the caller can deliver them first. After
 * that the decoder is finished and every later push returns the same error.
 */
export class FrameDecoder {
  private readonly buffer = new Uint8ArrayList()
  private readonly maxLength: number
  private readonly minLength: number
  private expected?: number
  private failure?: InvalidFrameLengthError

  constructor (limits: { min: number, max: number }) {
    this.minLength = limits.min
    this.maxLength = limits.max
  }

  /** Adds bytes and returns every frame (payload without prefix) now complete. */
  push (data: Uint8Array | Uint8ArrayList): Decoded {
    if (this.failure != null) {
      return { frames: [], error: this.failure }
    }

    this.buffer.append(data)
    const frames: Uint8ArrayList[] = []

    while (true) {
      if (this.expected == null) {
        if (this.buffer.byteLength < 4) break

        const length = this.buffer.getUint32(0)
        this.buffer.consume(4)
        this.failure = this.judge(length)

        if (this.failure != null) {
          // nothing after a bad length can be trusted to be a frame boundary
          this.buffer.consume(this.buffer.byteLength)
          return { frames, error: this.failure }
        }

        this.expected = length
      }

      if (this.buffer.byteLength < this.expected) break

      frames.push(this.buffer.sublist(0, this.expected))
      this.buffer.consume(this.expected)
      this.expected = undefined
    }

    return { frames }
  }

  /**
   * Bytes received but not yet part of a complete frame, the length prefix of
   * the frame in progress included: a stream that ends right after a prefix
   * ends inside a frame.
   */
  get pending (): number {
    return this.buffer.byteLength + (this.expected == null ? 0 : 4)
  }

  private judge (length: number): InvalidFrameLengthError | undefined {
    if (length > this.maxLength) {
      return new InvalidFrameLengthError(`frame length ${length} exceeds the limit of ${this.maxLength}`)
    }

    if (length < this.minLength) {
      return new InvalidFrameLengthError(`frame length ${length} is shorter than the ${this.minLength}-byte MAC`)
    }

    return undefined
  }
}
