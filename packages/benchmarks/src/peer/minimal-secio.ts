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
/** Decrypted bytes a reader may leave untaken before the socket is paused. */
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
  const raw = socketPipe(socket)
  const seal = sealer(createCipheriv('aes-256-ctr', ours.cipher, ours.iv), ours.mac)

  return {
    send: data => raw.send(new Uint8ArrayList(...seal(data))),
    onDrain: raw.onDrain,
    close: raw.close,
    [Symbol.asyncIterator]: () => openFrames(socket, createDecipheriv('aes-256-ctr', theirs.cipher, theirs.iv), theirs.mac)
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

/** The socket's frames, each checked and decrypted piece by piece as it came in (no copy). */
async function * openFrames (socket: Socket, decipher: Decipher, macKey: Buffer): AsyncGenerator<Uint8ArrayList> {
  const received = new PieceQueue()
  const frames: Buffer[][] = []
  let queued = 0
  let frameLength = -1
  let ended = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const nudge = (): void => { wake?.(); wake = undefined }

  socket.on('data', (data: Buffer) => {
    received.push(data)
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
        failure = new Error('a frame failed its MAC')
        socket.destroy(failure)
        break
      }
      const plaintext = ciphertext.map(piece => decipher.update(piece))
      frames.push(plaintext)
      queued += plaintext.reduce((sum, piece) => sum + piece.byteLength, 0)
    }
    if (queued > READ_HIGH_WATER) socket.pause()
    nudge()
  })
  socket.once('end', () => { ended = true; nudge() })
  socket.once('error', (err) => { failure ??= err; nudge() })

  for (;;) {
    const next = frames.shift()
    if (next != null) {
      queued -= next.reduce((sum, piece) => sum + piece.byteLength, 0)
      if (queued <= READ_HIGH_WATER && socket.isPaused()) socket.resume()
      yield new Uint8ArrayList(...next)
      continue
    }
    if (failure != null) throw failure
    if (ended) return
    await new Promise<void>(resolve => { wake = resolve })
  }
}

/** Socket reads, from which the frames' bytes are cut as views. */
class PieceQueue {
  private readonly pieces: Buffer[] = []
  length = 0

  push (piece: Buffer): void {
    this.pieces.push(piece)
    this.length += piece.byteLength
  }

  take (bytes: number): Buffer[] {
    const taken: Buffer[] = []
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
