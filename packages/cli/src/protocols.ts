import { randomBytes, timingSafeEqual } from 'node:crypto'
import { byteStream } from '@libp2p/utils'
import { ReplyMismatchError } from './errors.js'
import type { AbortOptions, Stream } from '@libp2p/interface'

/** Sends back every byte it reads, then closes. */
export const ECHO = '/echo/1.0.0'

/** libp2p's ping: 32 random bytes, echoed; served by go-libp2p, js-libp2p (old and new), rust-libp2p. */
export const PING = '/ipfs/ping/1.0.0'
export const PING_LENGTH = 32

/** Serves ECHO and PING alike: both are "send back what arrived", with backpressure. */
export async function echoBack (stream: Stream): Promise<number> {
  let bytes = 0

  for await (const chunk of stream) {
    bytes += chunk.byteLength

    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }

  await stream.close()
  return bytes
}

export interface EchoResult {
  sent: number
  received: number
}

/**
 * Sends `total` random bytes, half-closes, reads the reply to its end and
 * compares it with what was sent.
 */
export async function echoRoundTrip (stream: Stream, total: number, options: AbortOptions = {}): Promise<EchoResult> {
  const payload = randomBytes(total)
  const reply = Buffer.alloc(total)
  let received = 0

  const send = async (): Promise<void> => {
    for (let offset = 0; offset < total; offset += 65_536) {
      if (!stream.send(payload.subarray(offset, Math.min(total, offset + 65_536)))) {
        await stream.onDrain(options)
      }
    }

    await stream.close(options)
  }

  const read = async (): Promise<void> => {
    for await (const chunk of stream) {
      if (received + chunk.byteLength > total) {
        throw new ReplyMismatchError(`the echo sent back more than the ${total} bytes sent`)
      }

      reply.set(chunk.subarray(), received)
      received += chunk.byteLength
    }
  }

  await Promise.all([send(), read()])

  if (received !== total || !timingSafeEqual(reply, payload)) {
    throw new ReplyMismatchError(`sent ${total} bytes, the echo returned ${received}${received === total ? ' different ones' : ''}`)
  }

  return { sent: total, received }
}

/** One ping round trip on an open ping stream: milliseconds until the same 32 bytes came back. */
export async function pingOnce (stream: ReturnType<typeof byteStream<Stream>>, options: AbortOptions = {}): Promise<number> {
  const payload = randomBytes(PING_LENGTH)
  const started = performance.now()
  await stream.write(payload, options)
  const reply = await stream.read({ ...options, bytes: PING_LENGTH })

  if (!timingSafeEqual(reply.subarray(), payload)) {
    throw new ReplyMismatchError('the ping reply differs from the 32 bytes sent')
  }

  return performance.now() - started
}

export { byteStream }
