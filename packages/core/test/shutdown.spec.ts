import { yamux } from '@chainsafe/libp2p-yamux'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { plaintext } from '@uplink/plaintext'
import { tcp } from '@uplink/tcp'
import { expect } from 'chai'
import { pEvent } from 'p-event'
import { createNode, createUpgrader } from '../src/index.js'
import { identity } from './fixtures/raw-pair.js'
import { until } from './fixtures/tamper-proxy.js'
import type { Node } from '../src/index.js'
import type { Listener } from '@libp2p/interface'

// A listener shut down under live, busy, multiplexed connections: a raw socket half-closed
// underneath a yamux muxer used to make the muxer write to a closing stream, an uncaught
// exception (mocha fails the test on one).
describe('shutting down under busy connections', () => {
  let node: Node | undefined
  let listener: Listener | undefined

  afterEach(async () => {
    await node?.stop()
    await listener?.close()
  })

  it('closing a standalone upgrader\'s TCP listener while the remote is sending ends the connection cleanly', async () => {
    const id = await identity()
    const upgrader = createUpgrader({ privateKey: id.privateKey, connectionEncrypters: [plaintext()], streamMuxers: [yamux()] })
    let sunk = 0
    upgrader.handle('/sink', async (stream) => { for await (const chunk of stream) { sunk += chunk.byteLength } })
    listener = tcp()({ logger: defaultLogger() }).createListener({ upgrader })
    await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
    node = await createNode({ modules: { transport: [tcp()], connection: { crypto: [plaintext()], muxer: [yamux()] } } })

    const addr = listener.getAddrs()[0]?.encapsulate(`/p2p/${id.peerId.toString()}`)
    if (addr == null) throw new Error('not listening')
    const stream = await node.dialProtocol(addr, '/sink')
    const chunk = new Uint8Array(64 * 1024)
    let sending = true
    const pump = (async () => {
      try {
        while (sending) {
          // yield every time: send() alone may accept data for a long while without blocking
          if (stream.send(chunk)) await new Promise(resolve => setImmediate(resolve))
          else await stream.onDrain()
        }
      } catch {
        // the far end went away: expected
      }
    })()

    // close while bytes are flowing: once the listener's side has taken a good part of them
    await until(() => sunk >= 1024 * 1024, 'the listener to receive 1 MiB')
    const closed = pEvent(node, 'connection:close', { timeout: 10_000 })
    await listener.close()
    sending = false
    await pump

    await closed
    expect(node.getConnections()).to.have.lengthOf(0)
  })
})
