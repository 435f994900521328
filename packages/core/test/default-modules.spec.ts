// What a node and an upgrader are made of when the options leave a part out: a fresh Ed25519
// identity, no listen address, no muxer, a handler registry of their own.
import { yamux } from '@chainsafe/libp2p-yamux'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { Node, createUpgrader } from '../src/index.js'
import { identity, rawPair } from './fixtures/raw-pair.js'

describe('defaults for the parts the options leave out', () => {
  it('a node given no privateKey gets a new Ed25519 identity of its own', () => {
    const modules = { transport: [tcp()], connection: { crypto: [plaintext()] } }
    const [a, b] = [new Node({ modules }), new Node({ modules })]

    expect(a.peerId.type).to.equal('Ed25519')
    expect(a.peerId.equals(b.peerId)).to.equal(false)
  })

  it('a node given no listen addresses listens nowhere once started', async () => {
    const node = new Node({ modules: { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [yamux()] } } })
    await node.start()

    try {
      expect(node.getMultiaddrs()).to.deep.equal([])
    } finally {
      await node.stop()
    }
  })

  it('an upgrader given no streamMuxers makes connections without a muxer, which refuse newStream with MuxerUnavailableError', async () => {
    const [alice, bob] = await Promise.all([identity(), identity()])
    const { outbound, inbound } = rawPair(bob.peerId)
    const signal = AbortSignal.timeout(10_000)
    const [connection] = await Promise.all([
      createUpgrader({ privateKey: alice.privateKey, connectionEncrypters: [plaintext()] }).upgradeOutbound(outbound, { signal }),
      createUpgrader({ privateKey: bob.privateKey, connectionEncrypters: [plaintext()] }).upgradeInbound(inbound, { signal })
    ])

    expect(connection.multiplexer).to.equal(undefined)
    const err = await connection.newStream('/any/1.0.0').then(() => undefined, (err: unknown) => err)
    expect(err).to.have.property('name', 'MuxerUnavailableError')
    await connection.close()
  })

  it('upgraders given no streamHandlers do not share handlers', async () => {
    const { privateKey } = await identity()
    const first = createUpgrader({ privateKey, connectionEncrypters: [plaintext()] })
    const second = createUpgrader({ privateKey, connectionEncrypters: [plaintext()] })
    first.handle('/only-first/1.0.0', () => {})

    expect(first.getProtocols()).to.deep.equal(['/only-first/1.0.0'])
    expect(second.getProtocols()).to.deep.equal([])
  })
})
