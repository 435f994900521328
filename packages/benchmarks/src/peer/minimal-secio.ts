// The least a SECIO channel in Node.js can do: SECIO's data frames (a 4-byte length, the AES-256-CTR
// ciphertext, an HMAC-SHA256 of it) sealed and opened with node:crypto straight on a socket, one
// frame per send, with no handshake (fixed keys), no stream layers and no error handling beyond a
// failed MAC. Not a SECIO implementation and not for use: it is the benchmarks' floor, so a row
// can say how much of the gap to the seal limit any Node channel would have on this machine, and
// how much Uplink's layers add. Every byte it moves still goes through the same pattern and check.
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { socketPipe } from './pipe.js'
import type { Chunk, Pipe } from './pipe.js'
import type { Cipher, Decipher } from 'node:crypto'
import type { Socket } from 'node:net'

const MAC_LENGTH = 32
const LENGTH_PREFIX = 4
/** Bytes read that may wait for the reader before the socket is paused. */
const READ_HIGH_WATER = 4 * 1024 * 1024

interface Keys { cipher: Buffer, iv: Buffer, mac: Buffer }

/** Each direction its own fixed keys, so both sides agree without a handshake. */
function keysFor (direction: 'dialer' | 'listener'): Keys {
  const seed = direction === 'dialer' ? 1 : 2
  return { cipher: Buffer.alloc(32, seed), iv: Buffer.alloc(16, seed + 10), mac: Buffer.alloc(32, seed + 20) }
}

export function minimalSecioPipe (socket: Socket, direction: 'dialer' | 'listener'): Pipe {
  const ours = keysFor(direction)
  const theirs = keysFor(direction === 'dialer' ? 'listener' : 'dialer')
  const raw = socketPipe(socket, { highWater: READ_HIGH_WATER })
  const seal = sealer(createCipheriv('aes-256-ctr', ours.cipher, ours.iv), ours.mac)
  const frames = openFrames(raw, createDecipheriv('aes-256-ctr', theirs.cipher, theirs.iv), theirs.mac, socket)

  return {
    send: data => raw.send(new Uint8ArrayList(...seal(data))),
    onDrain: raw.onDrain,
    close: raw.close,
    [Symbol.asyncIterator]: () => frames
  }
}

function sealer (cipher: Cipher, macKey: Buffer): (data: Chunk) => Buffer[] {
  return data => {
    const hmac = createHmac('sha256', macKey)
    const frame = [Buffer.allocUnsafe(LENGTH_PREFIX)]
    let length = 0
    for (const piece of data instanceof Uint8Array ? [data] : data) {
      const ciphertext = cipher.update(piece)
      hmac.update(ciphertext)
      frame.push(ciphertext)
      length += ciphertext.byteLength
    }
    frame[0]!.writeUInt32BE(length + MAC_LENGTH)
    frame.push(hmac.digest())
    return frame
  }
}

/** The frames of the socket's reads, each checked and decrypted piece by piece as it came in (no copy). */
async function * openFrames (reads: AsyncIterable<Chunk>, decipher: Decipher, macKey: Buffer, socket: Socket): AsyncGenerator<Uint8ArrayList> {
  const received = new PieceQueue()
  let frameLength = -1

  for await (const data of reads) {
    for (const piece of data instanceof Uint8Array ? [data] : data) received.push(piece)
    for (;;) {
      if (frameLength < 0) {
        if (received.length < LENGTH_PREFIX) break
        frameLength = Buffer.concat(received.take(LENGTH_PREFIX)).readUInt32BE(0)
      }
      if (received.length < frameLength) break
      const ciphertext = received.take(frameLength - MAC_LENGTH)
      const mac = Buffer.concat(received.take(MAC_LENGTH))
      frameLength = -1
      const hmac = createHmac('sha256', macKey)
      for (const piece of ciphertext) hmac.update(piece)
      if (!timingSafeEqual(hmac.digest(), mac)) {
        const failure = new Error('a frame failed its MAC')
        socket.destroy(failure)
        throw failure
      }
      yield new Uint8ArrayList(...ciphertext.map(piece => decipher.update(piece)))
    }
  }
}

/** Socket reads, from which the frames' bytes are cut as views. */
class PieceQueue {
  private readonly pieces: Uint8Array[] = []
  length = 0

  push (piece: Uint8Array): void {
    this.pieces.push(piece)
    this.length += piece.byteLength
  }

  take (bytes: number): Uint8Array[] {
    const taken: Uint8Array[] = []
    this.length -= bytes
    while (bytes > 0) {
      const first = this.pieces[0]!
      if (first.byteLength <= bytes) {
        taken.push(first)
        this.pieces.shift()
        bytes -= first.byteLength
      } else {
        taken.push(first.subarray(0, bytes))
        this.pieces[0] = first.subarray(bytes)
        bytes = 0
      }
    }
    return taken
  }
}
