import type { FrameSealer } from './frame-cipher.js'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface OutgoingFramesInit {
  sealer: FrameSealer
  /** Largest plaintext per frame. */
  maxPlaintext: number
  /** A frame holding this much plaintext is sent at once, not at the end of the turn. */
  sendAt: number
  /** Hands a sealed frame to the raw connection; false when it wants us to wait for its drain. */
  send(frame: Uint8ArrayList): boolean
  /** A frame sent after the write that added its bytes returned found the raw connection full. */
  onFull(): void
  /** Sending a frame after its writes returned failed: the stream must end with this error. */
  onError(err: Error): void
}

/**
 * Puts the writes of one turn of the event loop into as few SECIO frames as
 * it can without holding any write back in time.
 *
 * A muxer writes each of its frames on its own (a yamux header and message, a
 * window update), and a SECIO frame costs a length prefix, a 32-byte MAC, an
 * HMAC set-up and a socket write apiece, far more than a small frame's bytes.
 * So the first write of a turn leaves at once, as before; the writes after it
 * in the same turn are encrypted at once but framed together on
 * `process.nextTick`: once the code that is running, and every promise
 * continuation it sets off, has written too, and before Node goes back to the
 * event loop. Nothing waits for a timer, for I/O or for another write.
 *
 * A frame is sent at once, within the turn, when it holds `sendAt` bytes or
 * when the next write would make it larger than `maxPlaintext`. Peers do not
 * care where frames are cut: every SECIO implementation hands the bytes of a
 * frame to its reader as a byte stream.
 */
export class OutgoingFrames {
  private readonly sealer: FrameSealer
  private readonly maxPlaintext: number
  private readonly sendAt: number
  private readonly init: OutgoingFramesInit
  /** Something was written in this turn: later writes wait for the tick. */
  private inTurn = false

  constructor (init: OutgoingFramesInit) {
    this.sealer = init.sealer
    this.maxPlaintext = init.maxPlaintext
    this.sendAt = Math.min(init.sendAt, init.maxPlaintext)
    this.init = init
  }

  /** Plaintext bytes written and not yet sent as a frame. */
  get pending (): number {
    return this.sealer.pending
  }

  /**
   * Sends `data` (at most `maxPlaintext` bytes) at once if it is the turn's
   * first write, else adds it to the frame the turn's later writes share.
   * Returns false when a frame sent now found the raw connection full.
   */
  write (data: Uint8Array | Uint8ArrayList): boolean {
    if (!this.inTurn) {
      this.inTurn = true
      process.nextTick(() => { this.endTurn() })
      return this.init.send(this.sealer.seal(data))
    }

    let canSendMore = true

    if (this.sealer.pending > 0 && this.sealer.pending + data.byteLength > this.maxPlaintext) {
      canSendMore = this.init.send(this.sealer.finish())
    }

    this.sealer.add(data)

    if (this.sealer.pending >= this.sendAt) {
      return this.init.send(this.sealer.finish()) && canSendMore
    }

    return canSendMore
  }

  /** Sends what has been written so far as one frame, now (nothing if nothing has). */
  flush (): boolean {
    if (this.sealer.pending === 0) {
      return true
    }

    return this.init.send(this.sealer.finish())
  }

  /**
   * Forgets what has been written and not sent: the stream has ended in
   * error, and the keystream it was encrypted with will not be used again.
   */
  discard (): void {
    if (this.sealer.pending > 0) {
      this.sealer.finish()
    }
  }

  private endTurn (): void {
    this.inTurn = false

    try {
      if (!this.flush()) {
        this.init.onFull()
      }
    } catch (err: any) {
      this.init.onError(err)
    }
  }
}
