// What an eavesdropper on the TCP connection sees: with SECIO no application byte, with plaintext all of them.
import { mplex } from '@libp2p/mplex'
import { plaintext } from '@uplink/plaintext'
import { secio } from '@uplink/secio'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { tcpTap } from './fixtures/tcp-tap.js'
import { uplinkNode } from './fixtures/nodes.js'
import type { EncrypterModule, Node } from '@uplink/core'
import type { TcpTap } from './fixtures/tcp-tap.js'

const MESSAGE = 'This information is sent out encrypted to the other peer'

describe('on the wire', () => {
  let nodes: Node[] = []
  let tap: TcpTap | undefined

  afterEach(async () => {
    await Promise.all(nodes.map(async node => node.stop()))
    await tap?.close()
    nodes = []
  })

  async function sendThroughTap (crypto: EncrypterModule): Promise<Buffer> {
    const modules = { connection: { crypto: [crypto], muxer: [mplex()] } }
    const [sender, receiver] = await Promise.all([uplinkNode(modules), uplinkNode(modules)])
    nodes = [sender, receiver]
    const got = Promise.withResolvers<string>()
    receiver.handle('/a-protocol', async (stream) => {
      let text = ''
      for await (const chunk of stream) text += new TextDecoder().decode(chunk.subarray())
      got.resolve(text)
    })

    const port = Number(receiver.getMultiaddrs()[0]?.getComponents().find(c => c.name === 'tcp')?.value)
    tap = await tcpTap(port)
    const stream = await sender.dialProtocol(multiaddr(`/ip4/127.0.0.1/tcp/${tap.port}/p2p/${receiver.peerId.toString()}`), '/a-protocol')
    stream.send(new TextEncoder().encode(MESSAGE))
    await stream.close()

    expect(await got.promise).to.equal(MESSAGE)
    return tap.captured()
  }

  it('SECIO: the message and the protocol name never appear in the captured bytes', async () => {
    const wire = await sendThroughTap(secio())
    expect(wire.includes(MESSAGE)).to.equal(false)
    expect(wire.includes('/a-protocol')).to.equal(false)
    // only the crypto negotiation is in clear text
    expect(wire.includes('/secio/1.0.0')).to.equal(true)
  })

  it('plaintext (the control): the same capture shows the message', async () => {
    const wire = await sendThroughTap(plaintext())
    expect(wire.includes(MESSAGE)).to.equal(true)
  })
})
