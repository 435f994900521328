// Modules from npm beside Uplink's own, live against stock js-libp2p v3: the TLS 1.3 channel
// (@libp2p/tls) in Uplink's pipeline, and @libp2p/websockets beside tcp() in Uplink's node, with SECIO over it.
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tls } from '@libp2p/tls'
import { tcp as jsTcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createNode } from '@uplink/core'
import { isSecioEncryptionDetails, secio } from '@uplink/secio'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { jsNode, uplinkNode } from './fixtures/nodes.js'
import { ECHO, echoHandler, echoRoundTrip } from './fixtures/streams.js'
import type { Node } from '@uplink/core'
import type { Libp2p } from 'libp2p'

const MiB = 1024 * 1024

describe('@libp2p/tls and @libp2p/websockets in Uplink, live against js-libp2p v3', function () {
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

  describe('TLS 1.3 (@libp2p/tls) as Uplink\'s crypto channel', () => {
    it('Uplink dials js-libp2p over TLS (the muxer agreed by ALPN) and echoes 4 MiB', async () => {
      const [uplink, js] = await Promise.all([
        track(uplinkNode({ connection: { crypto: [tls()] } })),
        track(jsNode({ connectionEncrypters: [tls()] }))
      ])
      await js.handle(ECHO, echoHandler)

      const stream = await uplink.dialProtocol(js.getMultiaddrs(), ECHO)

      expect(await echoRoundTrip(stream, 4 * MiB)).to.deep.equal({ sent: 4 * MiB, received: 4 * MiB, intact: true })
      const [connection] = uplink.getConnections(js.peerId)
      expect(connection?.encryption).to.equal('/tls/1.0.0')
      expect(connection?.multiplexer).to.equal('/yamux/1.0.0')
    })

    it('js-libp2p dials Uplink over TLS and echoes 4 MiB', async () => {
      const [uplink, js] = await Promise.all([
        track(uplinkNode({ connection: { crypto: [tls()] } })),
        track(jsNode({ connectionEncrypters: [tls()] }))
      ])
      uplink.handle(ECHO, echoHandler)

      const stream = await js.dialProtocol(uplink.getMultiaddrs(), ECHO)

      expect(await echoRoundTrip(stream, 4 * MiB)).to.have.property('intact', true)
      expect(uplink.getConnections(js.peerId)[0]?.encryption).to.equal('/tls/1.0.0')
    })
  })

  describe('@libp2p/websockets beside tcp() in Uplink\'s node, SECIO over both', () => {
    const modules = { transport: [tcp(), webSockets()], connection: { crypto: [secio()] } }
    const listen = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']

    async function jsWithSecio (): Promise<Libp2p> {
      // Uplink's secio() inside a stock js-libp2p node, beside its own tcp and websockets
      const js = await jsNode({ addresses: { listen }, transports: [jsTcp(), webSockets()], connectionEncrypters: [secio()] })
      await js.handle(ECHO, echoHandler)
      return js
    }

    it('Uplink dials a js-libp2p node\'s /ws address over WebSockets and its /tcp address over TCP, SECIO on each', async () => {
      const [uplink, js] = await Promise.all([track(uplinkNode(modules)), track(jsWithSecio())])
      const ws = js.getMultiaddrs().find(a => a.toString().includes('/ws/'))
      const plain = js.getMultiaddrs().find(a => !a.toString().includes('/ws/'))
      if (ws == null || plain == null) throw new Error(`js-libp2p did not listen on both: ${js.getMultiaddrs().join(', ')}`)

      const overWs = await uplink.dialProtocol(ws, ECHO)
      expect(await echoRoundTrip(overWs, 1 * MiB)).to.have.property('intact', true)
      const [first] = uplink.getConnections(js.peerId)
      expect(first?.remoteAddr.toString()).to.include('/ws/')
      expect(first?.encryption).to.equal('/secio/1.0.0')
      expect(isSecioEncryptionDetails(first?.encryptionDetails)).to.equal(true)

      await uplink.hangUp(js.peerId)
      const overTcp = await uplink.dialProtocol(plain, ECHO)
      expect(await echoRoundTrip(overTcp, 1 * MiB)).to.have.property('intact', true)
      const [second] = uplink.getConnections(js.peerId)
      expect(second?.remoteAddr.toString()).to.not.include('/ws')
      expect(second?.encryption).to.equal('/secio/1.0.0')
    })

    it('js-libp2p dials Uplink\'s /ws listener and echoes over SECIO', async () => {
      const [uplink, js] = await Promise.all([track(uplinkListeningOn(listen)), track(jsWithSecio())])
      uplink.handle(ECHO, echoHandler)
      const ws = uplink.getMultiaddrs().find(a => a.toString().includes('/ws/'))
      if (ws == null) throw new Error(`Uplink did not listen on /ws: ${uplink.getMultiaddrs().join(', ')}`)

      const stream = await js.dialProtocol(ws, ECHO)

      expect(await echoRoundTrip(stream, 1 * MiB)).to.have.property('intact', true)
      const [connection] = uplink.getConnections(js.peerId)
      expect(connection?.encryption).to.equal('/secio/1.0.0')
      expect(connection?.remoteAddr.toString()).to.include('/ws')
    })

    /** The fixture's node listens on TCP only; this one listens on every address given, each with the transport that can. */
    async function uplinkListeningOn (addrs: string[]): Promise<Node> {
      return createNode({
        privateKey: await generateKeyPair('Ed25519'),
        addresses: { listen: addrs },
        modules: { ...modules, connection: { ...modules.connection, muxer: [yamux()] } }
      })
    }
  })
})
