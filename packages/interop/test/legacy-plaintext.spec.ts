// Uplink's plaintext standing in for SECIO against the legacy js-libp2p 0.29 stack, whose
// /plaintext/2.0.0 is off-spec (whole PublicKey protobuf in Data, Type hard-coded RSA).
import { randomBytes } from 'node:crypto'
import { mplex } from '@libp2p/mplex'
import { plaintext } from '@uplink/plaintext'
import { expect } from 'chai'
import { LegacyPeer } from './fixtures/legacy-peer.js'
import { uplinkNode } from './fixtures/nodes.js'
import { ECHO, echoHandler, echoRoundTrip } from './fixtures/streams.js'
import type { LegacyKeyType } from './fixtures/legacy-peer.js'
import type { Node } from '@uplink/core'

const MiB = 1024 * 1024

describe('live interop with legacy js-libp2p 0.29 over /plaintext/2.0.0', function () {
  this.timeout(60_000)
  let uplink: Node | undefined

  afterEach(async () => {
    await uplink?.stop()
    uplink = undefined
    await LegacyPeer.stopAll()
  })

  // mplex's defaults: @libp2p/mplex cuts what it sends at its maxMessageSize, and legacy mplex 0.10 drops the
  // connection (ERR_MSG_TOO_BIG, logged nowhere) on a message of more than 1 MiB, the default of both
  async function startUplink (encoding: 'legacy-js' | 'auto', muxer = mplex()): Promise<Node> {
    uplink = await uplinkNode({ connection: { crypto: [plaintext({ encoding })], muxer: [muxer] } })
    uplink.handle(ECHO, echoHandler)
    return uplink
  }

  for (const keyType of ['ed25519', 'secp256k1', 'rsa'] as LegacyKeyType[]) {
    it(`Uplink dials a legacy node (${keyType} identity) by its /p2p/ address and echoes 4 MiB`, async () => {
      const [node, legacy] = await Promise.all([startUplink('legacy-js'), LegacyPeer.start({ crypto: 'plaintext', keyType })])

      const stream = await node.dialProtocol(legacy.addrs[0] ?? '', ECHO)
      expect(await echoRoundTrip(stream, 4 * MiB)).to.deep.equal({ sent: 4 * MiB, received: 4 * MiB, intact: true })
      expect(node.getConnections()[0]?.remotePeer.toString()).to.equal(legacy.peerId)
    })
  }

  it('a legacy node dials Uplink (answering in the dialer\'s form) and echoes 4 MiB', async () => {
    const [node, legacy] = await Promise.all([startUplink('auto'), LegacyPeer.start({ crypto: 'plaintext', keyType: 'secp256k1' })])
    const addr = node.getMultiaddrs()[0]?.toString() ?? ''

    const result = await legacy.dialEcho(addr, 4 * MiB)

    expect(result).to.include({ ok: true, bytes: 4 * MiB, remotePeer: node.peerId.toString() })
    expect(node.getConnections()[0]?.remotePeer.toString()).to.equal(legacy.peerId)
  })

  /** Echoes `total` bytes handed to mplex in ONE send: it leaves as one mplex message unless mplex cuts it. */
  async function echoOneSend (node: Node, addr: string, total: number): Promise<number> {
    const stream = await node.dialProtocol(addr, ECHO)
    stream.send(randomBytes(total))
    await stream.close()
    let received = 0
    for await (const chunk of stream) received += chunk.byteLength
    return received
  }

  it('one 2 MiB send leaves as 1 MiB mplex messages with mplex\'s default maxMessageSize and echoes whole', async () => {
    const [node, legacy] = await Promise.all([startUplink('legacy-js'), LegacyPeer.start({ crypto: 'plaintext' })])

    expect(await echoOneSend(node, legacy.addrs[0] ?? '', 2 * MiB)).to.equal(2 * MiB)
  })

  it('with maxMessageSize raised past legacy\'s 1 MiB, legacy drops the connection and the stream ends with ConnectionClosedError', async () => {
    const [node, legacy] = await Promise.all([
      startUplink('legacy-js', mplex({ maxMessageSize: 16 * MiB })),
      LegacyPeer.start({ crypto: 'plaintext' })
    ])

    const err = await echoOneSend(node, legacy.addrs[0] ?? '', 2 * MiB).then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'ConnectionClosedError')
  })

  it('dialing a legacy node under the wrong /p2p/ id fails with UnexpectedPeerError', async () => {
    const [node, legacy, other] = await Promise.all([
      startUplink('legacy-js'),
      LegacyPeer.start({ crypto: 'plaintext' }),
      LegacyPeer.start({ crypto: 'plaintext' })
    ])
    const addr = (legacy.addrs[0] ?? '').replace(legacy.peerId, other.peerId)

    const err = await node.dial(addr).then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'UnexpectedPeerError')
    expect((err as Error).message).to.include(legacy.peerId).and.to.include(other.peerId)
  })
})
