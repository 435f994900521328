// Echo, as the Go and legacy peers speak it on `/echo/1.0.0` and on bare SECIO: everything read is
// written back until the remote half-closes, one write per read as the Go peer does (on bare SECIO
// one frame back per frame in, however many TCP reads the frame arrived in).
import { PatternCheck, patternPiece } from './pattern.js'
import { pieces } from './pipe.js'
import type { Pipe } from './pipe.js'

export const ECHO_PROTOCOL = '/echo/1.0.0'

export async function serveEcho (pipe: Pipe): Promise<void> {
  for await (const chunk of pipe) {
    if (!pipe.send(chunk)) await pipe.onDrain()
  }
  await pipe.close()
}

export interface EchoResult { bytes: number, intact: boolean, ms: number }

/**
 * Sends `total` pattern bytes in `chunk` writes with at most `window` bytes not yet echoed, checks
 * the echo byte for byte, and half-closes once all of it is back.
 */
export async function dialEcho (pipe: Pipe, total: number, chunk: number, window: number): Promise<EchoResult> {
  const check = new PatternCheck()
  let wake: (() => void) | undefined
  const started = performance.now()

  const send = async (): Promise<void> => {
    let sent = 0
    for (const piece of pieces(total, chunk, patternPiece)) {
      while (sent - check.received >= window) await new Promise<void>(resolve => { wake = resolve })
      sent += piece.byteLength
      if (!pipe.send(piece)) await pipe.onDrain()
    }
  }
  const read = async (): Promise<void> => {
    for await (const piece of pipe) {
      check.update(piece)
      wake?.()
      wake = undefined
      if (check.received >= total) return
    }
  }

  await Promise.all([send(), read()])
  const ms = performance.now() - started
  await pipe.close()
  return { bytes: check.received, intact: check.intact && check.received === total, ms }
}
