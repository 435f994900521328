// Full connection setups from a standalone Uplink upgrader (a node would share one connection per
// peer): TCP, multistream-select, the crypto handshake, multistream-select, the muxer, then a
// 1 KiB echo on a new stream. Each setup is a new connection.
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { createUpgrader } from '@uplink/core'
import { tcp } from '@uplink/tcp'
import { ECHO_PROTOCOL, dialEcho } from './echo.js'
import { MAX_STREAMS, encrypter, muxer } from './stack.js'
import type { Stack } from './stack.js'
import type { Connection, PrivateKey, Stream, Upgrader } from '@libp2p/interface'

export const HANDSHAKE_ECHO = 1024

/**
 * Thousands of streams opened at once on one connection queue behind each other on a loaded
 * 2-core machine: the default 5 s per-stream negotiation timeout cuts them off, so both sides of a
 * benchmark allow a minute (a hang guard, not a measurement).
 */
export const NEGOTIATION_TIMEOUT = 60_000

export interface Connector {
  connect: (addr: string) => Promise<Connection>
}

export function connector (stack: Stack, privateKey: PrivateKey): Connector {
  const upgrader = createUpgrader({ privateKey, connectionEncrypters: [encrypter(stack)], streamMuxers: [muxer(stack)], protocolNegotiationTimeout: NEGOTIATION_TIMEOUT }) as unknown as Upgrader
  const transport = tcp()({ logger: defaultLogger() })
  return {
    connect: async (addr) => transport.dial(multiaddr(addr), { upgrader, signal: AbortSignal.timeout(30_000) })
  }
}

/** One full setup and its 1 KiB echo; returns its latency in ms. */
async function setup (connector: Connector, addr: string): Promise<number> {
  const started = performance.now()
  const connection = await connector.connect(addr)
  try {
    const stream = await connection.newStream(ECHO_PROTOCOL)
    const echo = await dialEcho(stream, HANDSHAKE_ECHO, HANDSHAKE_ECHO, HANDSHAKE_ECHO)
    if (!echo.intact) throw new Error(`the 1 KiB echo came back wrong (${echo.bytes} bytes)`)
    return performance.now() - started
  } finally {
    await connection.close()
  }
}

export interface SetupsResult { count: number, ms: number, latencies: number[] }

/** `count` setups, `concurrency` at a time. */
export async function setups (connector: Connector, addr: string, count: number, concurrency: number): Promise<SetupsResult> {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  const lane = async (): Promise<void> => {
    while (next < count) {
      next++
      latencies.push(await setup(connector, addr))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  return { count: latencies.length, ms: performance.now() - started, latencies }
}

/** `count` idle connections (each opened one stream, echoed 1 KiB and closed it), kept open. */
export async function openIdle (connector: Connector, addr: string, count: number, concurrency: number): Promise<Connection[]> {
  const connections: Connection[] = []
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < count) {
      next++
      const connection = await connector.connect(addr)
      connections.push(connection)
      const echo = await dialEcho(await connection.newStream(ECHO_PROTOCOL), HANDSHAKE_ECHO, HANDSHAKE_ECHO, HANDSHAKE_ECHO)
      if (!echo.intact) throw new Error('the 1 KiB echo came back wrong')
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
  return connections
}

/**
 * `count` streams open at the same time on one connection: opened `OPENING` at a time (all at
 * once, their negotiations queue past any timeout on a loaded machine), all kept open, then each
 * echoes `bytes`, all at once; resolves when every echo is back.
 */
export async function concurrentStreams (connector: Connector, addr: string, count: number, bytes: number): Promise<{ count: number, ms: number, openMs: number, intact: boolean }> {
  const connection = await connector.connect(addr)
  try {
    const started = performance.now()
    const streams: Stream[] = []
    const lane = async (): Promise<void> => {
      while (streams.length + opening < count) {
        opening++
        try {
          streams.push(await connection.newStream(ECHO_PROTOCOL, { maxOutboundStreams: MAX_STREAMS }))
        } finally {
          opening--
        }
      }
    }
    let opening = 0
    await Promise.all(Array.from({ length: Math.min(OPENING, count) }, lane))
    const openMs = performance.now() - started
    const echoes = await Promise.all(streams.map(async stream => dialEcho(stream, bytes, bytes, bytes)))
    return { count: echoes.length, ms: performance.now() - started, openMs, intact: echoes.every(echo => echo.intact) }
  } finally {
    await connection.close()
  }
}

const OPENING = 128
