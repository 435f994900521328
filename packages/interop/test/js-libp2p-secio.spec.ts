// Drop-in: @uplink/secio as a module of a stock js-libp2p v3 node.
import { yamux } from '@chainsafe/libp2p-yamux'
import { secio } from '@uplink/secio'
import { expect } from 'chai'
import { jsNode, uplinkNode } from './fixtures/nodes.js'
import { ECHO, echoHandler, echoRoundTrip } from './fixtures/streams.js'
import type { Node } from '@uplink/core'
import type { Libp2p } from 'libp2p'

const MiB = 1024 * 1024

describe('js-libp2p v3 with connectionEncrypters: [secio()]', function () {
  this.timeout(60_000)
  const running: Array<Node | Libp2p> = []

  afterEach(async () => {
    await Promise.all(running.splice(0).map(async node => node.stop()))
  })

  it('talks to an Uplink node in both directions', async () => {
    const [uplink, js] = await Promise.all([
      uplinkNode({ connection: { crypto: [secio()], muxer: [yamux()] } }),
      jsNode({ connectionEncrypters: [secio()] })
    ])
    running.push(uplink, js)
    uplink.handle(ECHO, echoHandler)
    await js.handle(ECHO, echoHandler)

    const fromJs = await js.dialProtocol(uplink.getMultiaddrs(), ECHO)
    expect(await echoRoundTrip(fromJs, 4 * MiB)).to.deep.equal({ sent: 4 * MiB, received: 4 * MiB, intact: true })

    const fromUplink = await uplink.dialProtocol(js.getMultiaddrs(), ECHO)
    expect(await echoRoundTrip(fromUplink, 4 * MiB)).to.have.property('intact', true)

    const [connection] = js.getConnections(uplink.peerId)
    expect(connection?.encryption).to.equal('/secio/1.0.0')
    expect(uplink.getConnections(js.peerId)[0]?.encryption).to.equal('/secio/1.0.0')
  })

  it('two js-libp2p nodes with secio() talk to each other', async () => {
    const [a, b] = await Promise.all([jsNode({ connectionEncrypters: [secio()] }), jsNode({ connectionEncrypters: [secio()] })])
    running.push(a, b)
    await b.handle(ECHO, echoHandler)

    const stream = await a.dialProtocol(b.getMultiaddrs(), ECHO)
    expect(await echoRoundTrip(stream, 2 * MiB)).to.have.property('intact', true)
  })
})
