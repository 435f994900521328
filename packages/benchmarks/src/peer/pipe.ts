// The one shape every benchmark side reads and writes: a v3 MessageStream (a yamux or mplex
// stream, a bare SECIO connection) or a raw TCP socket adapted to the same four members.
import { once } from 'node:events'
import type { MessageStream } from '@libp2p/interface'
import type { Socket } from 'node:net'

/** What a MessageStream sends and reads: a Uint8Array, or a Uint8ArrayList of pieces. */
export type Chunk = Parameters<MessageStream['send']>[0]

export interface Pipe extends AsyncIterable<Chunk> {
  /** One message, however many pieces it holds (bare SECIO: one frame). false: wait for `onDrain()` before sending more. */
  send: (data: Chunk) => boolean
  onDrain: () => Promise<void>
  /** Half-closes our side (the remote still reads to its end). */
  close: () => Promise<void>
}

/**
 * A connected socket as a Pipe (the raw TCP floor of the throughput rows). With `highWater`, the
 * socket is paused while that many bytes it read wait for the reader.
 */
export function socketPipe (socket: Socket, options: { highWater?: number } = {}): Pipe {
  const closed = new Promise(resolve => socket.once('close', resolve))
  const reads = socketReads(socket, options.highWater ?? Number.POSITIVE_INFINITY)
  return {
    send: data => data instanceof Uint8Array ? socket.write(data) : writeAll(socket, data),
    onDrain: async () => { await once(socket, 'drain') },
    close: async () => {
      socket.end()
      await closed
    },
    [Symbol.asyncIterator]: () => reads
  }
}

/** The pieces of one message in one writev. */
function writeAll (socket: Socket, pieces: Iterable<Uint8Array>): boolean {
  let more = true
  socket.cork()
  for (const piece of pieces) more = socket.write(piece)
  socket.uncork()
  return more
}

/**
 * The socket's data as an iterator that, unlike the socket's own, leaves the socket open when the
 * reader stops early (a sender reads only the receiver's short answer, then half-closes).
 */
async function * socketReads (socket: Socket, highWater: number): AsyncGenerator<Buffer> {
  const queue: Buffer[] = []
  let queued = 0
  let ended = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const nudge = (): void => { wake?.(); wake = undefined }
  socket.on('data', (data: Buffer) => {
    queue.push(data)
    queued += data.byteLength
    if (queued > highWater) socket.pause()
    nudge()
  })
  socket.once('end', () => { ended = true; nudge() })
  socket.once('error', (err) => { failure = err; nudge() })

  for (;;) {
    const next = queue.shift()
    if (next != null) {
      queued -= next.byteLength
      if (queued <= highWater && socket.isPaused()) socket.resume()
      yield next
      continue
    }
    if (failure != null) throw failure
    if (ended) return
    await new Promise<void>(resolve => { wake = resolve })
  }
}

/**
 * Sends every piece, waiting for a drain whenever `send` asks for one. Returns the milliseconds spent
 * waiting: a writer held by real backpressure waits for much of a transfer, one whose `onDrain` does
 * not wait (js-libp2p v3's, see `@uplink/drain`) for almost none of it, and queues instead.
 */
export async function sendAll (pipe: Pipe, pieces: Iterable<Uint8Array>): Promise<number> {
  let waitedMs = 0
  for (const piece of pieces) {
    if (pipe.send(piece)) continue
    const waitFrom = performance.now()
    await pipe.onDrain()
    waitedMs += performance.now() - waitFrom
  }
  return waitedMs
}

/** `total` pattern bytes as writes of at most `chunk` bytes (pieces never cross the pattern block). */
export function * pieces (total: number, chunk: number, piece: (offset: number, length: number) => Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < total;) {
    const next = piece(offset, Math.min(chunk, total - offset))
    offset += next.byteLength
    yield next
  }
}
