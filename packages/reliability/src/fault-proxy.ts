// A TCP proxy between one dialer and one listener that injects one fault into the bytes it forwards:
// latency, one-byte fragments, a stall, a reset, a flipped bit, a half-close, or (SECIO-frame aware) a
// tampered, replayed, reordered or dropped frame. Each run gets a proxy of its own, so every outcome is
// attributable to exactly one fault.
import { createConnection, createServer } from 'node:net'
import { SecioFrameSplitter } from './frame-splitter.js'
import type { AddressInfo, Server, Socket } from 'node:net'

export type Direction = 'toListener' | 'toDialer'

export type Fault =
  | { kind: 'none' }
  /** every chunk going `direction` waits `ms` (order kept) */
  | { kind: 'latency', direction: Direction, ms: number }
  /** every byte going `direction` is written on its own (TCP_NODELAY: one segment each) */
  | { kind: 'fragment', direction: Direction }
  /** once `at` bytes went `direction`, nothing more is forwarded either way; both sockets stay open */
  | { kind: 'stall', direction: Direction, at: number }
  /** once `at` bytes went `direction`, both sockets are reset (RST), as a killed host's kernel does */
  | { kind: 'reset', direction: Direction, at: number }
  /** the byte at offset `at` going `direction` has one bit flipped */
  | { kind: 'corrupt', direction: Direction, at: number }
  /** once `at` bytes went `direction`, that direction is ended with a FIN; the other one keeps flowing */
  | { kind: 'half-close', direction: Direction, at: number }
  /** SECIO frame number `frame` going `direction` (0 Propose, 1 Exchange, 2 nonce, 3.. data) is tampered with */
  | { kind: 'frame-tamper' | 'frame-replay' | 'frame-reorder' | 'frame-drop', direction: Direction, frame: number }

export type FaultKind = Fault['kind']

export interface FaultProxy {
  port: number
  /** Bytes forwarded so far, per direction. */
  forwarded: Record<Direction, number>
  /** Whether the fault has been applied (an offset past the end of the transfer never fires). */
  fired: () => boolean
  /** Every byte forwarded per direction, when asked to record. */
  recorded: (direction: Direction) => Buffer
  close: () => Promise<void>
}

export async function faultProxy (target: { host: string, port: number }, fault: Fault, options: { record?: boolean } = {}): Promise<FaultProxy> {
  const recorded: Record<Direction, Buffer[]> | undefined = options.record === true ? { toListener: [], toDialer: [] } : undefined
  const sockets = new Set<Socket>()
  const forwarded: Record<Direction, number> = { toListener: 0, toDialer: 0 }
  let fired = fault.kind === 'none'

  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (dialer) => {
    const listener = createConnection({ ...target, allowHalfOpen: true })
    let stalled = false
    for (const socket of [dialer, listener]) {
      sockets.add(socket)
      socket.setNoDelay(true)
      socket.on('error', () => {})
      socket.on('close', () => { sockets.delete(socket) })
    }
    // a reset on one side is passed on as a reset; a clean close as a clean end
    dialer.on('close', () => { if (!stalled) listener.destroy() })
    listener.on('close', () => { if (!stalled) dialer.destroy() })
    listener.on('connect', () => { dialer.resume() })

    const resetBoth = (): void => {
      fired = true
      dialer.resetAndDestroy()
      listener.resetAndDestroy()
    }

    const pipe = (direction: Direction, from: Socket, to: Socket): void => {
      let offset = 0
      let ended = false
      const splitter = 'frame' in fault && fault.direction === direction ? new SecioFrameSplitter() : undefined
      let heldFrame: Buffer | undefined

      const write = (bytes: Buffer): void => {
        if (ended || stalled || bytes.byteLength === 0 || to.destroyed) return
        forwarded[direction] += bytes.byteLength
        recorded?.[direction].push(bytes)
        if ((fault.kind === 'fragment' || fault.kind === 'latency') && fault.direction === direction) fired = true
        if (fault.kind === 'fragment' && fault.direction === direction) {
          for (let i = 0; i < bytes.byteLength; i++) to.write(bytes.subarray(i, i + 1))
        } else {
          to.write(bytes)
        }
      }

      const writeFrames = (chunk: Buffer): void => {
        if (splitter == null || !('frame' in fault)) return
        for (const piece of splitter.push(chunk)) {
          if (piece.frame !== fault.frame) {
            write(piece.bytes)
            if (heldFrame != null) {
              write(heldFrame)
              heldFrame = undefined
            }
            continue
          }
          fired = true
          if (fault.kind === 'frame-tamper') {
            const tampered = Buffer.from(piece.bytes)
            // a byte in the body, past the 4-byte length: the MAC must catch it
            const at = 4 + Math.floor((tampered.byteLength - 4) / 2)
            tampered[at] = (tampered[at] ?? 0) ^ 0x01
            write(tampered)
          } else if (fault.kind === 'frame-replay') {
            write(piece.bytes)
            write(piece.bytes)
          } else if (fault.kind === 'frame-reorder') {
            heldFrame = piece.bytes
          }
          // frame-drop: nothing
        }
      }

      from.on('data', (chunk: Buffer) => {
        if (stalled || ended) return
        const start = offset
        offset += chunk.byteLength

        switch (fault.kind) {
          case 'latency':
            if (fault.direction === direction) {
              setTimeout(() => { write(chunk) }, fault.ms)
              return
            }
            break
          case 'stall':
          case 'reset':
          case 'half-close':
            if (fault.direction === direction && offset > fault.at) {
              write(chunk.subarray(0, fault.at - start))
              if (fault.kind === 'stall') {
                fired = true
                stalled = true
              } else if (fault.kind === 'reset') {
                resetBoth()
              } else {
                fired = true
                ended = true
                to.end()
              }
              return
            }
            break
          case 'corrupt':
            if (fault.direction === direction && fault.at >= start && fault.at < offset) {
              const copy = Buffer.from(chunk)
              copy[fault.at - start] = (copy[fault.at - start] ?? 0) ^ (0x80 >> (fault.at % 8))
              fired = true
              write(copy)
              return
            }
            break
          default:
            if (splitter != null) {
              writeFrames(chunk)
              return
            }
        }
        write(chunk)
      })

      from.on('end', () => {
        if (stalled || ended) return
        const end = (): void => {
          if (heldFrame != null) write(heldFrame)
          ended = true
          to.end()
        }
        // the end must not overtake the delayed bytes before it
        if (fault.kind === 'latency' && fault.direction === direction) setTimeout(end, fault.ms)
        else end()
      })
    }

    pipe('toListener', dialer, listener)
    pipe('toDialer', listener, dialer)
  })

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))

  return {
    port: (server.address() as AddressInfo).port,
    forwarded,
    fired: () => fired,
    recorded: direction => Buffer.concat(recorded?.[direction] ?? []),
    async close () {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}
