// One verified transfer on an upgraded connection: several echo streams at once, each sending its
// messages and reading them back. Every byte that comes back is compared with what was sent at that
// position as it arrives, and the whole is compared by SHA-256 at the end, so a short or corrupt
// delivery cannot pass as a success.
import { createHash, randomBytes } from 'node:crypto'
import { ECHO_PROTOCOL } from './endpoints.js'
import { errorOutcome, worse } from './outcome.js'
import type { Outcome } from './outcome.js'
import type { Stream } from '@libp2p/interface'
import type { UplinkConnection } from '@uplink/core'

export interface TransferShape {
  streams: number
  /** messages per stream, each one `send()` */
  messages: number
  /** largest message in bytes; sizes are uniform in 1..maxMessage */
  maxMessage: number
}

export interface TransferResult {
  outcome: Outcome
  bytesSent: number
  /** bytes that came back and matched, by position and then by hash */
  bytesVerified: number
  messagesSent: number
}

export interface StreamPayload {
  bytes: Buffer
  /** where each message ends in `bytes` */
  cuts: number[]
}

export function streamPayload (shape: Pick<TransferShape, 'messages' | 'maxMessage'>): StreamPayload {
  const sizes = Array.from({ length: shape.messages }, () => 1 + Math.floor(Math.random() * shape.maxMessage))
  const cuts: number[] = []
  let total = 0
  for (const size of sizes) cuts.push(total += size)
  return { bytes: randomBytes(total), cuts }
}

export interface TransferHooks {
  /** the running total of verified bytes received, over all streams */
  onReceived?: (total: number) => void
}

export async function transfer (connection: UplinkConnection, shape: TransferShape, signal: AbortSignal, hooks: TransferHooks = {}): Promise<TransferResult> {
  let total = 0
  const onBytes = (bytes: number): void => { hooks.onReceived?.(total += bytes) }
  const results = await Promise.all(Array.from({ length: shape.streams }, async () => echoOneStream(connection, streamPayload(shape), signal, onBytes)))
  return results.reduce((all, one) => ({
    outcome: worse(all.outcome, one.outcome),
    bytesSent: all.bytesSent + one.bytesSent,
    bytesVerified: all.bytesVerified + one.bytesVerified,
    messagesSent: all.messagesSent + one.messagesSent
  }), { outcome: { kind: 'intact' }, bytesSent: 0, bytesVerified: 0, messagesSent: 0 })
}

async function echoOneStream (connection: UplinkConnection, payload: StreamPayload, signal: AbortSignal, onBytes: (bytes: number) => void): Promise<TransferResult> {
  let stream: Stream
  try {
    stream = await connection.newStream(ECHO_PROTOCOL, { signal })
  } catch (err) {
    return { outcome: errorOutcome(err), bytesSent: 0, bytesVerified: 0, messagesSent: 0 }
  }

  const expected = payload.bytes
  const sentHash = createHash('sha256').update(expected).digest('hex')
  let messagesSent = 0

  const writing = (async () => {
    let start = 0
    for (const end of payload.cuts) {
      if (!stream.send(expected.subarray(start, end))) await stream.onDrain({ signal })
      messagesSent++
      start = end
    }
    await stream.close({ signal })
  })()

  const reading = (async (): Promise<{ outcome: Outcome, verified: number }> => {
    const hash = createHash('sha256')
    let received = 0
    try {
      for await (const chunk of stream) {
        const bytes = chunk.subarray()
        const want = expected.subarray(received, received + bytes.byteLength)
        if (bytes.byteLength > want.byteLength || !want.equals(bytes)) {
          let at = 0
          while (at < bytes.byteLength && bytes[at] === want[at]) at++
          stream.abort(new Error('reliability: corrupt echo'))
          return { outcome: { kind: 'corrupt', at: received + at }, verified: received + at }
        }
        hash.update(bytes)
        received += bytes.byteLength
        onBytes(bytes.byteLength)
      }
    } catch (err) {
      return { outcome: errorOutcome(err), verified: received }
    }
    if (received < expected.byteLength) return { outcome: { kind: 'silent-short', received, expected: expected.byteLength }, verified: received }
    if (hash.digest('hex') !== sentHash) return { outcome: { kind: 'corrupt', at: -1 }, verified: 0 }
    return { outcome: { kind: 'intact' }, verified: received }
  })()

  const [written, read] = await Promise.allSettled([writing, reading])
  let outcome: Outcome = read.status === 'fulfilled' ? read.value.outcome : errorOutcome(read.reason)
  // a writer's error counts only when the reader saw nothing worse (it usually sees the same failure)
  if (written.status === 'rejected' && outcome.kind === 'intact') outcome = errorOutcome(written.reason)
  return {
    outcome,
    bytesSent: expected.byteLength,
    bytesVerified: read.status === 'fulfilled' ? read.value.verified : 0,
    messagesSent
  }
}
