// The two ends of a benchmark for each system: a listener that serves the sink and echo protocols,
// and a dialer that opens pipes to it.
import net from 'node:net'
import { once } from 'node:events'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { tcp as jsTcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode } from '@uplink/core'
import { bareSecioDial, bareSecioListener } from '@uplink/interop/fixtures/bare-secio'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { createLibp2p } from 'libp2p'
import { ECHO_PROTOCOL, serveEcho } from './echo.js'
import { minimalSecioPipe } from './minimal-secio.js'
import { socketPipe } from './pipe.js'
import { NEGOTIATION_TIMEOUT } from './setups.js'
import { receiveOneWay } from './sink.js'
import { MAX_STREAMS, encrypter, muxer, secioInit } from './stack.js'
import type { Pipe } from './pipe.js'
import type { Stack } from './stack.js'
import type { PrivateKey, Stream } from '@libp2p/interface'

export { ECHO_PROTOCOL }
export const SINK_PROTOCOL = '/uplink-bench/sink/1.0.0'
export type Serve = 'sink' | 'echo'

export interface Listening {
  addrs: string[]
  peerId: string
  /** Connections open right now (the memory rows check they are all still there). */
  connections: () => number
  close: () => Promise<void>
}

export interface Dialer {
  /** A pipe to `addr`: a new stream on `protocol` (node systems) or a new connection (bare, tcp). */
  open: (addr: string, protocol: string) => Promise<Pipe>
  close: () => Promise<void>
}

// a benchmark opens thousands of connections from one host in seconds: lift every admission limit
const OPEN_LIMITS = { maxPending: 10_000, maxPendingPerHost: 10_000, maxPerHostPerSecond: 1_000_000 }
const LOCALHOST = '/ip4/127.0.0.1/tcp/0'
const serveStream = (serve: Serve) => async (pipe: Pipe): Promise<void> => { await (serve === 'sink' ? receiveOneWay(pipe) : serveEcho(pipe)) }
const quietly = (run: Promise<void>): void => { run.catch(() => {}) }

export async function listen (stack: Stack, privateKey: PrivateKey, serve: Serve): Promise<Listening> {
  const peerId = peerIdFromPrivateKey(privateKey).toString()
  const handlerOptions = { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS }

  if (stack.system === 'uplink') {
    const node = await createNode({
      privateKey,
      addresses: { listen: [LOCALHOST] },
      modules: { transport: [tcp()], connection: { crypto: [encrypter(stack)], muxer: [muxer(stack)] } },
      connection: { inboundUpgradeLimits: OPEN_LIMITS, protocolNegotiationTimeout: NEGOTIATION_TIMEOUT }
    })
    node.handle(SINK_PROTOCOL, async (stream: Stream) => { quietly(receiveOneWay(stream)) }, handlerOptions)
    node.handle(ECHO_PROTOCOL, async (stream: Stream) => { quietly(serveEcho(stream)) }, handlerOptions)
    return { addrs: node.getMultiaddrs().map(String), peerId, connections: () => node.getConnections().length, close: async () => { await node.stop() } }
  }

  if (stack.system === 'libp2p') {
    const node = await createLibp2p({
      privateKey,
      addresses: { listen: [LOCALHOST] },
      transports: [jsTcp()],
      connectionEncrypters: [stack.crypto === 'noise' ? noise() : secio(secioInit(stack))],
      streamMuxers: [yamux({ maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS })],
      connectionManager: { maxConnections: 100_000, maxIncomingPendingConnections: 10_000, inboundConnectionThreshold: 1_000_000 }
    })
    await node.handle(SINK_PROTOCOL, async (stream: Stream) => { quietly(receiveOneWay(stream)) }, handlerOptions)
    await node.handle(ECHO_PROTOCOL, async (stream: Stream) => { quietly(serveEcho(stream)) }, handlerOptions)
    return { addrs: node.getMultiaddrs().map(String), peerId, connections: () => node.getConnections().length, close: async () => { await node.stop() } }
  }

  if (stack.system === 'uplink-bare') {
    let open = 0
    const { listener, addr } = await bareSecioListener(privateKey, true, {
      onSecured: (secured) => {
        open++
        quietly(serveStream(serve)(secured.connection).finally(() => { open-- }))
      }
    }, secioInit(stack))
    return { addrs: [`${addr}/p2p/${peerId}`], peerId, connections: () => open, close: async () => { await listener.close() } }
  }

  let open = 0
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    open++
    const pipe = stack.system === 'minimal-secio' ? minimalSecioPipe(socket, 'listener') : socketPipe(socket)
    quietly(serveStream(serve)(pipe).finally(() => { open-- }))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as net.AddressInfo
  return { addrs: [`/ip4/127.0.0.1/tcp/${port}`], peerId, connections: () => open, close: async () => { server.close() } }
}

export async function dialer (stack: Stack, privateKey: PrivateKey): Promise<Dialer> {
  const streamOptions = { maxOutboundStreams: MAX_STREAMS }

  if (stack.system === 'uplink') {
    const node = await createNode({ privateKey, modules: { transport: [tcp()], connection: { crypto: [encrypter(stack)], muxer: [muxer(stack)] } } })
    return { open: async (addr, protocol) => node.dialProtocol(addr, protocol), close: async () => { await node.stop() } }
  }

  if (stack.system === 'libp2p') {
    const node = await createLibp2p({
      privateKey,
      transports: [jsTcp()],
      connectionEncrypters: [stack.crypto === 'noise' ? noise() : secio(secioInit(stack))],
      streamMuxers: [yamux({ maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS })]
    })
    return { open: async (addr, protocol) => node.dialProtocol(multiaddr(addr), protocol, streamOptions), close: async () => { await node.stop() } }
  }

  if (stack.system === 'uplink-bare') {
    return {
      open: async (addr) => (await bareSecioDial(privateKey, addr, true, undefined, secioInit(stack))).connection,
      close: async () => {}
    }
  }

  return {
    open: async (addr) => {
      const [, , host, , port] = addr.split('/')
      const socket = net.connect({ host, port: Number(port), allowHalfOpen: true, noDelay: true })
      await once(socket, 'connect')
      return stack.system === 'minimal-secio' ? minimalSecioPipe(socket, 'dialer') : socketPipe(socket)
    },
    close: async () => {}
  }
}
