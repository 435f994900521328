import { Uint8ArrayList } from 'uint8arraylist'
import { InvalidFrameLengthError } from '../errors.js'

/**
 * Cuts a byte stream into SECIO frames. The length prefix is read unsigned and
 * judged as soon as its 4 bytes arrive, so a hostile length (over the cap, or
 * too short to hold a MAC) is refused before anything is buffered for it; the
 * buffer never holds more than one frame plus the current read.
 */
export class FrameDecoder {
  private readonly buffer = new Uint8ArrayList()
  private readonly maxLength: number
  private readonly minLength: number
  private expected?: number

  constructor (limits: { min: number, max: number }) {
    this.minLength = limits.min
    this.maxLength = limits.max
  }

  /** Adds bytes and returns every frame (payload without prefix) now complete. */
  push (data: Uint8Array | Uint8ArrayList): Uint8Array[] {
    this.buffer.append(data)
    const frames: Uint8Array[] = []

    while (true) {
      if (this.expected == null) {
        if (this.buffer.byteLength < 4) break

        const length = this.buffer.getUint32(0)
        this.buffer.consume(4)

        if (length > this.maxLength) {
          throw new InvalidFrameLengthError(`frame length ${length} exceeds the limit of ${this.maxLength}`)
        }

        if (length < this.minLength) {
          throw new InvalidFrameLengthError(`frame length ${length} is shorter than the ${this.minLength}-byte MAC`)
        }

        this.expected = length
      }

      if (this.buffer.byteLength < this.expected) break

      frames.push(this.buffer.subarray(0, this.expected))
      this.buffer.consume(this.expected)
      this.expected = undefined
    }

    return frames
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending (): number {
    return this.buffer.byteLength
  }
}
