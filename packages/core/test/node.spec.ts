import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { Node, createNode } from '../src/index.js'
import { ECHO, echoHandler } from './fixtures/echo.js'
import { identity } from './fixtures/raw-pair.js'
import { payload, roundTrip } from './fixtures/streams.js'
import { until } from './fixtures/tamper-proxy.js'
import type { EncrypterModule, NodeOptions, TransportModule } from '../src/index.js'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

function firstAddr (node: Node): Multiaddr {
  const [addr] = node.getMultiaddrs()
  if (addr == null) throw new Error('the node listens nowhere')
  return addr
}

/** The tutorial's shape: a bundle class that fixes its modules (the crypto channel may be swapped). */
class MyBundle extends Node {
  constructor ({ crypto = () => plaintext(), ...options }: BundleOptions = {}) {
    super({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      ...options,
      modules: { transport: [tcp()], connection: { muxer: [yamux()], crypto: [crypto()] } }
    })
  }
}

type BundleOptions = Partial<NodeOptions> & { crypto?: () => EncrypterModule }

const CRYPTO = [
  { name: 'plaintext', crypto: () => plaintext(), protocol: '/plaintext/2.0.0' },
  { name: 'SECIO', crypto: () => secio() as EncrypterModule, protocol: '/secio/1.0.0' }
]

/** tcp(), with every dial the node makes through it (address + upgrade) kept in `dials`. */
function watchedTcp (dials: Array<Promise<unknown>>): TransportModule {
  return (components) => {
    const transport = tcp()(components)
    const dial = transport.dial.bind(transport)
    transport.dial = async (addr, options) => {
      const dialing = dial(addr, options)
      dials.push(dialing)
      return dialing
    }
    return transport
  }
}

/** Counts each node's `connection:open` events from now on, in the order given. */
function countOpened (...nodes: Node[]): number[] {
  const counts = nodes.map(() => 0)
  nodes.forEach((node, i) => node.addEventListener('connection:open', () => { counts[i] = (counts[i] ?? 0) + 1 }))
  return counts
}

describe('Node (tcp + yamux, over plaintext unless a test names another channel)', () => {
  let nodes: Node[] = []

  async function started (options: BundleOptions = {}): Promise<Node> {
    const node = new MyBundle(options)
    nodes.push(node)
    await node.start()
    return node
  }

  afterEach(async () => {
    await Promise.all(nodes.map(async node => node.stop()))
    nodes = []
  })

  it('listens and reports its addresses with /p2p/<its PeerId>', async () => {
    const node = await started()
    const addrs = node.getMultiaddrs()

    expect(node.status).to.equal('started')
    expect(addrs).to.have.lengthOf(1)
    expect(String(addrs[0])).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)
    expect(String(addrs[0])).to.include(node.peerId.toString())
  })

  it('createNode() builds and starts a node from the bundle options', async () => {
    const node = await createNode({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      modules: { transport: [tcp()], connection: { muxer: [yamux()], crypto: [plaintext()] } }
    })
    nodes.push(node)
    expect(node.getMultiaddrs()).to.have.lengthOf(1)
  })

  it('keeps the identity it is given', async () => {
    const id = await identity()
    const node = await started({ privateKey: id.privateKey })
    expect(node.peerId.equals(id.peerId)).to.equal(true)
  })

  it('dialProtocol reaches a handler and echoes 4 MiB intact', async () => {
    const [a, b] = await Promise.all([started(), started()])
    b.handle(ECHO, echoHandler)

    const stream = await a.dialProtocol(firstAddr(b), ECHO)
    const { bytes, chunks } = payload(4 * 1024 * 1024)
    expect(await roundTrip(stream, chunks)).to.deep.equal(bytes)
  })

  it('emits connection and peer events on both sides', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const opened = pEvent<'connection:open', CustomEvent<Connection>>(b, 'connection:open')
    const connected = pEvent(a, 'peer:connect')

    await a.dial(firstAddr(b))
    expect((await opened).detail.remotePeer.equals(a.peerId)).to.equal(true)
    await connected

    const disconnected = pEvent(b, 'peer:disconnect')
    await a.hangUp(b.peerId)
    await disconnected
    expect(b.getConnections()).to.have.lengthOf(0)
  })

  it('reuses an open connection to the same peer', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const first = await a.dial(firstAddr(b))
    const second = await a.dial(firstAddr(b))

    expect(second).to.equal(first)
    expect(a.getConnections(b.peerId)).to.have.lengthOf(1)
  })

  it('shares one attempt between concurrent dials to one peer', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const addr = firstAddr(b)
    const connections = await Promise.all(Array.from({ length: 5 }, async () => a.dial(addr)))

    expect(new Set(connections).size).to.equal(1)
    expect(a.getConnections(b.peerId)).to.have.lengthOf(1)
    expect(b.getConnections(a.peerId)).to.have.lengthOf(1)
  })

  it('a caller that aborts its dial leaves a concurrent dial to the same peer alone', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const controller = new AbortController()
    const abandoned = a.dial(firstAddr(b), { signal: controller.signal })
    const kept = a.dial(firstAddr(b))
    controller.abort()

    expect(await abandoned.catch((err: Error) => err.name)).to.equal('AbortError')
    expect((await kept).remotePeer.equals(b.peerId)).to.equal(true)
    expect(a.getConnections(b.peerId)).to.have.lengthOf(1)
  })

  it('a dial aborted by its only caller stops the attempt and leaves no connection', async () => {
    const transportDials: Array<Promise<unknown>> = []
    const a = new Node({ modules: { transport: [watchedTcp(transportDials)], connection: { muxer: [yamux()], crypto: [plaintext()] } } })
    nodes.push(a)
    const [, b] = await Promise.all([a.start(), started()])
    const opened = countOpened(a, b)
    const controller = new AbortController()
    const dial = a.dial(firstAddr(b), { signal: controller.signal })
    controller.abort()

    expect(await dial.catch((err: Error) => err.name)).to.equal('AbortError')
    // the caller's promise settles at once; the attempt underneath must end too, not connect anyway
    expect(transportDials).to.have.lengthOf(1)
    expect(await transportDials[0]?.then(() => 'connected', (err: Error) => err.name)).to.equal('AbortError')
    await until(() => b.upgrader.pendingInboundUpgrades === 0, "the listener's side to end")
    expect(opened).to.deep.equal([0, 0])
    expect(a.getConnections()).to.have.lengthOf(0)
    expect(b.getConnections()).to.have.lengthOf(0)
  })

  it('dials an address without /p2p/ and learns the peer from the handshake', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const bare = firstAddr(b).decapsulateCode(421)
    const connection = await a.dial(bare)

    expect(connection.remotePeer.equals(b.peerId)).to.equal(true)
  })

  it('refuses /p2p/<wrong id>: names both ids and leaves no connection on either side', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const wrong = await identity()
    const opened = countOpened(a, b)
    const addr = multiaddr(`${firstAddr(b).decapsulateCode(421).toString()}/p2p/${wrong.peerId.toString()}`)

    const err = await a.dial(addr).then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'UnexpectedPeerError')
    expect((err as Error).message).to.include(wrong.peerId.toString()).and.to.include(b.peerId.toString())
    expect(a.getConnections()).to.have.lengthOf(0)
    // the listener's side of the upgrade ends too (the dialer never proposes a muxer), without a connection
    await until(() => b.upgrader.pendingInboundUpgrades === 0, "the listener's upgrade to end")
    expect(opened).to.deep.equal([0, 0])
  })

  it('fails a dial to a closed port with a TCPDialError naming the address and ECONNREFUSED', async () => {
    const a = await started()
    const err = await a.dial('/ip4/127.0.0.1/tcp/1').then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('name', 'TCPDialError')
    expect(err).to.have.property('code', 'ECONNREFUSED')
    expect((err as Error).message).to.include('/ip4/127.0.0.1/tcp/1')
    expect(a.getConnections()).to.have.lengthOf(0)
  })

  it('refuses to dial before start and without a matching transport', async () => {
    const node = new MyBundle()
    nodes.push(node)
    expect(await node.dial('/ip4/127.0.0.1/tcp/1').catch((err: Error) => err.name)).to.equal('NotStartedError')
    await node.start()
    expect(await node.dial('/memory/x').catch((err: Error) => err.name)).to.equal('TransportUnavailableError')
  })

  for (const { name, crypto, protocol } of CRYPTO) {
    it(`carries 1,000 concurrent streams over one ${name} connection, all data verified`, async function () {
      this.timeout(120_000)
      const [a, b] = await Promise.all([started({ crypto }), started({ crypto })])
      b.handle(ECHO, echoHandler, { maxInboundStreams: 1_000 })
      const connection = await a.dial(firstAddr(b))
      expect(connection.encryption).to.equal(protocol)

      const results = await Promise.all(Array.from({ length: 1_000 }, async (_, i) => {
        const stream = await connection.newStream(ECHO, { maxOutboundStreams: 1_000, signal: AbortSignal.timeout(60_000) })
        const { bytes, chunks } = payload(1024 + i, 512)
        return Buffer.compare(await roundTrip(stream, chunks), bytes) === 0
      }))

      expect(results.filter(ok => ok)).to.have.lengthOf(1_000)
      expect(a.getConnections(b.peerId)).to.have.lengthOf(1)
    })
  }

  it('stop() closes listeners and connections', async () => {
    const [a, b] = await Promise.all([started(), started()])
    const connection = await a.dial(firstAddr(b))
    await a.stop()

    expect(a.status).to.equal('stopped')
    expect(a.getMultiaddrs()).to.have.lengthOf(0)
    expect(connection.status).to.not.equal('open')
  })
})
