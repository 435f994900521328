// The `uplink` command against peers written elsewhere: the legacy js-libp2p 0.29 (SECIO and its off-spec
// plaintext) and a stock js-libp2p v3 node (noise, TLS, ping).
import { noise } from '@chainsafe/libp2p-noise'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tls } from '@libp2p/tls'
import { EXIT } from '@uplink/cli'
import { expect } from 'chai'
import { uplinkCli, uplinkListen } from './fixtures/cli.js'
import { LegacyPeer } from './fixtures/legacy-peer.js'
import { jsNode } from './fixtures/nodes.js'
import { ECHO, echoHandler } from './fixtures/streams.js'
import type { Libp2p } from 'libp2p'

function stages (events: Array<Record<string, any>>): string[] {
  return events.map(e => e.stage ?? e.event)
}

describe('the uplink command against other implementations', function () {
  this.timeout(60_000)

  describe('a legacy js-libp2p 0.29 node', () => {
    afterEach(async () => { await LegacyPeer.stopAll() })

    it('uplink dial shows SECIO with the suite and falls back to the muxer the legacy node has (mplex), then echoes', async () => {
      const legacy = await LegacyPeer.start({ crypto: 'secio' })
      const { code, events } = await uplinkCli(['dial', legacy.addrs[0] ?? '', '--echo', '65536'])

      expect(code).to.equal(EXIT.OK)
      expect(stages(events)).to.deep.equal(['dial', 'connect', 'negotiate-crypto', 'secio-proposal', 'handshake', 'verify-peer', 'negotiate-muxer', 'connected', 'echo'])
      expect(events.find(e => e.stage === 'handshake')).to.deep.include({ remotePeer: legacy.peerId, secio: { exchange: 'P-256', cipher: 'AES-256', hash: 'SHA256' } })
      expect(events.find(e => e.stage === 'verify-peer')).to.include({ matched: true })
      expect(events.find(e => e.stage === 'negotiate-muxer')).to.include({ chosen: '/mplex/6.7.0' })
      expect(events.find(e => e.event === 'echo')).to.include({ sent: 65536, received: 65536 })
    })

    it('uplink ping reaches its /ipfs/ping/1.0.0', async () => {
      const legacy = await LegacyPeer.start({ crypto: 'secio' })
      const { code, events } = await uplinkCli(['ping', legacy.addrs[0] ?? '', '-c', '2', '--interval', '0'])

      expect(code).to.equal(EXIT.OK)
      expect(events.at(-1)).to.include({ event: 'summary', sent: 2, received: 2 })
    })

    it('its off-spec plaintext needs --legacy: without it the node hangs up after the exchange (exit 7, with a hint), with it the echo works', async () => {
      const legacy = await LegacyPeer.start({ crypto: 'plaintext' })
      const addr = legacy.addrs[0] ?? ''
      const spec = await uplinkCli(['dial', addr, '--crypto', 'plaintext'])
      const legacyForm = await uplinkCli(['dial', addr, '--crypto', 'plaintext', '--legacy', '--echo', '1000'])

      // plaintext is symmetric: we accept its (legacy) Exchange, it refuses our spec one and closes
      expect(spec.code).to.equal(EXIT.NEGOTIATE_MUXER)
      expect(spec.events.at(-1)).to.deep.include({ event: 'error', stage: 'negotiate-muxer' })
      expect(spec.events.at(-1)?.causes[0].name).to.equal('UnexpectedEOFError')
      expect(spec.events.at(-1)?.hint).to.include('--legacy')
      expect(legacyForm.code).to.equal(EXIT.OK)
      expect(legacyForm.events.find(e => e.event === 'connected')).to.include({ encryption: '/plaintext/2.0.0', remotePeer: legacy.peerId })
    })

    it('dials uplink listen over SECIO and mplex; the listener prints the connection with its suite', async () => {
      const listener = await uplinkListen(['--crypto', 'secio', '--muxer', 'mplex'])

      try {
        const legacy = await LegacyPeer.start({ crypto: 'secio' })
        await legacy.dialEcho(listener.addrs[0] ?? '', 100_000)

        const inbound = listener.events.find(e => e.event === 'inbound')
        expect(inbound).to.deep.include({ remotePeer: legacy.peerId, encryption: '/secio/1.0.0', muxer: '/mplex/6.7.0' })
        expect(inbound?.secio).to.have.keys('exchange', 'cipher', 'hash')
      } finally {
        expect(await listener.stop()).to.equal(EXIT.OK)
      }
    })

    it('a wrong /p2p/ id fails at verify-peer (exit 6), naming the legacy node\'s real id', async () => {
      const legacy = await LegacyPeer.start({ crypto: 'secio' })
      const wrong = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      const { code, events } = await uplinkCli(['dial', (legacy.addrs[0] ?? '').replace(legacy.peerId, wrong)])

      expect(code).to.equal(EXIT.VERIFY_PEER)
      expect(events.at(-1)).to.deep.include({ stage: 'verify-peer', expected: wrong, actual: legacy.peerId, matched: false })
    })
  })

  describe('a js-libp2p v3 node (noise, TLS, yamux, ping)', () => {
    let js: Libp2p

    beforeEach(async () => {
      js = await jsNode({ connectionEncrypters: [noise(), tls()], services: { ping: ping() } })
      await js.handle(ECHO, echoHandler)
    })

    afterEach(async () => { await js.stop() })

    for (const crypto of ['noise', 'tls'] as const) {
      it(`uplink dial --crypto ${crypto}: the muxer comes from the handshake, the echo works`, async () => {
        const { code, events } = await uplinkCli(['dial', js.getMultiaddrs()[0]?.toString() ?? '', '--crypto', crypto, '--echo', '100000'])

        expect(code).to.equal(EXIT.OK)
        expect(events.find(e => e.stage === 'negotiate-crypto')).to.include({ chosen: crypto === 'noise' ? '/noise' : '/tls/1.0.0' })
        expect(events.find(e => e.stage === 'verify-peer')).to.include({ actual: js.peerId.toString(), matched: true })
        expect(events.find(e => e.stage === 'negotiate-muxer')).to.include({ chosen: '/yamux/1.0.0', by: 'encrypter' })
        expect(events.find(e => e.event === 'echo')).to.include({ received: 100000 })
      })
    }

    it('uplink ping reaches its ping service; secio alone has nothing in common with it (exit 4)', async () => {
      const addr = js.getMultiaddrs()[0]?.toString() ?? ''
      const pinged = await uplinkCli(['ping', addr, '-c', '2', '--interval', '0'])
      const secioOnly = await uplinkCli(['dial', addr, '--crypto', 'secio'])

      expect(pinged.code).to.equal(EXIT.OK)
      expect(pinged.events.at(-1)).to.include({ received: 2 })
      expect(secioOnly.code).to.equal(EXIT.NEGOTIATE_CRYPTO)
      expect(secioOnly.events.at(-1)?.causes[0].name).to.equal('UnsupportedProtocolError')
    })
  })
})
