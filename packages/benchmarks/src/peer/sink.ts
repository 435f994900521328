// One-way transfer: the sender writes an 8-byte length then that many pattern bytes; the receiver
// checks every byte and answers with 9 bytes (the count it checked, and 1 if all were right). The
// sender's clock runs from its first write to that answer, so one process times the whole transfer.
import { PatternCheck, patternPiece } from './pattern.js'
import { pieces, sendAll } from './pipe.js'
import type { Pipe } from './pipe.js'

export interface OneWayResult {
  bytes: number
  intact: boolean
  ms: number
  /** Of `ms`, the time the sender's writer waited for drains. */
  waitedMs: number
}

export async function sendOneWay (pipe: Pipe, total: number, chunk: number): Promise<OneWayResult> {
  const header = Buffer.alloc(8)
  header.writeBigUInt64BE(BigInt(total))
  const reply = readReply(pipe)
  const started = performance.now()
  pipe.send(header)
  const waitedMs = await sendAll(pipe, pieces(total, chunk, patternPiece))
  const answer = await reply
  const ms = performance.now() - started
  await pipe.close()
  return { bytes: Number(answer.readBigUInt64BE(0)), intact: answer[8] === 1, ms, waitedMs }
}

async function readReply (pipe: Pipe): Promise<Buffer> {
  const parts: Buffer[] = []
  let length = 0
  for await (const piece of pipe) {
    for (const part of piece instanceof Uint8Array ? [piece] : piece) {
      parts.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength))
      length += part.byteLength
    }
    if (length >= 9) return Buffer.concat(parts)
  }
  throw new Error(`the receiver ended after ${length} of 9 reply bytes`)
}

/** The receiving side: checks the pattern, answers, then reads to the end and closes. */
export async function receiveOneWay (pipe: Pipe): Promise<void> {
  const check = new PatternCheck()
  let header = Buffer.alloc(0)
  let expected = -1

  for await (const piece of pipe) {
    for (let part of piece instanceof Uint8Array ? [piece] : piece) {
      if (expected < 0) {
        header = Buffer.concat([header, part])
        if (header.byteLength < 8) continue
        expected = Number(header.readBigUInt64BE(0))
        part = header.subarray(8)
      }
      check.update(part)
      if (check.received >= expected && expected >= 0) {
        const answer = Buffer.alloc(9)
        answer.writeBigUInt64BE(BigInt(check.received))
        answer[8] = check.intact && check.received === expected ? 1 : 0
        pipe.send(answer)
        expected = Number.POSITIVE_INFINITY
      }
    }
  }
  await pipe.close()
}
