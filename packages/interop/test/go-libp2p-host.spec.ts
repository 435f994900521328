// A full go-libp2p host (v0.10.3: tcp, secio and TLS, mplex or yamux) against Uplink's Node (tcp, secio,
// @libp2p/mplex or @chainsafe/libp2p-yamux), both directions: the muxers interoperate with Go too.
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { mplex } from '@libp2p/mplex'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { secio } from '@uplink/secio'
import { expect } from 'chai'
import { digestEcho } from './fixtures/digest-echo.js'
import { GoPeer, patternDigest, setUpGoPeer } from './fixtures/go-peer.js'
import { uplinkNode } from './fixtures/nodes.js'
import { ECHO, echoHandler } from './fixtures/streams.js'
import type { GoMuxer } from './fixtures/go-peer.js'
import type { Node } from '@uplink/core'

const MiB = 1024 * 1024
const MUXERS: Array<{ name: GoMuxer, protocol: string, factory: () => ReturnType<typeof mplex> | ReturnType<typeof yamux> }> = [
  // @libp2p/mplex closes a connection whose remote opens more than 5 streams in a second
  // (`disconnectThreshold`, its only defence without flow control); go-libp2p opens identify plus
  // the test's streams at once
  { name: 'mplex', protocol: '/mplex/6.7.0', factory: () => mplex({ disconnectThreshold: Infinity }) },
  { name: 'yamux', protocol: '/yamux/1.0.0', factory: () => yamux() }
]

describe('live interop with a go-libp2p v0.10.3 host (secio + mplex / yamux)', function () {
  this.timeout(120_000)
  let node: Node | undefined

  before(async function () {
    await setUpGoPeer(this)
  })

  afterEach(async () => {
    await node?.stop()
    node = undefined
    await GoPeer.stopAll()
  })

  it('runs go-libp2p v0.10.3 with its default security list (secio first, then TLS) and the muxers asked for', async () => {
    const go = await GoPeer.start({ mode: 'node', muxers: ['mplex'] })
    expect(go.modules['github.com/libp2p/go-libp2p']).to.equal('v0.10.3')
    expect(go.modules['github.com/libp2p/go-libp2p-secio']).to.equal('v0.2.3')
    expect(go.ready).to.include({ muxers: 'mplex', protocol: ECHO, security: '/secio/1.0.0,/tls/1.0.0' })
    expect(go.addrs[0]).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)
  })

  for (const muxer of MUXERS) {
    describe(muxer.name, () => {
      async function startUplink (): Promise<Node> {
        node = await uplinkNode({ connection: { crypto: [secio()], muxer: [muxer.factory()] } })
        node.handle(ECHO, echoHandler)
        return node
      }

      it(`Uplink dials the Go host and echoes 8 MiB in 1 MiB writes over ${muxer.protocol}, digests equal`, async () => {
        const [uplink, go] = await Promise.all([startUplink(), GoPeer.start({ mode: 'node', muxers: [muxer.name] })])

        const stream = await uplink.dialProtocol(go.addrs[0] ?? '', ECHO)
        const echoed = await digestEcho(stream, 8 * MiB, MiB)

        expect(echoed).to.include({ sent: 8 * MiB, received: 8 * MiB, intact: true })
        const [connection] = uplink.getConnections(peerIdFromString(go.peerId))
        expect(connection?.encryption).to.equal('/secio/1.0.0')
        expect(connection?.multiplexer).to.equal(muxer.protocol)
        const inbound = await go.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
        expect(inbound).to.include({ ok: true, protocol: ECHO, bytes: 8 * MiB, sha256: echoed.sha256, remotePeer: uplink.peerId.toString() })
        expect(await go.waitForEvent(e => e.event === 'connect')).to.include({ direction: 'inbound', remotePeer: uplink.peerId.toString() })
      })

      it(`the Go host dials Uplink and echoes 8 MiB in 1 MiB writes over ${muxer.protocol}, digests equal`, async () => {
        const [uplink, go] = await Promise.all([startUplink(), GoPeer.start({ mode: 'node', muxers: [muxer.name] })])
        const addr = `${uplink.getMultiaddrs()[0]?.toString() ?? ''}`

        const result = await go.dialEcho(addr, 8 * MiB, { chunk: MiB })

        expect(result).to.include({ ok: true, bytes: 8 * MiB, remotePeer: uplink.peerId.toString(), sha256: patternDigest(8 * MiB) })
        const [connection] = uplink.getConnections(peerIdFromString(go.peerId))
        expect(connection?.encryption).to.equal('/secio/1.0.0')
        expect(connection?.multiplexer).to.equal(muxer.protocol)
        expect(connection?.direction).to.equal('inbound')
        expect(await go.waitForEvent(e => e.event === 'connect')).to.include({ direction: 'outbound', remotePeer: uplink.peerId.toString() })
      })

      it('several streams at once in both directions on one connection', async () => {
        const [uplink, go] = await Promise.all([startUplink(), GoPeer.start({ mode: 'node', muxers: [muxer.name] })])
        const addr = uplink.getMultiaddrs()[0]?.toString() ?? ''
        await go.dialEcho(addr, 1024)

        const fromUplink = Array.from({ length: 4 }, async () => digestEcho(await uplink.dialProtocol(go.addrs[0] ?? '', ECHO), MiB, 64 * 1024))
        const fromGo = Array.from({ length: 4 }, async (_, i) => go.dialEcho(addr, MiB, { seed: i + 2 }))
        const [ours, theirs] = await Promise.all([Promise.all(fromUplink), Promise.all(fromGo)])

        expect(ours.every(r => r.intact)).to.equal(true)
        expect(theirs.map(r => r.sha256)).to.deep.equal([2, 3, 4, 5].map(seed => patternDigest(MiB, seed)))
        expect(uplink.getConnections(peerIdFromString(go.peerId))).to.have.lengthOf(1)
      })
    })
  }

  it('Uplink dialing the Go host under another /p2p/ id fails with UnexpectedPeerError naming both ids', async () => {
    node = await uplinkNode({ connection: { crypto: [secio()], muxer: [mplex()] } })
    const go = await GoPeer.start({ mode: 'node', muxers: ['mplex'] })
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()

    const err = await node.dial((go.addrs[0] ?? '').replace(go.peerId, other)).then(() => undefined, (err: unknown) => err)

    expect(err).to.have.property('name', 'UnexpectedPeerError')
    const ids = [String((err as any).expected ?? ''), String((err as any).actual ?? ''), (err as Error).message].join(' ')
    expect(ids).to.include(other).and.to.include(go.peerId)
    expect(node.getConnections()).to.have.lengthOf(0)
  })

  it('the Go host dialing Uplink under another /p2p/ id refuses it (ErrWrongPeer) and no connection is left', async () => {
    node = await uplinkNode({ connection: { crypto: [secio()], muxer: [mplex()] } })
    const go = await GoPeer.start({ mode: 'node', muxers: ['mplex'] })
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const addr = (node.getMultiaddrs()[0]?.toString() ?? '').replace(node.peerId.toString(), other)

    const result = await go.tryDialEcho(addr, 1024)

    expect(result.ok).to.equal(false)
    expect(result.error).to.match(/^ErrWrongPeer: /)
    expect(node.getConnections()).to.have.lengthOf(0)
  })
})
