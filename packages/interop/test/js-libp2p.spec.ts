import { noise } from '@chainsafe/libp2p-noise'
import { mplex } from '@libp2p/mplex'
import { tcp as jsTcp } from '@libp2p/tcp'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { ECHO, echoHandler, echoRoundTrip } from './fixtures/streams.js'
import { jsNode, uplinkNode } from './fixtures/nodes.js'
import type { Node } from '@uplink/core'
import type { Libp2p } from 'libp2p'

const MiB = 1024 * 1024

describe('live interop with js-libp2p v3', function () {
  this.timeout(60_000)
  const running: Array<Node | Libp2p> = []

  async function track<T extends Node | Libp2p> (node: Promise<T>): Promise<T> {
    const started = await node
    running.push(started)
    return started
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map(async node => node.stop()))
  })

  describe('Uplink (tcp + plaintext + yamux) and stock js-libp2p (tcp + plaintext + yamux)', () => {
    it('Uplink dials js-libp2p and echoes 8 MiB', async () => {
      const [uplink, js] = await Promise.all([track(uplinkNode()), track(jsNode())])
      await js.handle(ECHO, echoHandler)

      const stream = await uplink.dialProtocol(js.getMultiaddrs(), ECHO)
      const result = await echoRoundTrip(stream, 8 * MiB)

      expect(result).to.deep.equal({ sent: 8 * MiB, received: 8 * MiB, intact: true })
      const [connection] = uplink.getConnections(js.peerId)
      expect(connection?.encryption).to.equal('/plaintext/2.0.0')
      expect(connection?.multiplexer).to.equal('/yamux/1.0.0')
    })

    it('js-libp2p dials Uplink and echoes 8 MiB', async () => {
      const [uplink, js] = await Promise.all([track(uplinkNode()), track(jsNode())])
      uplink.handle(ECHO, echoHandler)

      const stream = await js.dialProtocol(uplink.getMultiaddrs(), ECHO)
      const result = await echoRoundTrip(stream, 8 * MiB)

      expect(result).to.deep.equal({ sent: 8 * MiB, received: 8 * MiB, intact: true })
      expect(uplink.getConnections(js.peerId)).to.have.lengthOf(1)
    })

    it('a dial to js-libp2p under the wrong /p2p/ id fails naming both ids', async () => {
      const [uplink, js, other] = await Promise.all([track(uplinkNode()), track(jsNode()), track(jsNode())])
      const addr = js.getMultiaddrs()[0]?.decapsulateCode(421).encapsulate(`/p2p/${other.peerId.toString()}`)
      if (addr == null) throw new Error('js-libp2p node has no address')

      const err = await uplink.dial(addr).then(() => undefined, (err: unknown) => err)

      expect(err).to.have.property('name', 'UnexpectedPeerError')
      expect(String((err as Error).message)).to.include(js.peerId.toString()).and.to.include(other.peerId.toString())
      expect(uplink.getConnections()).to.have.lengthOf(0)
    })
  })

  describe('the Uplink pipeline running third-party modules: @libp2p/tcp, @chainsafe/libp2p-noise, @libp2p/mplex', () => {
    const thirdParty = { transport: [jsTcp()], connection: { crypto: [noise()], muxer: [mplex()] } }

    it('two such Uplink nodes talk', async () => {
      const [a, b] = await Promise.all([track(uplinkNode(thirdParty)), track(uplinkNode(thirdParty))])
      b.handle(ECHO, echoHandler)

      const stream = await a.dialProtocol(b.getMultiaddrs(), ECHO)
      expect(await echoRoundTrip(stream, 4 * MiB)).to.have.property('intact', true)

      const [connection] = a.getConnections(b.peerId)
      expect(connection?.encryption).to.equal('/noise')
      expect(connection?.multiplexer).to.equal('/mplex/6.7.0')
    })

    it('such an Uplink node and a js-libp2p node (noise + mplex) talk both ways', async () => {
      const [uplink, js] = await Promise.all([
        track(uplinkNode(thirdParty)),
        track(jsNode({ connectionEncrypters: [noise()], streamMuxers: [mplex()] }))
      ])
      uplink.handle(ECHO, echoHandler)
      await js.handle(ECHO, echoHandler)

      const out = await uplink.dialProtocol(js.getMultiaddrs(), ECHO)
      expect(await echoRoundTrip(out, 4 * MiB)).to.have.property('intact', true)

      const back = await js.dialProtocol(uplink.getMultiaddrs(), ECHO)
      expect(await echoRoundTrip(back, 4 * MiB)).to.have.property('intact', true)
    })
  })

  describe('Uplink\'s tcp() and plaintext() as modules inside js-libp2p v3', () => {
    it('talk to an Uplink node', async () => {
      const [uplink, js] = await Promise.all([
        track(uplinkNode()),
        track(jsNode({ transports: [tcp()], connectionEncrypters: [plaintext()] }))
      ])
      uplink.handle(ECHO, echoHandler)
      await js.handle(ECHO, echoHandler)

      expect(await echoRoundTrip(await js.dialProtocol(uplink.getMultiaddrs(), ECHO), 4 * MiB)).to.have.property('intact', true)
      expect(await echoRoundTrip(await uplink.dialProtocol(js.getMultiaddrs(), ECHO), 4 * MiB)).to.have.property('intact', true)
    })

    it('talk to a stock js-libp2p node', async () => {
      const [withUplinkModules, stock] = await Promise.all([
        track(jsNode({ transports: [tcp()], connectionEncrypters: [plaintext()] })),
        track(jsNode())
      ])
      await stock.handle(ECHO, echoHandler)
      await withUplinkModules.handle(ECHO, echoHandler)

      expect(await echoRoundTrip(await withUplinkModules.dialProtocol(stock.getMultiaddrs(), ECHO), 4 * MiB)).to.have.property('intact', true)
      expect(await echoRoundTrip(await stock.dialProtocol(withUplinkModules.getMultiaddrs(), ECHO), 4 * MiB)).to.have.property('intact', true)
    })
  })
})
