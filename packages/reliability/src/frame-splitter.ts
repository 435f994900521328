// Cuts one direction of a SECIO connection into its units as they arrive: first the multistream-select
// messages (varint-length-prefixed) up to and including `/secio/1.0.0\n`, then SECIO frames (uint32-BE
// length, then the body). A frame is handed out only once it is complete, so a proxy can act on it.

const SECIO = Buffer.from('/secio/1.0.0\n')

export interface Piece {
  /** -1 for multistream-select bytes; else the SECIO frame number (0 Propose, 1 Exchange, 2 nonce, 3.. data) */
  frame: number
  /** the bytes as they go on the wire, length prefix included */
  bytes: Buffer
}

export class SecioFrameSplitter {
  private pending = Buffer.alloc(0)
  private inSecio = false
  private frames = 0

  push (chunk: Buffer): Piece[] {
    this.pending = Buffer.concat([this.pending, chunk])
    const pieces: Piece[] = []

    for (;;) {
      const piece = this.inSecio ? this.nextFrame() : this.nextNegotiationMessage()
      if (piece == null) return pieces
      pieces.push(piece)
    }
  }

  private nextNegotiationMessage (): Piece | undefined {
    const varint = readVarint(this.pending)
    if (varint == null || this.pending.byteLength < varint.bytes + varint.value) return undefined
    const bytes = this.take(varint.bytes + varint.value)
    if (bytes.subarray(varint.bytes).equals(SECIO)) this.inSecio = true
    return { frame: -1, bytes }
  }

  private nextFrame (): Piece | undefined {
    if (this.pending.byteLength < 4) return undefined
    const length = this.pending.readUInt32BE(0)
    if (this.pending.byteLength < 4 + length) return undefined
    return { frame: this.frames++, bytes: this.take(4 + length) }
  }

  private take (length: number): Buffer {
    const bytes = this.pending.subarray(0, length)
    this.pending = this.pending.subarray(length)
    return bytes
  }
}

/** An unsigned LEB128 varint at the start of `bytes`, or undefined while incomplete. */
export function readVarint (bytes: Uint8Array): { value: number, bytes: number } | undefined {
  let value = 0
  for (let i = 0; i < Math.min(bytes.byteLength, 5); i++) {
    const byte = bytes[i] ?? 0
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return { value, bytes: i + 1 }
  }
  return undefined
}
