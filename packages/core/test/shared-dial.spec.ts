// No poisoned dials: a shared dial abandoned by its last caller is forgotten at once, so the next
// caller starts afresh; a dial whose signal is already aborted starts nothing.
import { createServer, connect } from 'node:net'
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { Node } from '../src/index.js'
import { until } from './fixtures/tamper-proxy.js'
import type { TransportModule } from '../src/index.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { AddressInfo, Server, Socket } from 'node:net'

/** A TCP front for `target` that leaves its first connection silent (a stalled dial) and forwards the rest. */
async function silentFirstConnection (target: Multiaddr): Promise<{ addr: Multiaddr, accepted: () => number, close: () => Promise<void> }> {
  const components = target.getComponents()
  const port = Number(components.find(c => c.name === 'tcp')?.value)
  const peer = components.find(c => c.name === 'p2p')?.value
  const sockets: Socket[] = []
  const server: Server = createServer((socket) => {
    sockets.push(socket)
    socket.on('error', () => {})
    if (sockets.length === 1) return
    const upstream = connect(port, '127.0.0.1')
    sockets.push(upstream)
    upstream.on('error', () => {})
    socket.pipe(upstream).pipe(socket)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))

  return {
    addr: multiaddr(`/ip4/127.0.0.1/tcp/${(server.address() as AddressInfo).port}/p2p/${peer}`),
    accepted: () => sockets.filter(s => s.remotePort !== port).length,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}

/** A transport that counts the dials it was asked for. */
function countingTcp (counter: { dials: number }): TransportModule {
  return (components) => {
    const transport = tcp()(components)
    const dial = transport.dial.bind(transport)
    transport.dial = async (addr, options) => {
      counter.dials++
      return dial(addr, options)
    }
    return transport
  }
}

describe('shared dials', () => {
  const nodes: Node[] = []

  function node (transport: TransportModule = tcp(), listen = true): Node {
    const created = new Node({
      addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
      modules: { transport: [transport], connection: { crypto: [plaintext()], muxer: [yamux()] } }
    })
    nodes.push(created)
    return created
  }

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => n.stop()))
  })

  it("a dial abandoned by its last caller does not fail the next caller with that caller's reason", async () => {
    const listener = node()
    const dialer = node(tcp(), false)
    await Promise.all([listener.start(), dialer.start()])
    const [listenAddr] = listener.getMultiaddrs()
    if (listenAddr == null) throw new Error('no listen address')
    const front = await silentFirstConnection(listenAddr)

    try {
      const controller = new AbortController()
      const first = dialer.dial(front.addr, { signal: controller.signal })
      await until(() => front.accepted() === 1, 'the first dial to connect')
      controller.abort(new Error('the first caller gave up'))
      expect(await first.catch((err: Error) => err.message)).to.equal('the first caller gave up')

      const second = await dialer.dial(front.addr)
      expect(second.remotePeer.equals(listener.peerId)).to.equal(true)
      expect(front.accepted()).to.equal(2)
    } finally {
      await front.close()
    }
  })

  it('a dial whose signal is already aborted starts no attempt', async () => {
    const counter = { dials: 0 }
    const listener = node()
    const dialer = node(countingTcp(counter), false)
    await Promise.all([listener.start(), dialer.start()])
    const [listenAddr] = listener.getMultiaddrs()
    if (listenAddr == null) throw new Error('no listen address')

    const controller = new AbortController()
    controller.abort(new Error('aborted before it began'))
    const err = await dialer.dial(listenAddr, { signal: controller.signal }).catch((err: Error) => err)

    expect(err).to.have.property('message', 'aborted before it began')
    expect(counter.dials).to.equal(0)

    // and the peer can still be dialed afterwards
    expect((await dialer.dial(listenAddr)).remotePeer.equals(listener.peerId)).to.equal(true)
    expect(counter.dials).to.equal(1)
  })
})
