// Uplink's SECIO against the legacy JS SECIO from npm (libp2p-secio 0.13.1 in libp2p 0.29.4),
// run as a separate process: full stacks with mplex, and bare SECIO on a socket.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { mplex } from '@libp2p/mplex'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { secio } from '@uplink/secio'
import { expect } from 'chai'
import { bareSecioDial, bareSecioEchoListener } from './fixtures/bare-secio.js'
import { LegacyPeer } from './fixtures/legacy-peer.js'
import { uplinkNode } from './fixtures/nodes.js'
import { ECHO, echoHandler, echoRoundTrip } from './fixtures/streams.js'
import type { LegacyKeyType } from './fixtures/legacy-peer.js'
import type { Node } from '@uplink/core'
import type { PrivateKey } from '@libp2p/interface'
import type { Listener } from '@libp2p/interface'

const MiB = 1024 * 1024
const KEY_TYPES: LegacyKeyType[] = ['ed25519', 'secp256k1', 'rsa']

async function uplinkKey (type: LegacyKeyType): Promise<PrivateKey> {
  return type === 'rsa' ? generateKeyPair('RSA', 2048) : generateKeyPair(type === 'ed25519' ? 'Ed25519' : 'secp256k1')
}

describe('live interop with the legacy JS SECIO (libp2p-secio 0.13.1)', function () {
  this.timeout(60_000)
  let node: Node | undefined
  let listener: Listener | undefined

  afterEach(async () => {
    await node?.stop()
    await listener?.close()
    node = undefined
    listener = undefined
    await LegacyPeer.stopAll()
  })

  async function startUplink (): Promise<Node> {
    node = await uplinkNode({ connection: { crypto: [secio()], muxer: [mplex()] } })
    node.handle(ECHO, echoHandler)
    return node
  }

  describe('full stacks: libp2p 0.29 (tcp + secio + mplex) and Uplink (tcp + secio + mplex)', () => {
    for (const keyType of KEY_TYPES) {
      it(`Uplink dials a legacy node with a ${keyType} identity and echoes 4 MiB`, async () => {
        const [uplink, legacy] = await Promise.all([startUplink(), LegacyPeer.start({ crypto: 'secio', keyType })])

        const stream = await uplink.dialProtocol(legacy.addrs[0] ?? '', ECHO)
        expect(await echoRoundTrip(stream, 4 * MiB)).to.deep.equal({ sent: 4 * MiB, received: 4 * MiB, intact: true })

        const [connection] = uplink.getConnections()
        expect(connection?.encryption).to.equal('/secio/1.0.0')
        expect(connection?.multiplexer).to.equal('/mplex/6.7.0')
        expect(connection?.remotePeer.toString()).to.equal(legacy.peerId)
      })

      it(`a legacy node with a ${keyType} identity dials Uplink and echoes 4 MiB`, async () => {
        const [uplink, legacy] = await Promise.all([startUplink(), LegacyPeer.start({ crypto: 'secio', keyType })])

        const result = await legacy.dialEcho(uplink.getMultiaddrs()[0]?.toString() ?? '', 4 * MiB)

        expect(result).to.include({ ok: true, bytes: 4 * MiB, remotePeer: uplink.peerId.toString() })
        expect(uplink.getConnections()[0]?.remotePeer.toString()).to.equal(legacy.peerId)
      })
    }

    it('a dial under the wrong /p2p/ id fails with UnexpectedPeerError naming both ids', async () => {
      const [uplink, legacy, other] = await Promise.all([startUplink(), LegacyPeer.start({ crypto: 'secio' }), LegacyPeer.start({ crypto: 'secio' })])

      const err = await uplink.dial((legacy.addrs[0] ?? '').replace(legacy.peerId, other.peerId)).then(() => undefined, (err: unknown) => err)

      expect(err).to.have.property('name', 'UnexpectedPeerError')
      expect((err as Error).message).to.include(legacy.peerId).and.to.include(other.peerId)
      expect(uplink.getConnections()).to.have.lengthOf(0)
    })
  })

  describe('frames over 8 MiB from a legacy sender (libp2p-secio sends one frame per write, unsplit)', () => {
    // bare SECIO: each legacy write of 12 MiB is one 12 MiB frame
    const oversized = { chunk: 12 * MiB, oversize: true }

    it('are refused by default: InvalidFrameLengthError on the secured stream, connection closed', async () => {
      const bare = await bareSecioEchoListener(await uplinkKey('ed25519'), false)
      listener = bare.listener
      const legacy = await LegacyPeer.start({ mode: 'bare-secio-dial' })

      const result = await legacy.tryDialEcho(bare.addr, 24 * MiB, oversized)

      expect(result.ok).to.equal(false)
      const [session] = bare.sessions
      const err = await session?.then(() => undefined, (err: unknown) => err)
      expect(err).to.have.property('name', 'InvalidFrameLengthError')
    })

    it('are accepted with secio({ maxFrameLength }) raised, and Uplink answers in frames under the cap', async () => {
      const bare = await bareSecioEchoListener(await uplinkKey('ed25519'), false, { maxFrameLength: 16 * MiB })
      listener = bare.listener
      const legacy = await LegacyPeer.start({ mode: 'bare-secio-dial' })

      const result = await legacy.dialEcho(bare.addr, 24 * MiB, oversized)

      expect(result).to.include({ ok: true, bytes: 24 * MiB })
    })
  })

  for (const useMss of [false, true]) {
    describe(`bare SECIO ${useMss ? 'behind multistream-select' : 'on the raw socket'}`, () => {
      for (const keyType of KEY_TYPES) {
        it(`Uplink dials the legacy listener (${keyType}), 2 MiB echoed`, async () => {
          const legacy = await LegacyPeer.start({ mode: 'bare-secio-listen', keyType, mss: useMss })
          const privateKey = await uplinkKey('ed25519')
          const secured = await bareSecioDial(privateKey, legacy.addrs[0] ?? '', useMss, peerIdFromString(legacy.peerId))

          expect(secured.remotePeer.toString()).to.equal(legacy.peerId)
          expect(await echoRoundTrip(secured.connection, 2 * MiB)).to.deep.equal({ sent: 2 * MiB, received: 2 * MiB, intact: true })
          const inbound = await legacy.waitForEvent(e => e.event === 'inbound', { timeoutMs: 10_000 })
          expect(inbound).to.include({ ok: true, remotePeer: peerIdFromPrivateKey(privateKey).toString() })
        })

        it(`the legacy dialer (${keyType}) reaches an Uplink listener, 2 MiB echoed`, async () => {
          const privateKey = await uplinkKey(keyType)
          const bare = await bareSecioEchoListener(privateKey, useMss)
          listener = bare.listener
          const legacy = await LegacyPeer.start({ mode: 'bare-secio-dial', keyType, mss: useMss })

          const addr = `${bare.addr}/p2p/${peerIdFromPrivateKey(privateKey).toString()}`
          const result = await legacy.dialEcho(addr, 2 * MiB, { chunk: 100_000 })

          expect(result).to.include({ ok: true, bytes: 2 * MiB, remotePeer: peerIdFromPrivateKey(privateKey).toString() })
          const [session] = bare.sessions
          expect((await session)?.remotePeer.toString()).to.equal(legacy.peerId)
        })
      }
    })
  }
})
