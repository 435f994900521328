import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { mplex } from '@libp2p/mplex'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode } from '@uplink/core'
import { secio } from '@uplink/secio'
import { expect } from 'chai'
import { selfSecured } from '../src/self-secured-transport.js'
import type { Node, UpgradeProgressEvents } from '@uplink/core'

const run = promisify(execFile)

describe('examples/composing-transports', function () {
  this.timeout(30_000)

  it('runs: TCP is secured by SECIO, the self-secured transport skips the crypto stage, a wrong id is refused', async () => {
    const script = fileURLToPath(new URL('../src/index.js', import.meta.url))
    const { stdout } = await run(process.execPath, [script], { timeout: 30_000 })

    expect(stdout.trim().split('\n')).to.deep.equal([
      'tcp: "hello, dialer" with crypto /secio/1.0.0, muxer /mplex/6.7.0',
      'memory: "hello, dialer" with crypto native, muxer /mplex/6.7.0',
      stdout.trim().split('\n')[2]
    ])
    expect(stdout).to.match(/dialing \/memory\/listener as 12D3KooW\w+ fails: UnexpectedPeerError at verify-peer\n$/)
  })

  describe('the upgrader\'s skipEncryption path', () => {
    const modules = { transport: [selfSecured()], connection: { crypto: [secio()], muxer: [mplex()] } }
    let listener: Node
    let dialer: Node

    beforeEach(async () => {
      listener = await createNode({ modules, addresses: { listen: ['/memory/skip-encryption'] } })
      dialer = await createNode({ modules })
    })

    afterEach(async () => {
      await Promise.all([dialer.stop(), listener.stop()])
    })

    it('negotiates no crypto channel, takes the transport\'s peer and still checks it against the dialed id', async () => {
      const events: string[] = []
      const connection = await dialer.upgrader.upgradeOutbound(...rawDial(dialer, listener, `/memory/skip-encryption/p2p/${listener.peerId.toString()}`, events))

      expect(connection.encryption).to.equal('native')
      expect(connection.remotePeer.equals(listener.peerId)).to.equal(true)
      expect(connection.multiplexer).to.equal('/mplex/6.7.0')
      expect(events).to.deep.equal(['upgrader:secured', 'upgrader:peer-verified', 'upgrader:multiplex-outbound-connection', 'upgrader:muxer-negotiated'])
      await connection.close()
    })

    it('dialing /p2p/<wrong> through it fails with UnexpectedPeerError at verify-peer and leaves no connection', async () => {
      const wrong = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

      const err = await dialer.dial(`/memory/skip-encryption/p2p/${wrong.toString()}`).then(() => undefined, (err: any) => err)

      expect(err).to.have.property('name', 'UnexpectedPeerError')
      expect(err).to.have.property('stage', 'verify-peer')
      expect(err.expected?.equals(wrong)).to.equal(true)
      expect(err.actual?.equals(listener.peerId)).to.equal(true)
      expect(dialer.getConnections()).to.have.lengthOf(0)
    })

    it('an address without /p2p/ takes whoever the transport reached (nothing to compare)', async () => {
      const connection = await dialer.dial('/memory/skip-encryption')

      expect(connection.remotePeer.equals(listener.peerId)).to.equal(true)
      expect(connection.encryption).to.equal('native')
    })
  })
})

/**
 * What the self-secured transport would pass to `upgradeOutbound`, built by
 * hand so the test can watch the upgrade's progress events.
 */
function rawDial (dialer: Node, listener: Node, addr: string, events: string[]): Parameters<Node['upgrader']['upgradeOutbound']> {
  const [outbound, inbound] = multiaddrConnectionPair({ outbound: { remoteAddr: multiaddr(addr) } })
  void listener.upgrader.upgradeInbound(inbound, { signal: AbortSignal.timeout(10_000), skipEncryption: true, remotePeer: dialer.peerId })
  return [outbound, {
    signal: AbortSignal.timeout(10_000),
    skipEncryption: true,
    remotePeer: listener.peerId,
    onProgress: (evt: UpgradeProgressEvents) => { events.push(evt.type) }
  }]
}
