// Uplink over real TCP as an application runs it, from the public packages only: a standalone upgrader
// with SECIO and one muxer, sockets wrapped by @uplink/tcp. The listener keeps every inbound upgrade's
// outcome and every error its echo handler saw, so a run can say which side detected what.
import { createConnection, createServer } from 'node:net'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { mplex } from '@libp2p/mplex'
import { multiaddr } from '@multiformats/multiaddr'
import { createUpgrader } from '@uplink/core'
import { secio } from '@uplink/secio'
import { TCPDialError, socketToMultiaddrConnection } from '@uplink/tcp'
import type { HandshakeTimeline } from './handshake-timeline.js'
import type { PrivateKey, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { EncrypterModule, InboundUpgradeLimits, MuxerModule, UplinkConnection, UplinkUpgrader } from '@uplink/core'
import type { AddressInfo, Server, Socket } from 'node:net'

export const ECHO_PROTOCOL = '/uplink-reliability/echo/1.0.0'

/**
 * Deadlines for runs that measure correctness under load, not latency: on a shared 2-core machine a burst of
 * 200 handshakes behind busy connections can outlast the 10 s default upgrade deadline.
 */
export const LOAD_TIMEOUT = 600_000

export type MuxerName = 'yamux' | 'mplex'
export const MUXERS: MuxerName[] = ['yamux', 'mplex']

export function muxerModule (name: MuxerName): MuxerModule {
  // mplex's default disconnect threshold is meant for long-lived nodes, not for transfers that push it
  return name === 'yamux' ? yamux() : mplex({ disconnectThreshold: Infinity }) as MuxerModule
}

export interface EndpointOptions {
  muxer: MuxerName
  privateKey?: PrivateKey
  /** ms a whole upgrade may take (the upgrader's own deadline) */
  upgradeTimeout?: number
  /** ms without traffic before a socket is aborted with a TimeoutError */
  inactivityTimeout?: number
  inboundUpgradeLimits?: InboundUpgradeLimits
}

export function upgraderFor (privateKey: PrivateKey, options: EndpointOptions): UplinkUpgrader {
  return createUpgrader({
    privateKey,
    connectionEncrypters: [secio() as EncrypterModule],
    streamMuxers: [muxerModule(options.muxer)],
    upgradeTimeout: options.upgradeTimeout,
    inboundUpgradeLimits: options.inboundUpgradeLimits
  })
}

export interface InboundOutcome {
  connection?: UplinkConnection
  error?: Error
}

export interface Listener {
  addr: Multiaddr
  host: string
  port: number
  upgrader: UplinkUpgrader
  /** Every inbound upgrade, settled or not, in arrival order. */
  inbound: Array<Promise<InboundOutcome>>
  /** What the echo handler's streams ended with, when they did not end cleanly. */
  streamErrors: Error[]
  /** Bytes the echo handler received, over all its streams. */
  echoed: () => number
  close: () => Promise<void>
}

export interface ListenerOptions extends EndpointOptions {
  host?: string
  onInbound?: (outcome: Promise<InboundOutcome>, upgrader: UplinkUpgrader) => void
  /** each inbound upgrade's progress events */
  onProgress?: (evt: { type: string }) => void
  /** the echo handler's running total of bytes received */
  onEcho?: (total: number) => void
  onStreamError?: (err: Error) => void
  /** records when each inbound upgrade reached each stage */
  timeline?: HandshakeTimeline
  /** every socket the listener accepts, before anything else sees it */
  onAccept?: (socket: Socket) => void
}

export async function startListener (options: ListenerOptions): Promise<Listener> {
  const privateKey = options.privateKey ?? await generateKeyPair('Ed25519')
  const upgrader = upgraderFor(privateKey, options)
  const closing = new AbortController()
  const inbound: Array<Promise<InboundOutcome>> = []
  const streamErrors: Error[] = []
  const sockets = new Set<Socket>()
  const connections = new Set<UplinkConnection>()
  let echoed = 0

  upgrader.handle(ECHO_PROTOCOL, (stream: Stream) => {
    void echo(stream, bytes => { options.onEcho?.(echoed += bytes) }).catch((err: Error) => {
      streamErrors.push(err)
      options.onStreamError?.(err)
    })
  })

  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    options.onAccept?.(socket)
    sockets.add(socket)
    // as tcp() sets up the sockets it accepts: muxers send small frames that Nagle would hold back
    socket.setNoDelay(true)
    socket.on('close', () => { sockets.delete(socket) })
    let maConn: ReturnType<typeof socketToMultiaddrConnection>
    try {
      maConn = socketToMultiaddrConnection(socket, { direction: 'inbound', inactivityTimeout: options.inactivityTimeout })
    } catch (error) {
      // the remote was gone before we could look at it (its address is unknown by then): nothing to upgrade
      socket.destroy()
      const outcome = Promise.resolve({ error: error as Error })
      inbound.push(outcome)
      options.onInbound?.(outcome, upgrader)
      return
    }
    const watch = options.timeline?.begin(socket)
    const onProgress = watch == null
      ? options.onProgress
      : (evt: { type: string }) => { watch.onProgress(evt); options.onProgress?.(evt) }
    const outcome = new Promise<InboundOutcome>(resolve => {
      const onOpen = (evt: CustomEvent<UplinkConnection>): void => {
        const remote = evt.detail.remoteAddr.toString()
        const ours = maConn.remoteAddr.toString()
        if (remote !== ours && !remote.startsWith(`${ours}/`)) return
        upgrader.removeEventListener('connection:open', onOpen)
        connections.add(evt.detail)
        evt.detail.addEventListener('close', () => { connections.delete(evt.detail) })
        watch?.settle()
        resolve({ connection: evt.detail })
      }
      upgrader.addEventListener('connection:open', onOpen)
      upgrader.upgradeInbound(maConn, { signal: closing.signal, onProgress: onProgress as any }).catch((error: Error) => {
        upgrader.removeEventListener('connection:open', onOpen)
        watch?.settle(error)
        resolve({ error })
      })
    })
    inbound.push(outcome)
    options.onInbound?.(outcome, upgrader)
  })

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo

  return {
    addr: multiaddr(`/ip4/${host}/tcp/${port}/p2p/${upgrader.peerId.toString()}`),
    host,
    port,
    upgrader,
    inbound,
    streamErrors,
    echoed: () => echoed,
    async close () {
      closing.abort()
      for (const connection of connections) connection.abort(new Error('listener closed'))
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}

/** Sends back every byte a stream receives, with backpressure, then closes its writable end. */
async function echo (stream: Stream, count: (bytes: number) => void): Promise<void> {
  try {
    for await (const chunk of stream) {
      count(chunk.byteLength)
      if (!stream.send(chunk)) await stream.onDrain({ signal: AbortSignal.timeout(LOAD_TIMEOUT) })
    }
    await stream.close({ signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

export interface DialOptions {
  signal: AbortSignal
  inactivityTimeout?: number
  onProgress?: (evt: { type: string }) => void
  /** dial another port than the address says (a proxy), still expecting the address's /p2p/ id */
  port?: number
}

/** Opens a TCP socket to `addr` (or `options.port`) and upgrades it, verifying `addr`'s /p2p/ id. */
export async function dial (upgrader: UplinkUpgrader, addr: Multiaddr, options: DialOptions): Promise<UplinkConnection> {
  const components = addr.getComponents()
  const host = components.find(c => c.name === 'ip4')?.value ?? '127.0.0.1'
  const port = options.port ?? Number(components.find(c => c.name === 'tcp')?.value)
  const socket = createConnection({ host, port, allowHalfOpen: true, noDelay: true })

  await new Promise<void>((resolve, reject) => {
    // named as @uplink/tcp's dial names it: a listener that refuses by its admission limits resets the socket,
    // and a late connect callback sees that reset as the connect's own error
    const onError = (err: Error): void => { reject(new TCPDialError(addr, err)) }
    socket.once('error', onError)
    socket.once('connect', () => { socket.off('error', onError); resolve() })
  })

  const maConn = socketToMultiaddrConnection(socket, { direction: 'outbound', remoteAddr: addr, inactivityTimeout: options.inactivityTimeout })
  return upgrader.upgradeOutbound(maConn, { signal: options.signal, onProgress: options.onProgress as any })
}
